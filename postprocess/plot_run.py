#!/usr/bin/python3
"""Quick-look plots of a neurofield run: a kymograph and the probes' amplitude spectra.

Usage:
    /usr/bin/python3 postprocess/plot_run.py RUN_DIR [--out DIR]

Reads RUN_DIR/probes.h5, written by nf::ProbeRecorder (io/probe_recorder.h):
    /time    [n_steps]                          simulated time (s)
    /values  [n_steps, n_probes, n_components]  state at the probe cells
    /cells   [n_probes, 3]                      global cell index (i, j, k)
    attribute `components`                      component names
and, when present and one-dimensional, RUN_DIR/fields.h5 from nf::Hdf5FieldWriter
(io/hdf5_fields.h): /fields/<name> [n_outputs, nx], /time [n_outputs] (s), attribute
`spacing` (m).

Writes to DIR (default RUN_DIR):
    kymograph.png  component 0 against time (s): per probe (y = probe index), and for a
                   1D field also per cell (y = cell centre, m; for a layer chain, whose
                   deck.used.yaml has model.layers, y = layer 1..N and probes are
                   named by layer)
    spectrum.png   amplitude spectrum of component 0 at every probe (Hz, log-log):
                   Welch average of Hann-windowed, mean-removed segments with 50 %
                   overlap, scaled so a sine of amplitude A peaks at about A

Spectrum sampling (Welch, IEEE Trans. Audio Electroacoust. 15:70 (1967)):
  * segment length T_seg = 1/resolution (s): the bin spacing is the resolution (Hz);
    the default is a quarter of the recorded duration (7 segments at 50 % overlap);
  * sample rate fs = 2 f_max (Hz), f_max the band shown (default: the Nyquist frequency
    of the median step, at most MAX_SAMPLES over the duration); adaptive steps are
    averaged over each output interval (a box filter against aliasing when the steps are
    finer than 1/fs), fixed steps are taken as they are.
The old scheme (the median step, at most 1,024 samples a segment) showed nothing below
35 Hz for a CVODE run driven by noise, whose median step is a fraction of a millisecond.
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import h5py  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

MAX_SAMPLES = 1 << 22  # resampled points per signal at most (memory, FFT time)
SEGMENTS_PER_DURATION = 4  # default segment: a quarter of the duration
MAX_LEGEND = 12     # probes named in the spectrum legend at most


def as_text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def save_with_data_region(fig, ax, path):
    """Saves fig as a PNG at 100 dpi and returns the pixel box [x0, y0, x1, y1] strictly
    inside the axes' data area (y down), where a check may look for the field alone."""
    import math
    fig.canvas.draw()
    box = ax.get_window_extent()
    height = fig.canvas.get_width_height()[1]
    region = [int(math.ceil(box.x0)) + 1, int(math.ceil(height - box.y1)) + 1,
              int(math.floor(box.x1)) - 1, int(math.floor(height - box.y0)) - 1]
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return region


def read_probes(path):
    with h5py.File(path, "r") as f:
        names = [as_text(n) for n in f.attrs.get("components", [])]
        values = np.asarray(f["values"][...], dtype=float)
        if not names:
            names = [f"component {c}" for c in range(values.shape[2])]
        return {
            "time": np.asarray(f["time"][...], dtype=float),
            "values": values,
            "cells": np.asarray(f["cells"][...], dtype=int).reshape(-1, 3),
            "components": names,
        }


def read_line_field(path):
    """Component 0 of a 1D fields.h5 as (time, data [n_out, nx], name, dx); else None."""
    if not os.path.exists(path):
        return None
    with h5py.File(path, "r") as f:
        names = [as_text(n) for n in f.attrs.get("components", [])]
        if not names or f"fields/{names[0]}" not in f or "time" not in f:
            return None
        data = f[f"fields/{names[0]}"]
        if data.ndim != 2 or data.shape[0] == 0:
            return None
        spacing = np.atleast_1d(f.attrs.get("spacing", [1.0]))
        return np.asarray(f["time"][...], float), np.asarray(data[...], float), names[0], float(spacing[0])


def edges(centres, default_width=1.0):
    """Cell edges around sorted centres (for pcolormesh); works for a single centre."""
    c = np.asarray(centres, dtype=float)
    if c.size == 1:
        return np.array([c[0] - 0.5 * default_width, c[0] + 0.5 * default_width])
    mid = 0.5 * (c[1:] + c[:-1])
    return np.concatenate(([c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]))


def model_section(text):
    """The `model:` keys of a deck's YAML text (deck.used.yaml, or fields.h5's `deck`
    attribute) as strings; {} if absent. Plain two-level YAML, as the run writes it."""
    keys, inside = {}, False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            inside = line.split("#")[0].strip() == "model:"
            continue
        if inside and ":" in line:
            key, value = line.split("#")[0].split(":", 1)
            keys[key.strip()] = value.strip()
    return keys


def run_model(run_dir):
    """The run's model keys, from RUN_DIR/deck.used.yaml or else fields.h5's `deck`."""
    used = os.path.join(run_dir, "deck.used.yaml")
    if os.path.isfile(used):
        with open(used) as f:
            return model_section(f.read())
    fields = os.path.join(run_dir, "fields.h5")
    if os.path.isfile(fields):
        with h5py.File(fields, "r") as f:
            if "deck" in f.attrs:
                return model_section(as_text(f.attrs["deck"]))
    return {}


def is_layered(model):
    """A layer chain (the predictive-coding hierarchy): cell i is layer i + 1."""
    return "layers" in model


def probe_label(p, cell, layered=False):
    if layered:
        return f"layer {cell[0] + 1}"
    return f"probe {p} ({cell[0]}, {cell[1]}, {cell[2]})"


def scaled_rows(values, raw):
    """Each row (probe or cell) divided by its peak |value|, unless raw: layers whose
    amplitudes differ by orders of magnitude then all show their phase."""
    if raw:
        return values
    peak = np.max(np.abs(values), axis=0, keepdims=True)
    return values / np.where(peak > 0, peak, 1.0)


def plot_kymograph(probes, line, out_path, raw=False, layered=False):
    panels = 2 if line is not None else 1
    fig, axes = plt.subplots(panels, 1, figsize=(9, 3.2 * panels + 0.6), squeeze=False)
    name = probes["components"][0]
    t = probes["time"]
    ax = axes[0, 0]
    n_probes = probes["values"].shape[1]
    if t.size and n_probes:
        mesh = ax.pcolormesh(edges(t), np.arange(n_probes + 1) - 0.5, scaled_rows(probes["values"][:, :, 0], raw).T,
                             shading="flat", cmap="RdBu_r")
        fig.colorbar(mesh, ax=ax, label=name if raw else f"{name} / row peak")
    else:
        ax.text(0.5, 0.5, "no probe samples", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("probe")
    if 0 < n_probes <= 16:
        ax.set_yticks(range(n_probes))
        ax.set_yticklabels([probe_label(p, c, layered) for p, c in enumerate(probes["cells"])], fontsize=7)
    ax.set_title(f"{name} at the probes" + ("" if raw else " (each row scaled to its peak)"))
    if line is not None:
        lt, data, lname, dx = line
        ax = axes[1, 0]
        x = np.arange(1, data.shape[1] + 1) if layered else (np.arange(data.shape[1]) + 0.5) * dx
        mesh = ax.pcolormesh(edges(lt), edges(x, 1.0 if layered else dx), scaled_rows(data, raw).T, shading="flat",
                             cmap="RdBu_r")
        fig.colorbar(mesh, ax=ax, label=lname if raw else f"{lname} / row peak")
        ax.set_xlabel("time (s)")
        ax.set_ylabel("layer" if layered else "cell centre (m)")
        ax.set_title(f"{lname} on the 1D grid (fields.h5)")
    fig.tight_layout()
    fig.savefig(out_path, dpi=120)
    plt.close(fig)


def box_average(t, y, grid, dt):
    """Mean of the piecewise-linear y(t) over [g - dt/2, g + dt/2] for each g in grid
    (clipped to [t0, t_end]): the integral of y by the trapezoid rule, differenced."""
    integral = np.concatenate(([0.0], np.cumsum(0.5 * (y[1:] + y[:-1]) * np.diff(t))))
    lo = np.clip(grid - 0.5 * dt, t[0], t[-1])
    hi = np.clip(grid + 0.5 * dt, t[0], t[-1])
    width = np.where(hi > lo, hi - lo, 1.0)
    mean = (np.interp(hi, t, integral) - np.interp(lo, t, integral)) / width
    return np.where(hi > lo, mean, np.interp(grid, t, y))


def uniform(t, y, f_max=None):
    """(dt, y on a uniform grid from t[0]); dt is None if < 2 samples. dt = 1/(2 f_max),
    by default the median step, never so fine that the grid exceeds MAX_SAMPLES."""
    if t.size < 2:
        return None, y
    steps = np.diff(t)
    if not np.any(steps > 0):
        return None, y
    median = float(np.median(steps[steps > 0]))
    duration = float(t[-1] - t[0])
    dt = median if f_max is None else 0.5 / f_max
    dt = max(dt, duration / (MAX_SAMPLES - 1))
    if np.allclose(steps, dt, rtol=1e-6, atol=0):
        return dt, y
    n = int(np.floor(duration / dt)) + 1
    grid = t[0] + dt * np.arange(n)
    if dt > 1.5 * median:
        return dt, box_average(t, y, grid, dt)
    return dt, np.interp(grid, t, y)


def amplitude_spectrum(t, y, resolution=None, f_max=None):
    """(f in Hz, amplitude, resolution in Hz) by averaging Hann-windowed segments of
    length 1/resolution (default a quarter of the duration); None if too short."""
    dt, y = uniform(t, y, f_max)
    if dt is None or y.size < 4:
        return None
    duration = dt * (y.size - 1)
    segment = duration / SEGMENTS_PER_DURATION if resolution is None else 1.0 / resolution
    n = int(min(y.size, max(4, round(segment / dt))))
    hop = max(n // 2, 1)
    window = np.hanning(n)
    power = np.zeros(n // 2 + 1)
    count = 0
    for start in range(0, y.size - n + 1, hop):
        piece = y[start:start + n]
        power += np.abs(np.fft.rfft((piece - piece.mean()) * window)) ** 2
        count += 1
    amplitude = 2.0 * np.sqrt(power / count) / window.sum()
    return np.fft.rfftfreq(n, dt), amplitude, 1.0 / (n * dt)


def plot_spectrum(probes, out_path, resolution=None, f_max=None, layered=False):
    fig, ax = plt.subplots(figsize=(8, 4.5))
    name = probes["components"][0]
    drawn = False
    n_probes = probes["values"].shape[1]
    for p in range(n_probes):
        result = amplitude_spectrum(probes["time"], probes["values"][:, p, 0], resolution, f_max)
        if result is None:
            continue
        f, a, df = result
        keep = (f > 0) & (a > 0)
        if not np.any(keep):
            continue
        label = probe_label(p, probes["cells"][p], layered) if p < MAX_LEGEND else None
        ax.loglog(f[keep], a[keep], lw=1, label=label)
        drawn = True
    if drawn:
        if n_probes <= MAX_LEGEND:
            ax.legend(fontsize=7)
    else:
        ax.text(0.5, 0.5, "too few samples or a constant signal: no spectrum",
                ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel(f"amplitude of {name}")
    title = f"{name} at the probes: Hann-windowed amplitude spectrum"
    if drawn:
        title += f" (resolution {df:.3g} Hz)"
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out_path, dpi=120)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Kymograph and probe spectra of a neurofield run.")
    parser.add_argument("run_dir", help="folder holding probes.h5 (and optionally fields.h5)")
    parser.add_argument("--out", help="folder for kymograph.png and spectrum.png (default: RUN_DIR)")
    parser.add_argument("--raw", action="store_true", help="plot raw values instead of rows scaled to their peak")
    parser.add_argument("--resolution", type=float, help="spectral resolution (Hz): segments of 1/resolution s "
                        "(default: a quarter of the duration)")
    parser.add_argument("--f-max", type=float, help="highest frequency shown (Hz; default: the median step's Nyquist)")
    args = parser.parse_args(argv)
    probes_path = os.path.join(args.run_dir, "probes.h5")
    if not os.path.exists(probes_path):
        sys.exit(f"plot_run.py: {probes_path} not found (is {args.run_dir} a finished run?)")
    out = args.out or args.run_dir
    os.makedirs(out, exist_ok=True)
    probes = read_probes(probes_path)
    line = read_line_field(os.path.join(args.run_dir, "fields.h5"))
    layered = is_layered(run_model(args.run_dir))
    plot_kymograph(probes, line, os.path.join(out, "kymograph.png"), args.raw, layered)
    plot_spectrum(probes, os.path.join(out, "spectrum.png"), args.resolution, args.f_max, layered)
    print(f"wrote {os.path.join(out, 'kymograph.png')} and {os.path.join(out, 'spectrum.png')}")


if __name__ == "__main__":
    main()
