#!/usr/bin/python3
"""Draws the spectrum of `neurofield stability` in the complex plane.

    plot_spectrum.py FOLDER [--out FOLDER/spectrum.png] [--size 800x600]

Reads FOLDER/stability.json (the numerical eigenvalues, Im >= 0, and their conjugates
drawn hollow) and FOLDER/analytic_roots.csv (each member's rightmost root of the model's
characteristic equation, when the model has them) and writes spectrum.png: growth rate
(1/s) across, frequency (Hz) up, the rightmost eigenvalue and the analytic prediction
marked, the imaginary axis dashed. Exit 2 with a message when a file is missing.
Needs matplotlib (Debian: python3-matplotlib).
"""
import argparse
import csv
import json
import math
import os
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder")
    ap.add_argument("--out", default=None)
    ap.add_argument("--size", default="800x600")
    a = ap.parse_args()
    path = os.path.join(a.folder, "stability.json")
    try:
        with open(path) as f:
            s = json.load(f)
    except OSError as e:
        print(f"plot_spectrum.py: {path}: {e.strerror}; run `neurofield stability DECK output.dir={a.folder}` first",
              file=sys.stderr)
        return 2
    roots = []
    csv_path = os.path.join(a.folder, "analytic_roots.csv")
    if os.path.exists(csv_path):
        with open(csv_path) as f:
            for row in csv.DictReader(f):
                roots.append((float(row["re_per_s"]), float(row["im_per_s"])))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("plot_spectrum.py: matplotlib is missing (Debian: apt-get install python3-matplotlib)", file=sys.stderr)
        return 2
    w, h = (int(v) for v in a.size.split("x"))
    fig, ax = plt.subplots(figsize=(w / 100, h / 100), dpi=100)
    two_pi = 2 * math.pi
    re = [e[0] for e in s["eigenvalues"]]
    hz = [e[1] / two_pi for e in s["eigenvalues"]]
    ax.scatter(re, hz, s=36, color="tab:blue", label="numerical eigenvalues (Im >= 0)", zorder=3)
    ax.scatter(re, [-v for v in hz], s=36, facecolors="none", edgecolors="tab:blue", label="their conjugates",
               zorder=3)
    if roots:
        ax.scatter([r[0] for r in roots], [r[1] / two_pi for r in roots], marker="x", s=60, color="tab:red",
                   label="analytic: rightmost root per member", zorder=4)
    ax.scatter([s["growth_rate_per_s"]], [s["frequency_hz"]], s=160, facecolors="none", edgecolors="black",
               label=f"rightmost: {s['frequency_hz']:.4f} Hz, {s['growth_rate_per_s']:+.4f} /s", zorder=5)
    if s.get("analytic"):
        an = s["analytic"]
        ax.scatter([an["growth_rate_per_s"]], [an["frequency_hz"]], marker="+", s=240, color="tab:green",
                   label=f"analytic: {an['frequency_hz']:.4f} Hz, {an['growth_rate_per_s']:+.4f} /s", zorder=6)
    ax.axvline(0, color="grey", linestyle="--", linewidth=1)
    ax.axhline(0, color="grey", linewidth=0.5)
    ax.set_xlabel("growth rate Re(lambda) (1/s)")
    ax.set_ylabel("frequency Im(lambda)/2 pi (Hz)")
    ax.set_title(f"rightmost eigenvalues about rest: {'stable' if s['stable'] else 'UNSTABLE'}")
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    out = a.out or os.path.join(a.folder, "spectrum.png")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    part = out + ".part.png"
    fig.tight_layout()
    fig.savefig(part)
    os.replace(part, out)
    print(f"plot_spectrum.py: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
