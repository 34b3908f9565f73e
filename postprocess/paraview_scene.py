"""The 2D scene of render_field.py set up in ParaView, saved as a screenshot.

Usage (ParaView's batch interpreter; pvpython works too):
    pvbatch postprocess/paraview_scene.py RUN [--field NAME] [--time T|first|last]
        [--out FILE] [--size WxH] [--range LO HI] [--state FILE.pvsm]

RUN is a run folder or its series.pvd (io/vtk_series.h). The scene: the series read by
ParaView's PVD reader, the chosen point array (default: the first) on the slice
representation coloured by the Cool to Warm map over the field's range at that step (or
--range), its scalar bar, the time in a title, seen from +z with a 2D camera. --time
picks the nearest written step (default: the last). The screenshot goes to FILE (default
RUN/paraview_<field>.png); --state also saves the scene as a ParaView state file, to open
with File > Load State in the ParaView GUI and explore from there.

On Debian 12 the package python3-paraview, which provides paraview.simple, cannot be
installed beside python3-vtk9 (needed to build neurofield): see docs/visualisation.md.
"""
import argparse
import os
import sys


def parse(argv):
    p = argparse.ArgumentParser(description="A neurofield run's 2D field as a ParaView screenshot.")
    p.add_argument("run", help="run folder or its series.pvd")
    p.add_argument("--field", help="point array (default: the first)")
    p.add_argument("--time", default="last", help="time in s, first or last (default: last)")
    p.add_argument("--out", help="PNG file (default RUN/paraview_<field>.png)")
    p.add_argument("--size", default="800x600", help="WxH in pixels")
    p.add_argument("--range", nargs=2, type=float, metavar=("LO", "HI"))
    p.add_argument("--state", help="also save the scene as this .pvsm state file")
    p.add_argument("--metadata", action="store_true",
                   help="also write FILE.json: the domain's region in pixels and the colours of the field's "
                        "extremes (tests/render/check_png.py)")
    args = p.parse_args(argv)
    try:
        args.size = [int(v) for v in args.size.lower().split("x")]
        assert len(args.size) == 2 and min(args.size) >= 16
    except (ValueError, AssertionError):
        p.error(f"--size {args.size}: expected WxH in pixels, e.g. 800x600")
    return args


def chosen_time(times, token):
    if not times:
        return 0.0
    if token == "last":
        return times[-1]
    if token == "first":
        return times[0]
    try:
        t = float(token)
    except ValueError:
        sys.exit(f"paraview_scene.py: --time {token}: expected a time in s, first or last")
    return min(times, key=lambda s: abs(s - t))


def write_metadata(path, view, table, field, t, colour_range, data_range, bounds, size):
    """The sidecar of render_field.py --metadata, for the slice seen in this view."""
    import json
    import math
    renderer = view.GetRenderer()
    xs, ys = [], []
    for x in bounds[0:2]:
        for y in bounds[2:4]:
            renderer.SetWorldPoint(x, y, bounds[4], 1.0)
            renderer.WorldToDisplay()
            px, py, _ = renderer.GetDisplayPoint()
            xs.append(px)
            ys.append(py)
    # The point bounds (cell centres) lie half a cell inside the drawn cells; 2 px more inside.
    region = [int(math.ceil(min(xs))) + 2, int(math.ceil(size[1] - max(ys))) + 2,
              int(math.floor(max(xs))) - 2, int(math.floor(size[1] - min(ys))) - 2]
    lut = table.GetClientSideObject()

    def rgb(value):
        colour = [0.0, 0.0, 0.0]
        lut.GetColor(value, colour)
        return [int(round(255 * c)) for c in colour]
    meta = {"kind": "image", "field": field, "time": t, "range": list(colour_range), "data_range": list(data_range),
            "region": region, "extreme_colours": [rgb(v) for v in data_range], "size": list(size)}
    with open(path, "w") as f:
        json.dump(meta, f, indent=1)


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    pvd = os.path.join(args.run, "series.pvd") if os.path.isdir(args.run) else args.run
    if not os.path.isfile(pvd):
        sys.exit(f"paraview_scene.py: {pvd} not found (give a run folder or its series.pvd)")
    try:
        import paraview.simple as pv
    except ImportError as error:
        sys.exit(f"paraview_scene.py: paraview.simple does not import ({error}); run it with pvbatch")

    reader = pv.PVDReader(FileName=os.path.abspath(pvd))
    reader.UpdatePipelineInformation()
    t = chosen_time(list(reader.TimestepValues or []), args.time)
    reader.UpdatePipeline(t)
    arrays = reader.PointData.keys()
    field = args.field or (arrays[0] if arrays else None)
    if field not in arrays:
        sys.exit(f"paraview_scene.py: {pvd} has no point array '{field}' (arrays: {', '.join(arrays)})")
    lo, hi = args.range or reader.PointData[field].GetRange()
    if not hi > lo:
        pad = max(abs(lo) * 1e-6, 1e-30)
        lo, hi = lo - pad, hi + pad

    view = pv.CreateView("RenderView")
    view.ViewSize = args.size
    view.ViewTime = t
    view.OrientationAxesVisibility = 0
    view.Background = [0.32, 0.34, 0.43]
    if hasattr(view, "UseColorPaletteForBackground"):
        view.UseColorPaletteForBackground = 0
    display = pv.Show(reader, view)
    display.Representation = "Slice"
    pv.ColorBy(display, ("POINTS", field))
    table = pv.GetColorTransferFunction(field)
    table.ApplyPreset("Cool to Warm", True)
    table.RescaleTransferFunction(lo, hi)
    pv.GetOpacityTransferFunction(field).RescaleTransferFunction(lo, hi)
    display.SetScalarBarVisibility(view, True)
    bar = pv.GetScalarBar(table, view)
    bar.Title = field
    bar.ComponentTitle = ""
    bar.WindowLocation = "Any Location"
    bar.Orientation = "Vertical"
    bar.Position = [0.86, 0.1]
    bar.ScalarBarLength = 0.78

    title = pv.Text(Text=f"{field}   t = {t:.6g} s")
    title_display = pv.Show(title, view)
    title_display.WindowLocation = "Upper Center"
    title_display.FontSize = 20

    # Looking down z, the domain fitted into the left 80 % of the picture and 85 % of its
    # height (the scalar bar and the title take the rest), centred there.
    pv.Render(view)  # the first render resets the camera; set it afterwards
    x0, x1, y0, y1, z0, z1 = reader.GetDataInformation().GetBounds()
    width, height = max(x1 - x0, 1e-30), max(y1 - y0, 1e-30)
    picture_aspect = args.size[0] / args.size[1]
    scale = 0.5 * max(height / 0.85, width / (0.8 * picture_aspect)) * 1.05  # half the visible height
    focal = [(x0 + x1) / 2 + 0.1 * 2 * scale * picture_aspect, (y0 + y1) / 2, (z0 + z1) / 2]
    view.InteractionMode = "2D"
    view.CameraParallelProjection = 1
    view.CameraFocalPoint = focal
    view.CameraPosition = [focal[0], focal[1], focal[2] + width + height]
    view.CameraViewUp = [0.0, 1.0, 0.0]
    view.CameraParallelScale = scale
    pv.Render(view)

    out = args.out or os.path.join(os.path.dirname(os.path.abspath(pvd)), f"paraview_{field}.png")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    pv.SaveScreenshot(out, view, ImageResolution=args.size)
    print(f"wrote {out} ({field} at t = {t:.6g} s, range [{lo:.6g}, {hi:.6g}])")
    if args.metadata:
        write_metadata(out + ".json", view, table, field, t, (lo, hi), reader.PointData[field].GetRange(),
                       (x0, x1, y0, y1, z0, z1), args.size)
    if args.state:
        pv.SaveState(args.state)
        print(f"wrote {args.state}")


if __name__ == "__main__":
    main()
