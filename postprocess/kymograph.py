#!/usr/bin/python3
"""Space-time picture u(x, t) of a 1D neurofield run, optionally with lines of given speeds.

Usage:
    /usr/bin/python3 postprocess/kymograph.py RUN [--field NAME] [--source auto|h5|pvd]
        [--out FILE] [--size WxH] [--range LO HI] [--cmap NAME]
        [--speed C ...] [--origin X0 T0] [--t-start T0] [--t-end T1] [--log [DECADES]]
        [--metadata]

RUN is a run folder (or its fields.h5 or series.pvd). The field comes from fields.h5
(io/hdf5_fields.h: /fields/<name> [n_steps, nx], /time [n_steps] in s, attribute
`spacing` in m) or, with --source pvd or when fields.h5 is absent, from every step of
series.pvd (io/vtk_series.h). Cell i is centred at x_i = (i + 1/2) h.

The picture (default RUN/kymograph_<field>.png) has x (m) across and t (s) upwards, one
flat colour per cell and written step. For a layer chain (the run's deck.used.yaml, or
fields.h5's `deck` attribute, has model.layers) the axis is the layer, 1..N, and speeds
are in layers/s. --t-start/--t-end keep the written steps in [T0, T1] (s): a 6 s run of
the chain holds 78 periods of its 13 Hz mode, too many stripes to read in 600 pixels.
--log draws log10|u| over the top DECADES decades (default 6) with viridis: the chain's
amplitudes grow by sqrt(tau_D/tau) = 3.4 per layer, which a linear map shows in the top
layer alone. A field of both signs uses a diverging map
centred on 0 (RdBu_r, range +-max|u|; each sign must exceed 1e-3 max|u|), otherwise viridis over [min, max]; --range and
--cmap override. --speed C draws the line x = X0 + C (t - T0) for each speed C (m/s, negative
for a front moving to smaller x), to compare a front with its predicted speed; --origin sets
(X0 in m, T0 in s), by default the first cell centre and the first time |u| there
reaches half its peak (the front leaving the first cell). --metadata also writes
FILE.json with the axes' region in pixels and the colours of the field's extremes
(tests/render/check_png.py).
"""
import argparse
import json
import math
import os
import sys
import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from plot_run import as_text, edges, is_layered, run_model, save_with_data_region  # noqa: E402

LINE_COLOURS = ["white", "black", "orange", "magenta"]
SIGN_FLOOR = 1e-3  # values of one sign below this fraction of max|u| are round-off, not a sign


def locate(run, source):
    """(kind, path): the fields.h5 or series.pvd to read."""
    if os.path.isfile(run):
        return ("pvd" if run.endswith(".pvd") else "h5"), run
    h5_path, pvd_path = os.path.join(run, "fields.h5"), os.path.join(run, "series.pvd")
    if source in ("auto", "h5") and os.path.isfile(h5_path):
        return "h5", h5_path
    if source in ("auto", "pvd") and os.path.isfile(pvd_path):
        return "pvd", pvd_path
    wanted = {"auto": "fields.h5 or series.pvd", "h5": "fields.h5", "pvd": "series.pvd"}[source]
    sys.exit(f"kymograph.py: {run} holds no {wanted}")


def read_h5(path, field):
    """(t [n_steps] s, x [nx] m, u [n_steps, nx], name)."""
    import h5py
    with h5py.File(path, "r") as f:
        names = [as_text(n) for n in f.attrs.get("components", [])] or list(f["fields"].keys())
        name = field or names[0]
        if f"fields/{name}" not in f:
            sys.exit(f"kymograph.py: {path} has no field '{name}' (fields: {', '.join(names)})")
        data = np.asarray(f[f"fields/{name}"][...], dtype=float)
        if data.ndim != 2:
            sys.exit(f"kymograph.py: {path}: '{name}' is {data.ndim - 1}D; a kymograph needs a 1D run")
        h = float(np.atleast_1d(f.attrs.get("spacing", [1.0]))[0])
        t = np.asarray(f["time"][...], dtype=float)
    return t, (np.arange(data.shape[1]) + 0.5) * h, data, name


def read_pvd(path, field):
    from vtkmodules.util.numpy_support import vtk_to_numpy
    import vtkmodules.vtkIOXML as vtk_io
    base = os.path.dirname(os.path.abspath(path))
    times, rows, x, name = [], [], None, field
    for item in ET.parse(path).getroot().iter("DataSet"):
        reader = vtk_io.vtkXMLPImageDataReader()
        reader.SetFileName(os.path.join(base, item.get("file")))
        reader.Update()
        image = reader.GetOutput()
        dims = image.GetDimensions()
        if sum(n > 1 for n in dims) > 1:
            sys.exit(f"kymograph.py: {path} holds a {sum(n > 1 for n in dims)}D grid; a kymograph needs a 1D run")
        data = image.GetPointData()
        name = name or data.GetArrayName(0)
        array = data.GetArray(name)
        if array is None:
            sys.exit(f"kymograph.py: {item.get('file')} has no array '{name}'")
        if x is None:
            axis = max(range(3), key=lambda a: dims[a])
            x = image.GetOrigin()[axis] + image.GetSpacing()[axis] * np.arange(dims[axis])
        times.append(float(item.get("timestep", "0")))
        rows.append(vtk_to_numpy(array).astype(float))
    if not rows:
        sys.exit(f"kymograph.py: {path} lists no step")
    return np.array(times), x, np.array(rows), name


def colour_range(u, given, cmap):
    if given:
        return given[0], given[1], cmap or "viridis"
    lo, hi = float(u.min()), float(u.max())
    peak = max(-lo, hi)
    if lo < -SIGN_FLOOR * peak and hi > SIGN_FLOOR * peak:
        return -peak, peak, cmap or "RdBu_r"
    if hi <= lo:
        pad = max(abs(lo) * 1e-6, 1e-30)
        lo, hi = lo - pad, hi + pad
    return lo, hi, cmap or "viridis"


def default_origin(t, x, u):
    """(first cell centre, first time |u| there reaches half its peak), in (m, s)."""
    first = np.abs(u[:, 0])
    reached = np.flatnonzero(first >= 0.5 * first.max()) if first.max() > 0 else []
    return float(x[0]), float(t[reached[0]] if len(reached) else t[0])


def log_amplitude(u, decades):
    """log10|u| with values below max|u| * 10^-decades raised to that floor."""
    peak = float(np.max(np.abs(u)))
    floor = peak * 10.0 ** (-decades) if peak > 0 else 1e-300
    return np.log10(np.maximum(np.abs(u), floor))


def time_window(t, u, t_start, t_end):
    keep = np.ones(t.size, dtype=bool)
    if t_start is not None:
        keep &= t >= t_start
    if t_end is not None:
        keep &= t <= t_end
    if not np.any(keep):
        sys.exit(f"kymograph.py: no written step in [{t_start}, {t_end}] s (steps {t[0]:g} to {t[-1]:g} s)")
    return t[keep], u[keep]


def draw(t, x, u, name, args, path, layered=False):
    w, h = args.size
    lo, hi, cmap = colour_range(u, args.range, args.cmap)
    if args.log is not None and not args.range:  # log10|u| is one quantity, not two signs
        lo, hi, cmap = float(u.min()), float(u.max()), args.cmap or "viridis"
    fig = plt.figure(figsize=(w / 100, h / 100), dpi=100)
    ax = fig.add_subplot()
    dx = float(x[1] - x[0]) if x.size > 1 else 1.0
    dt = float(t[1] - t[0]) if t.size > 1 else 1.0
    x_edges, t_edges = edges(x, dx), edges(t, dt)
    mesh = ax.pcolormesh(x_edges, t_edges, u, shading="flat", cmap=cmap, vmin=lo, vmax=hi)
    fig.colorbar(mesh, ax=ax, label=f"log10 |{name}|" if args.log is not None else name)
    if args.speed:
        x0, t0 = args.origin if args.origin else default_origin(t, x, u)
        for k, c in enumerate(args.speed):
            ts = np.array([t_edges[0], t_edges[-1]])
            unit, where = ("layers/s", f"layer {x0:g}") if layered else ("m/s", f"{x0:g} m")
            ax.plot(x0 + c * (ts - t0), ts, "--", lw=1.5, color=LINE_COLOURS[k % len(LINE_COLOURS)],
                    label=f"{c:g} {unit} from ({where}, {t0:g} s)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8, frameon=False)
    ax.set_xlim(x_edges[0], x_edges[-1])
    ax.set_ylim(t_edges[0], t_edges[-1])
    ax.set_xlabel("layer" if layered else "x (m)")
    ax.set_ylabel("t (s)")
    shown = f"log10 |{name}|" if args.log is not None else name
    ax.set_title(f"{shown}(layer, t)" if layered else f"{shown}(x, t)")
    fig.tight_layout()
    region = save_with_data_region(fig, ax, path)
    def rgb(values):
        return [[int(round(255 * c)) for c in colour[:3]] for colour in mesh.cmap(mesh.norm(values))]
    cells = np.unique(np.array(rgb(u.ravel())), axis=0).tolist()
    # Every cell and step is drawn flat in its colour; the lines add their own.
    return {"kind": "kymograph", "field": name, "region": region, "range": [lo, hi],
            "data_range": [float(u.min()), float(u.max())], "time": [float(t[0]), float(t[-1])],
            "extreme_colours": rgb([u.min(), u.max()]), "cell_colours": cells,
            "only_cell_colours": not args.speed}


def parse(argv):
    p = argparse.ArgumentParser(description="Space-time picture of a 1D neurofield run.")
    p.add_argument("run", help="run folder, fields.h5 or series.pvd")
    p.add_argument("--field", help="component (default: the first)")
    p.add_argument("--source", choices=["auto", "h5", "pvd"], default="auto")
    p.add_argument("--out", help="PNG file (default RUN/kymograph_<field>.png)")
    p.add_argument("--size", default="900x600", help="WxH in pixels")
    p.add_argument("--range", nargs=2, type=float, metavar=("LO", "HI"))
    p.add_argument("--cmap", help="matplotlib colour map")
    p.add_argument("--speed", nargs="+", type=float, metavar="C", help="speeds of lines to draw (m/s)")
    p.add_argument("--origin", nargs=2, type=float, metavar=("X0", "T0"), help="where the lines start (m, s)")
    p.add_argument("--t-start", type=float, help="first time drawn (s)")
    p.add_argument("--t-end", type=float, help="last time drawn (s)")
    p.add_argument("--log", nargs="?", type=float, const=6.0, metavar="DECADES",
                   help="draw log10|u| over the top DECADES decades (default 6)")
    p.add_argument("--metadata", action="store_true", help="write FILE.json beside the picture")
    args = p.parse_args(argv)
    try:
        args.size = tuple(int(v) for v in args.size.lower().split("x"))
        assert len(args.size) == 2 and min(args.size) >= 16
    except (ValueError, AssertionError):
        p.error(f"--size {args.size}: expected WxH in pixels, e.g. 900x600")
    if args.t_start is not None and args.t_end is not None and not args.t_end > args.t_start:
        p.error("--t-start T0 --t-end T1 needs T0 < T1")
    if args.log is not None and not args.log > 0:
        p.error(f"--log {args.log}: the number of decades must be positive")
    if args.range and not args.range[1] > args.range[0]:
        p.error("--range LO HI needs LO < HI")
    if args.cmap and args.cmap not in plt.colormaps():
        p.error(f"--cmap {args.cmap}: not a matplotlib colour map")
    return args


def main(argv=None):
    args = parse(argv)
    kind, path = locate(args.run, args.source)
    t, x, u, name = (read_h5 if kind == "h5" else read_pvd)(path, args.field)
    if u.shape[0] == 0:
        sys.exit(f"kymograph.py: {path} holds no written step")
    run_dir = args.run if os.path.isdir(args.run) else os.path.dirname(os.path.abspath(args.run))
    layered = is_layered(run_model(run_dir))
    if layered:
        x = np.arange(1, x.size + 1, dtype=float)  # cell i is layer i + 1
    t, u = time_window(t, u, args.t_start, args.t_end)
    if args.log is not None:
        u = log_amplitude(u, args.log)
    out = args.out or os.path.join(run_dir, f"kymograph_{name}.png")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    meta = draw(t, x, u, name, args, out, layered)
    if args.metadata:
        meta["source"] = path
        with open(out + ".json", "w") as f:
            json.dump(meta, f, indent=1)
    print(f"wrote {out} ({u.shape[0]} steps x {u.shape[1]} cells from {path})")


if __name__ == "__main__":
    main()
