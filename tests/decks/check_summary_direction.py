"""The wave direction of a shipped deck (summary.json's `direction`), by both measures.

A deck driven at the bottom (visual stimulation, Alamia & VanRullen, PLoS Biol
17(10):e3000487 (2019)) must give a forward wave: the steady driven response lags more
the higher the level. The summary's rule (postprocess/oscillation.h): forward if the
weighted mean phase lag per level lies in (5, 175) deg, backward in (-175, -5), none
otherwise. Checked here:

- `direction` is the expected one and is the 2D-FFT classification (`fw_bw_direction`,
  |fw_bw_log_ratio| >= ln 2 with the ratio's sign), the probes being one line of levels;
- `phase_lag_direction` is the expected one too and follows the rule from
  `phase_lag_deg_per_layer`;
- the direction is that of the driven response: the dominant mode's frequency is the
  drive's (input.frequency of the deck) within the fit's own spread over its windows,
  `frequency_uncertainty_hz` (after the deck's analysis.t_start the free modes have
  decayed below the steady response, so the least-damped fitted mode is the drive).

The deck runs as shipped (its t_end and analysis.t_start) but with outputs off, which
do not enter the summary. With an MPI launcher it runs on the launcher's ranks.

usage: check_summary_direction.py NEUROFIELD DECK WORK_DIR DIRECTION DRIVE_HZ [MPI LAUNCHER WORDS ...]
"""
import json
import math
import pathlib
import shutil
import subprocess
import sys

EXE, DECK, WORK, EXPECTED = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3]), sys.argv[4]
DRIVE_HZ = float(sys.argv[5])
MPI = sys.argv[6:]


def rule(lag):
    if 5 < lag < 175:
        return "forward"
    if -175 < lag < -5:
        return "backward"
    return "none"


shutil.rmtree(WORK, ignore_errors=True)
WORK.mkdir(parents=True)
folder = WORK / "out"
words = MPI + [EXE, "run", DECK, "output.vtk=false", "output.hdf5=false", f"output.dir={folder}"]
proc = subprocess.run(words, capture_output=True, text=True, timeout=240)
if proc.returncode != 0:
    sys.exit(f"{' '.join(words)}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
s = json.loads((folder / "summary.json").read_text())
problems = []
if not s["mode_found"]:
    problems.append(f"no mode found: {s['no_mode_reason']}")
else:
    lag, direction, by_lag = s["phase_lag_deg_per_layer"], s["direction"], s["phase_lag_direction"]
    ratio = s["fw_bw_log_ratio"]
    if direction != EXPECTED:
        problems.append(f"direction = {direction}, expected {EXPECTED} (fw_bw_log_ratio {ratio})")
    if ratio is None or direction != s["fw_bw_direction"] or abs(ratio) < math.log(2) or (ratio > 0) != (direction == "forward"):
        problems.append(f"direction = {direction} is not the 2D FFT's: fw_bw_log_ratio {ratio}, {s['fw_bw_direction']}")
    if by_lag != EXPECTED or by_lag != rule(lag):
        problems.append(f"phase_lag_direction = {by_lag}, expected {EXPECTED}; the rule gives {rule(lag)} for {lag} deg/layer")
    f, spread = s["frequency_hz"], s["frequency_uncertainty_hz"]
    if spread is None or not abs(f - DRIVE_HZ) <= spread:
        problems.append(f"dominant mode {f} Hz is not the drive's {DRIVE_HZ} Hz within the fit's spread {spread} Hz")
    print(f"{pathlib.Path(DECK).name} on {s['ranks']} rank(s): direction {direction}, fw_bw_log_ratio {ratio:+.4f}, phase lag {lag:.4f} deg/layer, "
          f"dominant mode {f:.9f} Hz (drive {DRIVE_HZ} Hz, fit spread {spread:.2e} Hz), "
          f"growth {s['growth_rate_per_s']:+.2e} /s")
if problems:
    sys.exit("\n".join(problems))
shutil.rmtree(WORK, ignore_errors=True)
