#!/usr/bin/python3
"""Pictures of a neurofield run's fields, rendered offscreen from its VTK series.

Usage:
    /usr/bin/python3 postprocess/render_field.py RUN [--field NAME ...] [--time T ...]
        [--every K] [--out DIR | --out PATTERN] [--size WxH] [--range LO HI | --common-range]
        [--cmap NAME] [--contour V ...] [--metadata] [--scale SX SY [SZ]]

RUN is a run folder or its series.pvd (io/vtk_series.h): a VTK collection whose
<DataSet timestep=t file=...> entries point at vtk/step_NNNNNN/step_NNNNNN.pvti, VTK XML
parallel image data with one Float64 point array per model component, on the cell
centres x_i = (i + 1/2) h (m).

    --field   arrays to draw (default: every array of the series)
    --time    times in s, each drawn at the nearest written step, or `first`, `last`
              (default) or `all` (every K-th step from the first, --every K, default 1)
    --out     a folder (default RUN/render) receiving FIELD_step_NNNNNN.png, or a pattern
              with {field}, {step} (step_NNNNNN), {index} and {time}, or one .png file
    --size    picture size in pixels (default 800x600)
    --range   colour (2D, 3D) or y-axis (1D) range; default: the field's range at that
              step, or over all chosen steps with --common-range
    --cmap    matplotlib colour map (default coolwarm, ParaView's Cool to Warm)
    --scale   stretch the axes for viewing (the labels give the stretched extents), e.g.
              1 125 for input_decks/pc_continuum_2d.yaml: 8 layers beside a 64 mm axis
    --contour 3D: iso-surfaces at these values instead of the three mid slices
    --metadata  also write PICTURE.png.json: field, time, range, the picture's data region
              in pixels and the colours the field's extremes must show there (used by the
              tests, tests/render/check_png.py)

A 1D grid gives a line plot (matplotlib, x in m); a 2D grid the image coloured by the
colour map (one flat colour per cell), a scalar bar and the time in the title; a 3D grid
three orthogonal slices through the centre of the domain (or iso-surfaces) in
perspective. 2D and 3D pictures use VTK's OpenGL renderer offscreen, which still needs an
X display: without one, run under `xvfb-run -a /usr/bin/python3 render_field.py ...`.
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
from plot_run import save_with_data_region  # noqa: E402

try:
    from vtkmodules.util.numpy_support import vtk_to_numpy
    import vtkmodules.vtkIOXML as vtk_io
    import vtk_scene
    from vtk_scene import grid_axes
except ImportError as error:
    sys.exit(f"render_field.py: the Python vtk module is missing ({error}); install python3-vtk9")


# ---------------------------------------------------------------- the series
def series_file(run):
    path = os.path.join(run, "series.pvd") if os.path.isdir(run) else run
    if not os.path.isfile(path):
        sys.exit(f"render_field.py: {path} not found (give a run folder or its series.pvd)")
    return path


def read_series(pvd):
    """[(t in s, path of the .pvti, stem)] in file order, from the collection's DataSets."""
    base = os.path.dirname(os.path.abspath(pvd))
    entries = []
    for item in ET.parse(pvd).getroot().iter("DataSet"):
        path = os.path.join(base, item.get("file"))
        stem = os.path.splitext(os.path.basename(path))[0]
        entries.append((float(item.get("timestep", "0")), path, stem))
    if not entries:
        sys.exit(f"render_field.py: {pvd} lists no step")
    return entries


def nearest(entries, t):
    return min(range(len(entries)), key=lambda k: (abs(entries[k][0] - t), k))


def select_steps(entries, times, every):
    """Indices of the chosen steps, in time order, each once."""
    chosen = []
    for token in times:
        if token == "all":
            chosen += list(range(0, len(entries), max(every, 1)))
        elif token == "last":
            chosen.append(len(entries) - 1)
        elif token == "first":
            chosen.append(0)
        else:
            try:
                chosen.append(nearest(entries, float(token)))
            except ValueError:
                sys.exit(f"render_field.py: --time {token}: expected a time in s, first, last or all")
    return sorted(set(chosen), key=lambda k: (entries[k][0], k))


def read_step(path):
    reader = vtk_io.vtkXMLPImageDataReader()
    reader.SetFileName(path)
    reader.Update()
    image = reader.GetOutput()
    if image is None or image.GetNumberOfPoints() == 0:
        sys.exit(f"render_field.py: {path}: no image data read")
    return image


def field_values(image, field, path):
    array = image.GetPointData().GetArray(field)
    if array is None:
        names = [image.GetPointData().GetArrayName(i) for i in range(image.GetPointData().GetNumberOfArrays())]
        sys.exit(f"render_field.py: {path} has no array '{field}' (arrays: {', '.join(names)})")
    return vtk_to_numpy(array)


# ---------------------------------------------------------------- ranges
def padded(lo, hi):
    """A non-empty range around [lo, hi] (a constant field shows the middle colour)."""
    if hi > lo:
        return lo, hi
    pad = max(abs(lo) * 1e-6, 1e-30)
    return lo - pad, hi + pad


# ---------------------------------------------------------------- 1D plot
def plot_line(image, field, values, title, limits, size, path):
    """1D: the field against the cell centres x (m), the y axis spanning `limits` plus 5 %."""
    axis = (grid_axes(image) or [0])[0]
    n = image.GetDimensions()[axis]
    x = image.GetOrigin()[axis] + image.GetSpacing()[axis] * np.arange(n)
    colour = "#1f77b4"
    fig = plt.figure(figsize=(size[0] / 100, size[1] / 100), dpi=100)
    ax = fig.add_subplot()
    line_width, marker, marker_edge = 1.5, 3.0, 1.0  # pt
    ax.plot(x, values, "-o", color=colour, lw=line_width, ms=marker, mew=marker_edge)
    lo, hi = limits
    if n > 1:
        ax.set_xlim(x[0], x[-1])  # the curve crosses the whole axes
    margin = 0.05 * (hi - lo)
    ax.set_ylim(lo - margin, hi + margin)
    ax.set_xlabel(f"{'xyz'[axis]} (m)")
    ax.set_ylabel(field)
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    region = save_with_data_region(fig, ax, path)
    rgb = [int(colour[k:k + 2], 16) for k in (1, 3, 5)]
    thickness = max(line_width, marker + marker_edge) * 100 / 72  # px at 100 dpi
    return {"kind": "line", "region": region, "curve_colour": rgb, "ylim": [lo - margin, hi + margin],
            "curve_thickness_px": thickness}


# ---------------------------------------------------------------- driver
def stretch(image, factors):
    """Multiplies the image's origin and spacing per axis (for viewing only)."""
    f = list(factors) + [1.0] * (3 - len(factors))
    image.SetOrigin(*[o * s for o, s in zip(image.GetOrigin(), f)])
    image.SetSpacing(*[h * s for h, s in zip(image.GetSpacing(), f)])


def parse_size(text):
    try:
        w, h = (int(v) for v in text.lower().split("x"))
        if w < 16 or h < 16:
            raise ValueError
        return w, h
    except ValueError:
        sys.exit(f"render_field.py: --size {text}: expected WxH in pixels, e.g. 800x600")


def picture_path(out, field, stem, index, t, count):
    if "{" in out:
        return out.format(field=field, step=stem, index=index, time=t)
    if out.lower().endswith(".png"):
        if count > 1:
            sys.exit(f"render_field.py: --out {out} names one file but {count} pictures are due; "
                     "give a folder or a pattern with {field} and {step}")
        return out
    return os.path.join(out, f"{field}_{stem}.png")


def parse(argv):
    p = argparse.ArgumentParser(description="Render a neurofield run's fields to PNG (offscreen).")
    p.add_argument("run", help="run folder or its series.pvd")
    p.add_argument("--field", nargs="+", help="arrays to draw (default: all)")
    p.add_argument("--time", nargs="+", default=["last"], help="times in s, first, last or all (default: last)")
    p.add_argument("--every", type=int, default=1, help="with --time all: every K-th step")
    p.add_argument("--out", help="folder, file pattern ({field}, {step}, {index}, {time}) or .png file")
    p.add_argument("--size", default="800x600", help="WxH in pixels")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--range", nargs=2, type=float, metavar=("LO", "HI"), help="fixed colour / y range")
    group.add_argument("--common-range", action="store_true", help="one range over all chosen steps")
    p.add_argument("--cmap", default="coolwarm", help="matplotlib colour map name")
    p.add_argument("--contour", nargs="+", type=float, metavar="V", help="3D: iso-surfaces at these values")
    p.add_argument("--metadata", action="store_true", help="write PICTURE.png.json beside each picture")
    p.add_argument("--scale", nargs="+", type=float, metavar="S",
                   help="stretch the axes by these factors for viewing (e.g. 1 125 for a hierarchy of 8 "
                        "layers beside a 64 mm lateral axis); the axis labels give the stretched extents")
    args = p.parse_args(argv)
    if args.range and not args.range[1] > args.range[0]:
        p.error("--range LO HI needs LO < HI")
    if args.cmap not in plt.colormaps():
        p.error(f"--cmap {args.cmap}: not a matplotlib colour map")
    return args


def main(argv=None):
    args = parse(argv)
    pvd = series_file(args.run)
    size = parse_size(args.size)
    entries = read_series(pvd)
    chosen = select_steps(entries, args.time, args.every)
    out = args.out or os.path.join(os.path.dirname(os.path.abspath(pvd)), "render")
    if "{" not in out and not out.lower().endswith(".png"):
        os.makedirs(out, exist_ok=True)
    first = read_step(entries[chosen[0]][1])
    data = first.GetPointData()
    fields = args.field or [data.GetArrayName(i) for i in range(data.GetNumberOfArrays())]
    common = {}
    if args.common_range:
        for k in chosen:
            image = read_step(entries[k][1])
            for f in fields:
                v = field_values(image, f, entries[k][1])
                lo, hi = common.get(f, (math.inf, -math.inf))
                common[f] = (min(lo, float(v.min())), max(hi, float(v.max())))
    count = len(chosen) * len(fields)
    written = []
    for index, k in enumerate(chosen):
        t, path, stem = entries[k]
        image = first if k == chosen[0] else read_step(path)
        if args.scale:
            stretch(image, args.scale)
        axes = grid_axes(image)
        for field in fields:
            values = field_values(image, field, path)
            data_range = (float(values.min()), float(values.max()))
            lo, hi = padded(*(args.range or common.get(field) or data_range))
            title = f"{field}   t = {t:.6g} s" + (f"   (axes x {' x '.join(f'{s:g}' for s in args.scale)})"
                                                      if args.scale else "")
            target = picture_path(out, field, stem, index, t, count)
            os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
            if len(axes) <= 1:
                meta = plot_line(image, field, values, title, (lo, hi), size, target)
            else:
                table = vtk_scene.colour_table(args.cmap, lo, hi)
                if len(axes) == 2:
                    meta = vtk_scene.render_image(image, field, title, table, size, target, axes)
                    # Every cell is drawn flat in its table colour: the data region shows these
                    # colours, the extremes' among them, and no other.
                    meta["extreme_colours"] = [vtk_scene.colour_of(table, v) for v in data_range]
                    meta["cell_colours"] = vtk_scene.cell_colours(table, values)
                    meta["only_cell_colours"] = True
                else:
                    meta = vtk_scene.render_volume(image, field, title, table, size, target, args.contour)
            if args.metadata:
                meta.update({"field": field, "time": t, "step_file": path, "range": [lo, hi],
                             "data_range": list(data_range), "size": list(size)})
                with open(target + ".json", "w") as f:
                    json.dump(meta, f, indent=1)
            written.append(target)
    for target in written:
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
