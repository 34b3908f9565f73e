#!/usr/bin/python3
"""Writes a travelling Gaussian as a run folder's VTK series, in the layout of
io/vtk_series.h, so the renderers can be tested before a 2D or 3D model exists.

    u(x, t) = exp(-|x - x0 - c t e_x|^2 / (2 s^2))       x0 = (L_x/4, L_y/2, L_z/2)
    v(x, t) = -(x - x0_x - c t) / s * u(x, t)            signed, range [-e^-1/2, e^-1/2]

Layout under OUT:
    series.pvd                         one <DataSet timestep=t file=...> per step
    vtk/step_NNNNNN/step_NNNNNN.pvti   WholeExtent, Origin = h/2, Spacing = h
    vtk/step_NNNNNN/step_NNNNNN_R.vti  piece R: a slab along the last axis plus one
                                       node towards the next piece (shared face)
Node i of axis a sits at (i + 1/2) h_a; absent axes have extent [0, 0], origin 0 and
spacing 1. Pieces are ASCII (the readers accept any XML encoding). Only numpy is used,
so this runs where ParaView's Python replaces the vtk module.

Usage:
    make_gaussian_series.py OUT [--cells NX NY [NZ]] [--length LX LY [LZ]] [--steps N]
                            [--dt DT] [--speed C] [--width S] [--pieces P]
"""
import argparse
import os

import numpy as np


def parse(argv=None):
    p = argparse.ArgumentParser(description="Travelling Gaussian as a VTK XML parallel image series.")
    p.add_argument("out", help="run folder to create (series.pvd and vtk/)")
    p.add_argument("--cells", type=int, nargs="+", default=[64, 40], help="cells per axis (1 to 3 axes)")
    p.add_argument("--length", type=float, nargs="+", default=[0.1, 0.0625], help="domain length per axis (m)")
    p.add_argument("--steps", type=int, default=5, help="written steps")
    p.add_argument("--dt", type=float, default=0.02, help="time between written steps (s)")
    p.add_argument("--speed", type=float, default=0.5, help="speed of the pulse along x (m/s)")
    p.add_argument("--width", type=float, default=0.008, help="standard deviation s of the pulse (m)")
    p.add_argument("--pieces", type=int, default=2, help="pieces per step (ranks)")
    args = p.parse_args(argv)
    if not 1 <= len(args.cells) <= 3 or len(args.length) != len(args.cells):
        p.error("--cells and --length need the same number of axes (1 to 3)")
    return args


def fields(cells, h, t, speed, width):
    """u and v on the cell centres, shape (nz, ny, nx) (x fastest in C order)."""
    dim = len(cells)
    axes = [(np.arange(n) + 0.5) * d for n, d in zip(cells, h)]
    lengths = [n * d for n, d in zip(cells, h)]
    centre = [lengths[0] / 4 + speed * t] + [L / 2 for L in lengths[1:]]
    grids = np.meshgrid(*axes, indexing="ij")  # each (nx[, ny[, nz]])
    r2 = sum((g - c) ** 2 for g, c in zip(grids, centre))
    u = np.exp(-r2 / (2 * width ** 2))
    v = -(grids[0] - centre[0]) / width * u
    # (nx, ny, nz) -> (nz, ny, nx)
    return [np.transpose(a).reshape([1] * (3 - dim) + list(reversed(cells))) for a in (u, v)]


def extent_text(e):
    return " ".join(str(x) for pair in e for x in pair)


def piece_extents(whole, pieces):
    """Slabs along the last axis with more than one node; each reaches one node into the next."""
    axis = max(a for a in range(3) if whole[a][1] > 0) if any(w[1] > 0 for w in whole) else 0
    n = whole[axis][1] + 1
    pieces = max(1, min(pieces, n))
    bounds = [round(k * n / pieces) for k in range(pieces + 1)]
    out = []
    for k in range(pieces):
        e = [list(w) for w in whole]
        e[axis] = [bounds[k], min(bounds[k + 1], n - 1)]
        out.append(e)
    return out


def array_text(values):
    return " ".join(f"{x:.17g}" for x in values.ravel())


def write_step(folder, stem, whole, origin, spacing, named, pieces):
    os.makedirs(folder, exist_ok=True)
    geometry = (f'Origin="{" ".join(f"{o:.17g}" for o in origin)}" '
                f'Spacing="{" ".join(f"{s:.17g}" for s in spacing)}"')
    sources = []
    for rank, e in enumerate(piece_extents(whole, pieces)):
        source = f"{stem}_{rank}.vti"
        sources.append((e, source))
        arrays = []
        for name, data in named:
            block = data[e[2][0]:e[2][1] + 1, e[1][0]:e[1][1] + 1, e[0][0]:e[0][1] + 1]
            arrays.append(f'        <DataArray type="Float64" Name="{name}" format="ascii">\n'
                          f"          {array_text(block)}\n        </DataArray>\n")
        with open(os.path.join(folder, source), "w") as f:
            f.write('<?xml version="1.0"?>\n<VTKFile type="ImageData" version="0.1" byte_order="LittleEndian">\n'
                    f'  <ImageData WholeExtent="{extent_text(whole)}" {geometry}>\n'
                    f'    <Piece Extent="{extent_text(e)}">\n      <PointData>\n{"".join(arrays)}'
                    "      </PointData>\n    </Piece>\n  </ImageData>\n</VTKFile>\n")
    with open(os.path.join(folder, f"{stem}.pvti"), "w") as f:
        f.write('<?xml version="1.0"?>\n<VTKFile type="PImageData" version="0.1" byte_order="LittleEndian">\n'
                f'  <PImageData WholeExtent="{extent_text(whole)}" GhostLevel="0" {geometry}>\n    <PPointData>\n')
        for name, _ in named:
            f.write(f'      <PDataArray type="Float64" Name="{name}"/>\n')
        f.write("    </PPointData>\n")
        for e, source in sources:
            f.write(f'    <Piece Extent="{extent_text(e)}" Source="{source}"/>\n')
        f.write("  </PImageData>\n</VTKFile>\n")


def main(argv=None):
    args = parse(argv)
    dim = len(args.cells)
    h = [L / n for L, n in zip(args.length, args.cells)]
    whole = [[0, n - 1] for n in args.cells] + [[0, 0]] * (3 - dim)
    origin = [d / 2 for d in h] + [0.0] * (3 - dim)
    spacing = h + [1.0] * (3 - dim)
    entries = []
    for s in range(args.steps):
        t = s * args.dt
        stem = f"step_{s:06d}"
        u, v = fields(args.cells, h, t, args.speed, args.width)
        write_step(os.path.join(args.out, "vtk", stem), stem, whole, origin, spacing, [("u", u), ("v", v)],
                   args.pieces)
        entries.append(f'    <DataSet timestep="{t:.17g}" part="0" file="vtk/{stem}/{stem}.pvti"/>\n')
    with open(os.path.join(args.out, "series.pvd"), "w") as f:
        f.write('<?xml version="1.0"?>\n<VTKFile type="Collection" version="1.0" byte_order="LittleEndian">\n'
                f'  <Collection>\n{"".join(entries)}  </Collection>\n</VTKFile>\n')
    print(f"wrote {args.steps} steps of a {dim}D travelling Gaussian to {os.path.join(args.out, 'series.pvd')}")


if __name__ == "__main__":
    main()
