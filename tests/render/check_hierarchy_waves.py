#!/usr/bin/python3
"""postprocess/plot_hierarchy_waves.py recomputes the run's ln(P_fw/P_bw) and draws it.

    check_hierarchy_waves.py NEUROFIELD DECK_DIR WORK_DIR

Three short runs (probes only: output.vtk=false output.hdf5=false), each drawn by the
script at 1200 x 500 pixels:
  chain_driven      pc_chain.yaml driven by a 10 Hz sinusoid at the bottom, t_end 3 s,
                    analysis from 1 s: a wave climbing the hierarchy, ratio > 0;
  continuum_driven  pc_continuum.yaml (its own 10 Hz drive at the bottom) shortened to
                    t_end 3 s, analysis from 1.5 s: ratio > 0;
  chain_rest        pc_chain.yaml at rest, white noise at the top (t_end 3 s, analysis from
                    1 s): the prediction errors descend, ratio < 0.
For each: the printed fw_bw_log_ratio equals summary.json's within 1e-9 relative (the
same window, sample interval and Welch segments, numpy's FFT against FFTW's: round-off
alone, about 1e-15), has the expected sign, and the PNG exists, is 1200 x 500 pixels and
shows a picture (tests/render/check_png.py: colours and contrast). Exit 0 on success, 1
naming every failed check.
"""
import json
import os
import re
import shutil
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "postprocess", "plot_hierarchy_waves.py")
CHECK_PNG = os.path.join(HERE, "check_png.py")
SIZE = (1200, 500)
TOLERANCE = 1e-9  # relative
QUIET = ["output.vtk=false", "output.hdf5=false"]
CASES = [
    ("chain_driven", "pc_chain.yaml", +1,
     ["input.type=sinusoid", "input.frequency=10", "input.at=bottom", "time.t_end=3", "analysis.t_start=1"]),
    ("continuum_driven", "pc_continuum.yaml", +1, ["time.t_end=3", "analysis.t_start=1.5"]),
    ("chain_rest", "pc_chain.yaml", -1,
     ["input.type=white_noise", "input.at=top", "time.t_end=3", "analysis.t_start=1"]),
]
RATIO_LINE = re.compile(r"^fw_bw_log_ratio (\S+) ", re.M)


def check_case(exe, decks, work, name, deck, sign, overrides):
    problems = []
    run = os.path.join(work, name)
    png = os.path.join(work, f"{name}.png")
    shutil.rmtree(run, ignore_errors=True)  # a fresh run, not one moved to previous_run/
    subprocess.run([exe, "run", os.path.join(decks, deck), *overrides, *QUIET, f"output.dir={run}"],
                   check=True, stdout=subprocess.DEVNULL)
    reported = json.load(open(os.path.join(run, "summary.json")))["fw_bw_log_ratio"]
    done = subprocess.run([sys.executable, SCRIPT, run, "--out", png, "--size", f"{SIZE[0]}x{SIZE[1]}"],
                          capture_output=True, text=True)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        return [f"{name}: plot_hierarchy_waves.py exited {done.returncode}"]
    found = RATIO_LINE.search(done.stdout)
    ratio = float(found.group(1)) if found and found.group(1) != "None" else None
    print(f"{name}: script {ratio!r}, summary.json {reported!r}")
    if ratio is None or reported is None:
        problems.append(f"{name}: no ratio (script {ratio}, summary.json {reported})")
    else:
        if abs(ratio - reported) > TOLERANCE * abs(reported):
            problems.append(f"{name}: ratio {ratio!r} differs from summary.json's {reported!r} "
                            f"by more than {TOLERANCE:g} relative")
        if ratio * sign <= 0:
            problems.append(f"{name}: ratio {ratio!r}, expected {'> 0 (forward)' if sign > 0 else '< 0 (backward)'}")
    if not os.path.isfile(png):
        problems.append(f"{name}: no {png}")
        return problems
    height, width = mpimg.imread(png).shape[:2]
    if (width, height) != SIZE:
        problems.append(f"{name}: {png} is {width} x {height} pixels, expected {SIZE[0]} x {SIZE[1]}")
    if subprocess.run([sys.executable, CHECK_PNG, png]).returncode != 0:
        problems.append(f"{name}: check_png.py failed on {png}")
    return problems


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    exe, decks, work = argv[1:4]
    os.makedirs(work, exist_ok=True)
    problems = []
    for case in CASES:
        problems += check_case(exe, decks, work, *case)
    for p in problems:
        print("FAILED:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
