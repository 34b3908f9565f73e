#!/usr/bin/python3
"""Waves along a predictive-coding hierarchy: the level x time map and its 2D spectrum.

Usage:
    /usr/bin/python3 postprocess/plot_hierarchy_waves.py RUN [--out FILE] [--t-start T0] [--t-end T1]
        [--log [DECADES]] [--f-max HZ] [--size WxH]

RUN is a run folder of input_decks/pc_chain.yaml, pc_continuum.yaml or pc_continuum_2d.yaml
(or any run whose probes lie on one evenly spaced line along the first axis). It reads
probes.h5 (`time` [n] s, `values` [n, probes, components], component 0 as the run's own
measure does; `cells` [probes, 3]), summary.json (`fw_bw`: sample_interval_s, samples,
segments) and deck.used.yaml (model, analysis.t_start, time.t_end).

One PNG (default RUN/hierarchy_waves.png), two panels:
  left   the level x time kymograph: time (s) across, the levels (the probes in order)
         upwards, labelled by layer: the chain's layer 1..N (model.type predictive_coding:
         probe cell i is layer i + 1), the continuum's xi = (i + 1/2) / cells_per_layer
         (layers). Each level minus its mean and scaled to unit RMS over the drawn window
         (the hierarchy's amplitude grows up to 3.4x per layer; unscaled, the top layer
         alone would show). By default the last 0.5 s of the analysis window, a few
         alpha-band periods, so the tilt of the stripes reads: a forward wave (towards
         higher levels) tilts up and to the right. --t-start/--t-end choose the window (s).
         --log draws log10|y - mean| unscaled over the top DECADES decades (default 6)
         instead: the amplitude profile that the scaling removes.
  right  the 2D power spectrum |X_{q,m}|^2 of postprocess/wave_direction.h, summed over
         its Welch segments: temporal frequency m / (N D) (Hz, 0..--f-max, default 40)
         across, spatial frequency q / C (cycles per level, FFTW's sign, bins fftshifted to
         -1/2..1/2) upwards, log colour. The forward quadrant (m > 0, q < 0: level L+1
         lags level L) and the backward one (m > 0, q > 0) are outlined, FW and BW; the
         column m = 0, the row q = 0 and the Nyquist bins are in neither. The title gives
         P_fw, P_bw and ln(P_fw/P_bw).

The spectrum is summary.json's measure recomputed with numpy: the window [analysis.t_start
(or t_end/4), last recorded time] from the first recorded time >= t_start, resampled at
fw_bw.sample_interval_s D (a recorded time within 1e-9 D is copied, otherwise the cubic
Lagrange interpolation of the 4 nearest rows, as oscillation_fit.h's resample_channels),
cut into S = ceil(N_total / 2048) segments of N = min(N_total, 2048) samples evenly spread
from the first sample to the last; per segment each level minus its mean, scaled to unit
RMS, times the periodic Hann window h_n = (1 - cos(2 pi n / N)) / 2, numpy.fft.fft2
(FFTW's sign); P_fw = sum_{m=1}^{M} sum_{q=1}^{Q} |X_{C-q,m}|^2, P_bw the same with X_{q,m},
M = ceil(N/2) - 1, Q = ceil(C/2) - 1, summed over the segments. It prints

    fw_bw_log_ratio <this script's> (summary.json <the run's>, difference <d>)
    wrote <FILE>

and exits 1 if N_total or S differ from summary.json's (the windows are not the same).
Without a ratio in summary.json (fw_bw null) D is the mean recorded step over the window.
"""
import argparse
import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.patches as mpatches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from plot_run import edges, read_probes  # noqa: E402

SEGMENT_SAMPLES = 2048  # measure_wave_direction's default, the one runs use
KYMOGRAPH_SPAN = 0.5    # s: the default kymograph window, the end of the analysis window
SPECTRUM_DECADES = 6    # log colour range of |X|^2 below its peak


def deck_sections(path):
    """{section: {key: value text}} of a deck.used.yaml (plain two-level YAML as the run
    writes it); {} if absent."""
    sections, current = {}, None
    if not os.path.isfile(path):
        return sections
    with open(path) as f:
        for line in f:
            text = line.split("#")[0].rstrip()
            if not text.strip():
                continue
            if not line.startswith(" "):
                current = text.split(":")[0].strip()
                sections.setdefault(current, {})
            elif current is not None and ":" in text:
                key, value = text.split(":", 1)
                sections[current][key.strip()] = value.strip()
    return sections


def analysis_start(deck):
    """analysis.t_start, else time.t_end / 4 (problem/simulation.cpp's analysis_start)."""
    if "t_start" in deck.get("analysis", {}):
        return float(deck["analysis"]["t_start"])
    return float(deck["time"]["t_end"]) / 4


def level_coordinates(cells, model):
    """(positions, axis label) of the probes along the first axis."""
    i = np.asarray(cells[:, 0], dtype=float)
    kind = model.get("type", "")
    if kind == "predictive_coding":
        return i + 1, "layer"
    if "cells_per_layer" in model:
        return (i + 0.5) / float(model["cells_per_layer"]), "xi (layers)"
    return i, "cell index along the first axis"


def check_line(cells):
    """Exits unless the probes lie on one evenly spaced, increasing line along the first axis."""
    if len(cells) < 3:
        sys.exit("plot_hierarchy_waves.py: fewer than 3 probes (no signed spatial frequency)")
    step = cells[1, 0] - cells[0, 0]
    if step <= 0 or np.any(np.diff(cells[:, 0]) != step) or np.any(cells[:, 1:] != cells[0, 1:]):
        sys.exit("plot_hierarchy_waves.py: the probes are not one evenly spaced line along the first axis")


def resample(t, y, t_first, dt, count):
    """y [rows, channels] at t_first + k dt, k < count: resample_channels of
    postprocess/oscillation_fit.cpp (a row within 1e-9 dt copied, else the 4-row cubic
    Lagrange interpolation around it). Returns [channels, count]."""
    rows = len(t)
    tol = 1e-9 * dt
    out = np.empty((y.shape[1], count))
    j = max(int(np.searchsorted(t, t_first + tol, side="right")) - 1, 0)
    for k in range(count):
        tk = t_first + dt * k
        while j + 1 < rows and t[j + 1] <= tk + tol:
            j += 1
        if abs(t[j] - tk) <= tol:
            out[:, k] = y[j]
            continue
        lo = min(max(j - 1, 0), rows - 4)
        tt = t[lo:lo + 4]
        w = np.ones(4)
        for a in range(4):
            for b in range(4):
                if b != a:
                    w[a] *= (tk - tt[b]) / (tt[a] - tt[b])
        out[:, k] = w @ y[lo:lo + 4]
    return out


def segment_spectrum(levels):
    """|X_{q,m}|^2 [C, N] of one segment [C, N] (wave_direction.h's formula)."""
    n = levels.shape[1]
    centred = levels - levels.mean(axis=1, keepdims=True)
    rms = np.sqrt(np.mean(centred ** 2, axis=1, keepdims=True))
    hann = 0.5 * (1 - np.cos(2 * np.pi * np.arange(n) / n))
    x = np.fft.fft2(hann * centred / np.where(rms > 0, rms, 1.0))
    return x.real ** 2 + x.imag ** 2


def quadrant_powers(power):
    """(P_fw, P_bw) of |X|^2 [C, N]."""
    c, n = power.shape
    m_last, q_last = (n + 1) // 2 - 1, (c + 1) // 2 - 1
    forward = backward = 0.0
    for q in range(1, q_last + 1):  # the same order of sums as wave_direction.cpp
        for m in range(1, m_last + 1):
            forward += power[c - q, m]
            backward += power[q, m]
    return forward, backward


def wave_spectrum(t, y, t_start, dt, segment_samples=SEGMENT_SAMPLES):
    """measure_wave_direction with numpy: dict of the summed |X|^2 [C, N], P_fw, P_bw,
    ratio (None unless both > 0), samples N_total, segments S, N and D."""
    first = int(np.searchsorted(t, t_start, side="left"))
    t0 = t[first]
    total = int(math.floor((t[-1] - t0) / dt * (1 + 1e-12))) + 1
    if len(t) < first + 4 or total < 16:
        sys.exit("plot_hierarchy_waves.py: fewer than 16 samples in the analysis window")
    n = min(total, segment_samples)
    segments = (total + n - 1) // n
    power = np.zeros((y.shape[1], n))
    forward = backward = 0.0
    for s in range(segments):
        offset = s * (total - n) // (segments - 1) if segments > 1 else 0
        p = segment_spectrum(resample(t, y, t0 + dt * offset, dt, n))
        f, b = quadrant_powers(p)
        forward += f
        backward += b
        power += p
    ratio = math.log(forward / backward) if forward > 0 and backward > 0 else None
    return {"power": power, "forward": forward, "backward": backward, "ratio": ratio,
            "samples": total, "segments": segments, "n": n, "dt": dt}


def kymograph_window(t, t_analysis, t_start, t_end):
    lo = t_start if t_start is not None else max(t_analysis, t[-1] - KYMOGRAPH_SPAN)
    hi = t_end if t_end is not None else t[-1]
    keep = (t >= lo) & (t <= hi)
    if keep.sum() < 2:
        sys.exit(f"plot_hierarchy_waves.py: fewer than 2 recorded times in [{lo}, {hi}] s")
    return keep


def draw_kymograph(ax, fig, t, y, positions, label, decades):
    centred = y - y.mean(axis=0, keepdims=True)
    if decades is None:
        rms = np.sqrt(np.mean(centred ** 2, axis=0, keepdims=True))
        z = centred / np.where(rms > 0, rms, 1.0)
        bound = float(np.max(np.abs(z))) or 1.0
        mesh = ax.pcolormesh(edges(t), edges(positions), z.T, cmap="RdBu_r", vmin=-bound, vmax=bound,
                             shading="flat", rasterized=True)
        bar_label = "y − mean, each level scaled to unit RMS"
    else:
        a = np.abs(centred)
        top = float(a.max()) or 1.0
        z = np.log10(np.maximum(a, top * 10.0 ** -decades))
        mesh = ax.pcolormesh(edges(t), edges(positions), z.T, cmap="viridis", shading="flat", rasterized=True)
        bar_label = f"log10 |y − mean| (unscaled, top {decades:g} decades)"
    fig.colorbar(mesh, ax=ax, label=bar_label, pad=0.02)
    ax.set_xlabel("time (s)")
    ax.set_ylabel(label)
    if label == "layer":
        ax.set_yticks(positions)
    ax.set_title(f"level × time, {t[0]:.3g}–{t[-1]:.3g} s")


def draw_spectrum(ax, fig, spec, f_max):
    power = spec["power"]
    c, n = power.shape
    d = spec["dt"]
    df = 1.0 / (n * d)
    m_top = min(n // 2, int(math.floor(f_max / df)))  # the bins drawn: m = 0..m_top
    shifted = np.fft.fftshift(power[:, :m_top + 1], axes=0)
    f_edges = (np.arange(m_top + 2) - 0.5) * df
    nu_edges = (np.arange(c + 1) - c // 2 - 0.5) / c
    peak = float(shifted.max()) or 1.0
    norm = mcolors.LogNorm(vmin=peak * 10.0 ** -SPECTRUM_DECADES, vmax=peak)
    mesh = ax.pcolormesh(f_edges, nu_edges, np.maximum(shifted, norm.vmin), norm=norm, cmap="magma",
                         shading="flat", rasterized=True)
    fig.colorbar(mesh, ax=ax, label="|X|² (unit-RMS levels, summed over segments)", pad=0.02)
    m_last, q_last = (n + 1) // 2 - 1, (c + 1) // 2 - 1
    f_lo, f_hi = 0.5 * df, min(m_last + 0.5, m_top + 0.5) * df
    for name, sign, colour in (("FW", -1, "cyan"), ("BW", 1, "lime")):
        nu_a, nu_b = sign * 0.5 / c, sign * (q_last + 0.5) / c
        ax.add_patch(mpatches.Rectangle((f_lo, min(nu_a, nu_b)), f_hi - f_lo, abs(nu_b - nu_a), fill=False,
                                        edgecolor=colour, linewidth=2))
        ax.text(f_lo + 0.97 * (f_hi - f_lo), 0.5 * (nu_a + nu_b), name, color=colour, fontsize=14,
                fontweight="bold", ha="right", va="center")
    ax.set_xlim(f_edges[0], f_edges[-1])
    ax.set_ylim(nu_edges[0], nu_edges[-1])
    ax.set_xlabel(f"temporal frequency (Hz), bins of {df:.3g} Hz")
    ax.set_ylabel("spatial frequency q/C (cycles per level)\nforward < 0 < backward")
    ratio = "undefined" if spec["ratio"] is None else f"{spec['ratio']:+.4f}"
    ax.set_title(f"2D spectrum: P_fw = {spec['forward']:.4g}, P_bw = {spec['backward']:.4g}\n"
                 f"ln(P_fw/P_bw) = {ratio}  (D = {d:.3g} s, {spec['samples']} samples, "
                 f"{spec['segments']} segment{'s' if spec['segments'] > 1 else ''})", fontsize=10)


def parse(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("run", help="run folder (probes.h5, summary.json, deck.used.yaml)")
    p.add_argument("--out", help="PNG (default RUN/hierarchy_waves.png)")
    p.add_argument("--t-start", type=float, help="kymograph window start (s)")
    p.add_argument("--t-end", type=float, help="kymograph window end (s)")
    p.add_argument("--log", type=float, nargs="?", const=6.0, default=None, metavar="DECADES",
                   help="kymograph as log10|y - mean|, unscaled, over DECADES decades (default 6)")
    p.add_argument("--f-max", type=float, default=40.0, help="highest temporal frequency drawn (Hz)")
    p.add_argument("--size", default="1400x560", help="picture size WxH in pixels (100 dpi)")
    return p.parse_args(argv)


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    run = args.run
    probes = read_probes(os.path.join(run, "probes.h5"))
    summary_path = os.path.join(run, "summary.json")
    summary = json.load(open(summary_path)) if os.path.isfile(summary_path) else {}
    deck = deck_sections(os.path.join(run, "deck.used.yaml"))
    t, y, cells = probes["time"], probes["values"][:, :, 0], probes["cells"]
    check_line(cells)
    t_analysis = analysis_start(deck)
    fw_bw = summary.get("fw_bw") or {}
    dt = fw_bw.get("sample_interval_s")
    if not dt:
        first = int(np.searchsorted(t, t_analysis, side="left"))
        dt = (t[-1] - t[first]) / (len(t) - 1 - first)
        print(f"summary.json has no fw_bw: sample interval {dt:.6g} s, the mean recorded step")
    spec = wave_spectrum(t, y, t_analysis, dt)

    width, height = (int(v) for v in args.size.lower().split("x"))
    fig, (left, right) = plt.subplots(1, 2, figsize=(width / 100, height / 100),
                                      gridspec_kw={"width_ratios": [1.15, 1]})
    keep = kymograph_window(t, t_analysis, args.t_start, args.t_end)
    positions, label = level_coordinates(cells, deck.get("model", {}))
    draw_kymograph(left, fig, t[keep], y[keep], positions, label, args.log)
    draw_spectrum(right, fig, spec, args.f_max)
    fig.suptitle(f"{os.path.basename(os.path.abspath(run))}: {deck.get('model', {}).get('type', 'run')}, "
                 f"{len(cells)} levels, analysis window from {t_analysis:g} s", fontsize=11)
    fig.tight_layout()
    out = args.out or os.path.join(run, "hierarchy_waves.png")
    if os.path.dirname(out):
        os.makedirs(os.path.dirname(out), exist_ok=True)
    fig.savefig(out, dpi=100)
    plt.close(fig)

    reported = summary.get("fw_bw_log_ratio")
    ratio = spec["ratio"]
    if reported is not None and ratio is not None:
        print(f"fw_bw_log_ratio {ratio!r} (summary.json {reported!r}, difference {ratio - reported:.3g})")
    else:
        print(f"fw_bw_log_ratio {ratio!r} (summary.json {reported!r})")
    print(f"wrote {out}")
    if fw_bw and (fw_bw.get("samples") != spec["samples"] or fw_bw.get("segments") != spec["segments"]):
        print(f"plot_hierarchy_waves.py: {spec['samples']} samples in {spec['segments']} segments, "
              f"summary.json {fw_bw.get('samples')} in {fw_bw.get('segments')}: not the run's window",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
