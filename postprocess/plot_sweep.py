#!/usr/bin/python3
"""Heatmap of one metric of a sweep over two swept parameters (docs/sweeps.md).

usage: plot_sweep.py SWEEP METRIC [--x KEY] [--y KEY] [--output PNG]
  SWEEP   the sweep's folder (with sweep.h5) or sweep.h5 itself
  METRIC  a collected metric (frequency_hz, growth_rate_per_s, predicted.frequency_hz,
          ...) or wall_seconds
  --x, --y  the swept keys on the axes (default: the first two in the deck)
Writes SWEEP/sweep_<metric>.png unless --output says. A product sweep is drawn as cells
around its grid points; scattered points (a Latin hypercube, a zip) as coloured dots.
Failed points are marked x with no colour. With more than two swept keys, the points
that share (x, y) are averaged and the title says how many were.
"""
import argparse
import pathlib
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def text(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def load(path):
    with h5py.File(path, "r") as f:
        keys = [text(k) for k in f.attrs["parameter_keys"]]
        metrics = [text(m) for m in f.attrs["metric_names"]]
        table = {"status": np.array([text(s) for s in f["status"][()]]), "wall_seconds": f["wall_seconds"][()]}
        for k in keys:
            table[k] = f["parameters"][k][()]
        for m in metrics:
            table[m] = f["metrics"][m][()]
        total = int(f.attrs["points_total"][0])
    return keys, metrics + ["wall_seconds"], table, total


def edges(values):
    """Cell edges around sorted grid values: midpoints, the ends mirrored."""
    v = np.asarray(values, dtype=float)
    if len(v) == 1:
        return np.array([v[0] - 0.5 * abs(v[0] or 1), v[0] + 0.5 * abs(v[0] or 1)])
    mid = 0.5 * (v[1:] + v[:-1])
    return np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sweep")
    parser.add_argument("metric")
    parser.add_argument("--x")
    parser.add_argument("--y")
    parser.add_argument("--output")
    args = parser.parse_args()
    path = pathlib.Path(args.sweep)
    h5 = path / "sweep.h5" if path.is_dir() else path
    keys, metrics, table, total = load(h5)
    if args.metric not in metrics:
        sys.exit(f"plot_sweep.py: {h5} has no metric {args.metric}; it has {', '.join(metrics)}")
    x_key = args.x or keys[0]
    y_key = args.y or (keys[1] if len(keys) > 1 else None)
    for k in (x_key, y_key):
        if k is None or k not in keys:
            sys.exit(f"plot_sweep.py: a heatmap needs two swept keys; {h5} sweeps {', '.join(keys)}")
        if table[k].dtype.kind not in "fiu":
            sys.exit(f"plot_sweep.py: {k} is not numeric")
    x, y, z = (np.asarray(table[k], dtype=float) for k in (x_key, y_key, args.metric))
    ok = table["status"] == "ok"
    xs, ys = np.unique(x), np.unique(y)
    grid = np.full((len(ys), len(xs)), np.nan)
    counts = np.zeros_like(grid)
    ix, iy = np.searchsorted(xs, x), np.searchsorted(ys, y)
    for i, j, v, good in zip(ix, iy, z, ok):
        if good and np.isfinite(v):
            grid[j, i] = v if counts[j, i] == 0 else grid[j, i] + v
            counts[j, i] += 1
    grid = np.where(counts > 0, grid / np.maximum(counts, 1), np.nan)
    is_grid = len(xs) * len(ys) <= len(x) and len(xs) * len(ys) <= 4096

    fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=120)
    if is_grid:
        mesh = ax.pcolormesh(edges(xs), edges(ys), np.ma.masked_invalid(grid), shading="flat", cmap="viridis")
        for j in range(len(ys)):
            for i in range(len(xs)):
                if np.isfinite(grid[j, i]):
                    light = mesh.norm(grid[j, i]) > 0.6  # viridis turns yellow: dark text there
                    ax.text(xs[i], ys[j], f"{grid[j, i]:.3g}", ha="center", va="center", fontsize=7,
                            color="k" if light else "w")
    else:
        mesh = ax.scatter(x[ok], y[ok], c=z[ok], cmap="viridis", s=60, edgecolors="k", linewidths=0.3)
    if (~ok).any():
        ax.scatter(x[~ok], y[~ok], marker="x", color="red", s=50, label=f"failed ({(~ok).sum()})")
        ax.legend(loc="upper right", fontsize=8)
    fig.colorbar(mesh, ax=ax, label=args.metric)
    ax.set_xlabel(x_key)
    ax.set_ylabel(y_key)
    extra = f"; mean over {int(counts.max())} points per cell" if counts.max() > 1 else ""
    ax.set_title(f"{args.metric} over {x_key} x {y_key} ({len(x)} of {total} points{extra})", fontsize=9)
    out = pathlib.Path(args.output) if args.output else h5.parent / f"sweep_{args.metric.replace('.', '_')}.png"
    fig.tight_layout()
    fig.savefig(out)
    print(out)


if __name__ == "__main__":
    main()
