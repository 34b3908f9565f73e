#!/usr/bin/python3
"""The spiral tip of a 2D (or 3D, middle plane) neurofield run of an excitable medium.

Usage:
    /usr/bin/python3 postprocess/plot_spiral_tip.py RUN_DIR [--out DIR]

Reads RUN_DIR/tip_trajectory.csv, written by the run (problem/excitable_measurements.h):
    a comment line naming the levels, then columns t_s, x_m, y_m, candidates; x and y
    are empty where no tip was found;
RUN_DIR/summary.json for spiral_period and spiral.fit_t_start (s) and spiral.centre (m);
and, when present, RUN_DIR/fields.h5 (io/hdf5_fields.h): the last written u,
/fields/<component 0> [n_outputs, (nz,) ny, nx], with attributes `cells` and `spacing` (m),
drawn behind the trajectory (the middle plane k = nz/2 of a 3D field).

Writes to DIR (default RUN_DIR):
    tip_trajectory.png  left: the tip's path over the grid (grey before the fitted window,
                        coloured by time within it), the fitted centre, and the last u;
                        middle: the same path, zoomed on the fitted window's core;
                        right: the tip's angle about that centre, unwrapped, against time,
                        with the line of slope 2 pi / spiral_period the run fitted
"""
import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def read_trajectory(path):
    """(t, x, y) arrays (s, m, m), NaN where no tip was found."""
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or line.startswith("t_s"):
                continue
            t, x, y, _ = line.strip().split(",")
            rows.append((float(t), float(x) if x else np.nan, float(y) if y else np.nan))
    if not rows:
        sys.exit(f"plot_spiral_tip.py: {path} holds no steps")
    return tuple(np.array(c) for c in zip(*rows))


def read_last_field(path):
    """The last written component 0 on the (middle) x-y plane and the domain extent, or None."""
    if not os.path.exists(path):
        return None
    import h5py
    with h5py.File(path, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in f.attrs.get("components", [])]
        if not names or f"fields/{names[0]}" not in f:
            return None
        data = f[f"fields/{names[0]}"]
        cells = [int(c) for c in f.attrs["cells"]]
        spacing = [float(h) for h in f.attrs["spacing"]]
        if len(cells) < 2:
            return None
        last = np.asarray(data[data.shape[0] - 1], dtype=float)
        if len(cells) == 3:
            last = last.reshape(cells[2], cells[1], cells[0])[cells[2] // 2]
        else:
            last = last.reshape(cells[1], cells[0])
        extent = [0, cells[0] * spacing[0], 0, cells[1] * spacing[1]]
        return last, extent, names[0]


def plot(t, x, y, summary, field, out_path):
    spiral = summary.get("spiral", {})
    t_start = spiral.get("fit_t_start", 0.0)
    centre = spiral.get("centre", [np.nanmean(x), np.nanmean(y)])
    period = summary.get("spiral_period")
    fig, (ax_path, ax_zoom, ax_angle) = plt.subplots(1, 3, figsize=(15, 4.8))
    if field is not None:
        u, extent, name = field
        image = ax_path.imshow(u, origin="lower", extent=extent, cmap="viridis", alpha=0.6)
        fig.colorbar(image, ax=ax_path, label=f"{name} (last output)")
    early = t < t_start
    ax_path.plot(x[early], y[early], color="0.5", lw=0.8, label="tip, before the fit")
    late = ~early
    ax_path.scatter(x[late], y[late], c=t[late], s=2, cmap="plasma", label="tip, fitted")
    ax_path.plot(*centre, "k+", ms=12, mew=2, label="mean position")
    ax_path.set_xlabel("x (m)")
    ax_path.set_ylabel("y (m)")
    ax_path.set_aspect("equal")
    ax_path.legend(loc="upper right", fontsize=8)
    ax_path.set_title("spiral tip trajectory")

    keep = late & np.isfinite(x) & np.isfinite(y)
    ax_zoom.plot(x[keep], y[keep], color="0.7", lw=0.6)
    points = ax_zoom.scatter(x[keep], y[keep], c=t[keep], s=3, cmap="plasma")
    fig.colorbar(points, ax=ax_zoom, label="t (s)")
    ax_zoom.plot(*centre, "k+", ms=12, mew=2)
    if keep.any():
        half = 0.6 * max(np.ptp(x[keep]), np.ptp(y[keep]), 1e-12)
        ax_zoom.set_xlim(centre[0] - half, centre[0] + half)
        ax_zoom.set_ylim(centre[1] - half, centre[1] + half)
    ax_zoom.set_xlabel("x (m)")
    ax_zoom.set_ylabel("y (m)")
    ax_zoom.set_aspect("equal")
    ax_zoom.set_title(f"core, t >= {t_start:g} s")
    theta = np.unwrap(np.arctan2(y[keep] - centre[1], x[keep] - centre[0]))
    ax_angle.plot(t[keep], theta, lw=1, label="tip angle about the mean position")
    if period and len(theta) > 1:
        sense = 1 if spiral.get("sense") == "counter-clockwise" else -1
        omega = sense * 2 * np.pi / period
        offset = np.mean(theta - omega * t[keep])
        ax_angle.plot(t[keep], offset + omega * t[keep], "k--", lw=0.8,
                      label=f"fit: period {period:.4g} s")
    ax_angle.set_xlabel("t (s)")
    ax_angle.set_ylabel("angle, unwrapped (rad)")
    ax_angle.legend(fontsize=8)
    ax_angle.set_title("rotation")
    fig.tight_layout()
    fig.savefig(out_path, dpi=100)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Spiral tip trajectory of a neurofield run.")
    parser.add_argument("run_dir", help="folder holding tip_trajectory.csv and summary.json")
    parser.add_argument("--out", help="folder for tip_trajectory.png (default: RUN_DIR)")
    args = parser.parse_args(argv)
    csv_path = os.path.join(args.run_dir, "tip_trajectory.csv")
    if not os.path.exists(csv_path):
        sys.exit(f"plot_spiral_tip.py: {csv_path} not found (a finished 2D or 3D run of an excitable model?)")
    with open(os.path.join(args.run_dir, "summary.json")) as f:
        summary = json.load(f)
    out = args.out or args.run_dir
    os.makedirs(out, exist_ok=True)
    t, x, y = read_trajectory(csv_path)
    out_path = os.path.join(out, "tip_trajectory.png")
    plot(t, x, y, summary, read_last_field(os.path.join(args.run_dir, "fields.h5")), out_path)
    print(f"wrote {out_path}")


if __name__ == "__main__":
    main()
