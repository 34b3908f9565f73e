#!/usr/bin/python3
"""The probe spectrum of an adaptive, noise-driven chain run shows the chain's mode.

Runs the 8-layer chain (input_decks/pc_chain.yaml) under CVODE, driven at the bottom by
white noise, for T seconds, and checks postprocess/plot_run.py's amplitude spectrum:
  * the resolution (bin spacing) is 1/T_seg with T_seg = T/4, so 0.133 Hz for T = 30 s;
  * at layers 4 and 5 the spectral peak lies within one resolution of the mode the run
    predicts (summary.json "predicted", 13.012 Hz). There mode j = 8 has eigenvector
    weight |sin(L 8 pi/9)| = 0.98 against 0.34 for mode j = 7 (12.58 Hz, three times more
    damped): its resonance, of half width |Re lambda|/2 pi = 0.058 Hz, is the peak.
    At the ends (layers 1, 8: weight 0.34) the lower modes dominate.
Exit 0 on success, 1 with the numbers otherwise.

    check_spectrum.py NEUROFIELD DECK WORK_DIR [T]
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "postprocess"))
import numpy as np  # noqa: E402
import plot_run  # noqa: E402

LAYERS = (4, 5)  # 1-based layers where mode j = 8 outweighs the others


def main(argv):
    exe, deck, work = argv[1:4]
    t_end = float(argv[4]) if len(argv) > 4 else 30.0
    run = os.path.join(work, "run")
    os.makedirs(work, exist_ok=True)
    subprocess.run([exe, "run", deck, "time.integrator=cvode", "input.type=white_noise", f"time.t_end={t_end}",
                    "output.vtk=false", "output.hdf5=false", f"output.dir={run}"], check=True)
    predicted = json.load(open(os.path.join(run, "summary.json")))["predicted"]["frequency_hz"]
    probes = plot_run.read_probes(os.path.join(run, "probes.h5"))
    steps = np.diff(probes["time"])
    problems = []
    if np.allclose(steps, steps[0], rtol=1e-6):
        problems.append("the run took fixed steps; the check is for adaptive ones")
    for layer in LAYERS:
        f, a, df = plot_run.amplitude_spectrum(probes["time"], probes["values"][:, layer - 1, 0])
        expected_df = plot_run.SEGMENTS_PER_DURATION / (probes["time"][-1] - probes["time"][0])
        band = f > 1.0  # above the drift of the noise-driven baseline
        peak = float(f[band][np.argmax(a[band])])
        print(f"layer {layer}: peak {peak:.4f} Hz, predicted {predicted:.4f} Hz, resolution {df:.4f} Hz")
        if abs(df - expected_df) > 1e-3 * expected_df:
            problems.append(f"layer {layer}: resolution {df} Hz, expected {expected_df} Hz")
        if abs(peak - predicted) > df:
            problems.append(f"layer {layer}: peak {peak} Hz is more than {df} Hz from {predicted} Hz")
    plot_run.plot_spectrum(probes, os.path.join(work, "spectrum.png"))
    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
