#!/usr/bin/python3
"""Checks that pictures show a field, not a blank or one-colour window.

    check_png.py PNG... [--expect N] [--min-colours 20] [--min-luma-std 0.02] [--metadata]

For every PNG (8-bit RGB or RGBA), over the whole picture:
  * distinct colours >= --min-colours: a blank or failed render is one or two colours
    (background, maybe the title's anti-aliased text adds a few dozen greys, so over
    the whole picture this only catches an empty window);
  * standard deviation of the luma Y = 0.2126 R + 0.7152 G + 0.0722 B (Rec. 709, R, G, B
    in [0, 1]) >= --min-luma-std: a one-colour picture has 0, and 8-bit rounding alone
    gives at most 1/255.

With --metadata each PNG needs the sidecar PNG.json that the renderers write
(render_field.py / kymograph.py --metadata), and the checks look inside the data region
it names (the image of the domain, or the plot's axes), where the scalar bar, title and
labels are absent:
  kind image, kymograph: the same two thresholds inside the region, and both colours the
      field's extremes map to ("extreme_colours") appear there within 1 unit per channel
      (the table colour rounded to 8 bits by the renderer and by the sidecar): every cell
      is drawn in its own table colour, so the region shows the extremes exactly when the
      colour range was applied to the field;
  kind slices, contour (3D): the two thresholds inside the region;
  kind line: the pixels of the curve's colour (within 40 units per channel: the centre
      of an anti-aliased line 2 px wide keeps its colour) occupy >= 98 % of the region's
      columns (the x axis is limited to the first and last cell centre, so the curve
      crosses the whole axes), and their vertical extent matches the data's: the y axis
      spans `ylim`, so the curve's rows cover (max - min) / (ylim[1] - ylim[0]) of the
      height plus the curve's thickness (markers on the extreme cells), within 3 px (a
      pixel of anti-aliasing at each end, one of rounding the axes box to pixels).
--expect N: exactly N pictures were given (a glob that matched the wrong count fails).
Prints the measured numbers; exits 1 naming every failed check.
"""
import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402
import numpy as np  # noqa: E402

LUMA = np.array([0.2126, 0.7152, 0.0722])
EXACT = 1         # per channel, 8-bit units: a table colour after two roundings
CURVE_TOLERANCE = 40
CURVE_COLUMNS = 0.98


def read_rgb(path):
    image = mpimg.imread(path)
    if image.dtype != np.uint8:
        image = np.rint(np.asarray(image, dtype=float) * 255)
    image = np.asarray(image, dtype=int)
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    return image[:, :, :3]


def distinct_colours(rgb):
    flat = rgb.reshape(-1, 3)
    return len(np.unique(flat[:, 0] * 65536 + flat[:, 1] * 256 + flat[:, 2]))


def luma_std(rgb):
    return float((rgb.reshape(-1, 3) @ LUMA / 255.0).std())


class Report:
    def __init__(self, name):
        self.name = name
        self.failures = []

    def measure(self, what, value, ok, requirement):
        print(f"  {what} = {value}  ({requirement}){'' if ok else '  FAILED'}")
        if not ok:
            self.failures.append(f"{self.name}: {what} = {value}, needs {requirement}")


def check_variety(report, rgb, where, args, available=None):
    """available: how many colours the field itself has (a region cannot show more)."""
    least = min(args.min_colours, available) if available else args.min_colours
    colours = distinct_colours(rgb)
    report.measure(f"distinct colours {where}", colours, colours >= least, f">= {least}")
    std = luma_std(rgb)
    report.measure(f"luma std {where}", round(std, 4), std >= args.min_luma_std, f">= {args.min_luma_std}")


def unique_colours(rgb):
    return np.unique(rgb.reshape(-1, 3), axis=0)


def matches(colours, palette):
    """For each colour, whether some palette colour is within EXACT on every channel."""
    if len(palette) == 0:
        return np.zeros(len(colours), dtype=bool)
    distance = np.abs(colours[:, None, :] - np.asarray(palette)[None, :, :]).max(axis=2)
    return (distance <= EXACT).any(axis=1)


def check_extremes(report, region, colours):
    for label, colour in zip(("minimum", "maximum"), colours):
        distance = np.abs(region - np.array(colour)).max(axis=2)
        pixels = int((distance <= EXACT).sum())
        report.measure(f"pixels of the {label}'s colour {tuple(colour)}", pixels, pixels >= 1, ">= 1")


def check_cell_colours(report, region, meta):
    cells = np.array(meta["cell_colours"], dtype=int).reshape(-1, 3)
    shown = unique_colours(region)
    missing = int((~matches(cells, shown)).sum())
    report.measure(f"cell colours missing from the region (of {len(cells)})", missing, missing == 0, "0")
    if meta.get("only_cell_colours"):
        foreign = ~matches(shown, cells)
        pixels = int(foreign[np.unique(region.reshape(-1, 3), axis=0, return_inverse=True)[1].ravel()].sum())
        report.measure("region pixels of no cell's colour", pixels, pixels == 0, "0")


def check_curve(report, region, meta):
    curve = np.abs(region - np.array(meta["curve_colour"])).max(axis=2) <= CURVE_TOLERANCE
    columns = float(curve.any(axis=0).mean())
    report.measure("columns crossed by the curve", round(columns, 4), columns >= CURVE_COLUMNS, f">= {CURVE_COLUMNS}")
    rows = np.flatnonzero(curve.any(axis=1))
    height = region.shape[0]
    span = (rows[-1] - rows[0] + 1) / height if rows.size else 0.0
    lo, hi = meta["data_range"]
    y0, y1 = meta["ylim"]
    # Data rows plus the curve's thickness (markers on the extreme cells reach half of it
    # beyond each end), within a pixel of anti-aliasing per end and one of rounding.
    expected = min(max((min(hi, y1) - max(lo, y0)) / (y1 - y0), 0.0), 1.0) + meta["curve_thickness_px"] / height
    slack = 3 / height
    report.measure("height spanned by the curve", round(span, 4), abs(span - expected) <= slack,
                   f"{expected:.4f} +- {slack:.4f} from the data range over ylim")


def check(path, args):
    report = Report(path)
    print(path)
    if not os.path.isfile(path):
        report.failures.append(f"{path}: no such file")
        return report.failures
    rgb = read_rgb(path)
    print(f"  size {rgb.shape[1]}x{rgb.shape[0]}")
    check_variety(report, rgb, "in the picture", args)
    if args.metadata:
        sidecar = path + ".json"
        if not os.path.isfile(sidecar):
            report.failures.append(f"{path}: no sidecar {sidecar} (render with --metadata)")
            return report.failures
        with open(sidecar) as f:
            meta = json.load(f)
        x0, y0, x1, y1 = meta["region"]
        region = rgb[y0:y1, x0:x1]
        print(f"  {meta['kind']} of {meta.get('field')} at t = {meta.get('time')} s, region {x1 - x0}x{y1 - y0} px")
        if region.size == 0:
            report.failures.append(f"{path}: empty data region {meta['region']}")
        elif meta["kind"] == "line":
            check_curve(report, region, meta)
        else:
            check_variety(report, region, "in the data region", args, len(meta.get("cell_colours", [])) or None)
            if "extreme_colours" in meta:
                check_extremes(report, region, meta["extreme_colours"])
            if "cell_colours" in meta:
                check_cell_colours(report, region, meta)
    return report.failures


def main(argv=None):
    p = argparse.ArgumentParser(description="Check that PNG pictures show a field.")
    p.add_argument("png", nargs="*")
    p.add_argument("--expect", type=int, help="number of pictures that must be given")
    p.add_argument("--min-colours", type=int, default=20)
    p.add_argument("--min-luma-std", type=float, default=0.02)
    p.add_argument("--metadata", action="store_true", help="use each PNG's .json sidecar")
    args = p.parse_args(argv)
    failures = [] if args.png else ["no picture given"]
    if args.expect is not None and len(args.png) != args.expect:
        failures.append(f"{len(args.png)} pictures given, {args.expect} expected: {' '.join(args.png)}")
    for path in args.png:
        failures += check(path, args)
    if failures:
        print("check_png.py: FAILED\n  " + "\n  ".join(failures))
        return 1
    print(f"check_png.py: {len(args.png)} pictures pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
