#!/usr/bin/python3
"""Map of the two-level predictive-coding model's dominant mode over (dT, tau).

Usage:
    /usr/bin/python3 postprocess/pc_frequency_map.py NEUROFIELD [--deck DECK]
        [--grid N_DELAY N_TAU] [--delay LO HI] [--tau LO HI] [--tau-d TAU_D]
        [--t-end T] [--set KEY=VALUE ...] [--jobs J] [--work DIR]
        [--out PNG] [--csv CSV] [--size WxH] [--replot CSV] [--check TOL]

NEUROFIELD is the program (build/release/apps/neurofield). For every point of a grid of
communication delays dT (--delay, ms, default 5..25) and membrane time constants tau
(--tau, ms, default 5..40), N_DELAY x N_TAU points (default 12 x 12, about 50 s on two
cores), it runs

    NEUROFIELD run DECK model.delay=dT model.tau=tau model.tau_d=TAU_D time.t_end=T
                   output.vtk=false output.hdf5=false output.dir=<a temporary folder>

(DECK default input_decks/pc_two_level.yaml: one predicting layer, N = 1, kicked by a
unit-area Gaussian pulse at the bottom, so the run is the impulse response; TAU_D from
--tau-d, default 0.2 s; T from --t-end, default 1 s, fitted from the deck's
analysis.t_start, 0.3 s; --set adds overrides, e.g. time.dt=0.00025) and reads
the mode the run measured from its summary.json (frequency_hz, growth_rate_per_s: the
matrix-pencil fit of the free response after analysis.t_start) together with the
model's prediction (`predicted`, the Lambert-W root). The map shows what the runs
measured, never the formula.

Writes
    PNG (default pc_frequency_map.png)  two panels, dT (ms) across, tau (ms) up, one flat
        cell per run: the measured frequency (Hz) with the alpha band 8-13 Hz hatched
        between its contours, and the measured growth rate (1/s, diverging colours centred on 0)
        with its zero contour. Both panels draw the Hopf boundary, where the root crosses
        the imaginary axis (l = i w_H):
            2 w_H dT = arccos(-tau/tau_D),  w_H = sqrt(1/tau^2 - 1/tau_D^2)
        (2 dT/tau = pi/2 without decay, tau_D = .inf), and mark the paper's point
        (dT 12 ms, tau 17 ms; Alamia & VanRullen, PLoS Biol 17(10):e3000487 (2019),
        Fig 1C-D). A point whose run reports no mode, or fails (a blow-up exits with 3
        and writes no summary.json), is blank and counted in the title.
    CSV (default PNG with .csv)  one row per point: delay_ms, tau_ms, tau_d_s, status
        (ok, no_mode, failed), exit_code, frequency_hz, growth_rate_per_s (measured),
        predicted_frequency_hz, predicted_growth_rate_per_s, note.
--replot CSV redraws such a table without running anything.

--check TOL (used by the ctest pc_frequency_map_lambert_w): after drawing, compares
every point's measured frequency and growth rate with the root
    l = W_0(-(2dT/tau) e^{2dT/tau_D})/(2dT) - 1/tau_D
computed here by Halley's iteration (numpy only; Corless et al., Adv Comput Math 5:329
(1996)), independently of the program, within TOL relative (of the frequency, at least
1 Hz, and of |l| for the growth rate), checks that W_0 reproduces the reference roots at
dT 12 ms, tau 17 ms (10.0866 Hz, -3.1574 /s without decay; 10.4564 Hz, -4.6068 /s with
tau_D = 200 ms) and that the root is neutral on the drawn Hopf line, and that the PNG has
the asked size and the CSV one row per point. Exit 1 with the failures listed.
"""
import argparse
import concurrent.futures
import csv
import json
import math
import os
import subprocess
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DECK = os.path.join(HERE, "..", "input_decks", "pc_two_level.yaml")
PAPER_POINT_MS = (12.0, 17.0)  # (dT, tau) of Alamia & VanRullen (2019)
ALPHA_BAND_HZ = (8.0, 13.0)
CSV_FIELDS = ["delay_ms", "tau_ms", "tau_d_s", "status", "exit_code", "frequency_hz", "growth_rate_per_s",
              "predicted_frequency_hz", "predicted_growth_rate_per_s", "note"]
# Reference roots at the paper's point (dT 12 ms, tau 17 ms): (tau_D, Hz, 1/s).
REFERENCE_ROOTS = [(math.inf, 10.0866, -3.1574), (0.2, 10.4564, -4.6068)]


# --- the characteristic root, for the Hopf line and --check ---------------------------

def halley_w(x, w, iterations=60):
    """Halley's iteration for w e^w = x from the start w."""
    for _ in range(iterations):
        ew = np.exp(w)
        f = w * ew - x
        if f == 0:
            break
        step = f / (ew * (w + 1) - (w + 2) * f / (2 * w + 2))
        w -= step
        if abs(step) <= 1e-15 * max(1.0, abs(w)):
            break
    return complex(w)


def lambert_w0(x):
    """Principal branch W_0(x) of the Lambert W function (w e^w = x) for real x, as a
    complex number: for x < -1/e the member of the conjugate pair with 0 < Im w < pi.
    Starts: log(1 + x) for x > 0, the branch-point series w = -1 + p - p^2/3 + 11 p^3/72,
    p = sqrt(2 (e x + 1)), near -1/e, and below -1/e - 1/4 a continuation along the
    negative axis from there (steps of 5 % in x), each step refined by Halley's iteration,
    so the iteration never lands on another branch."""
    x = float(x)
    if x == 0:
        return 0j
    if x > 0:
        return halley_w(x, complex(math.log1p(x)))
    branch_start = -1 / math.e - 0.25

    def series(v):
        p = np.sqrt(2 * (math.e * v + 1) + 0j)
        return -1 + p - p * p / 3 + 11 / 72 * p ** 3

    if x >= branch_start:
        return halley_w(x, series(x))
    v, w = branch_start, halley_w(branch_start, series(branch_start))
    while v > x:
        v = max(v * 1.05, x)
        w = halley_w(v, w)
    return w


def two_level_root(delay, tau, tau_d):
    """The rightmost root l (1/s) of l + 1/tau_D + e^{-2 l dT}/tau = 0 (times in s)."""
    decay = 0.0 if math.isinf(tau_d) else 1.0 / tau_d
    w = lambert_w0(-(2 * delay / tau) * math.exp(2 * delay * decay))
    return w / (2 * delay) - decay


def hopf_delay(tau, tau_d):
    """dT (s) at which the two-level root is l = i w_H, for tau (s); nan without a
    crossing (tau >= tau_D: the decay alone keeps every root in the left half-plane)."""
    if math.isinf(tau_d):
        return math.pi * tau / 4
    if tau >= tau_d:
        return math.nan
    w_h = math.sqrt(1 / tau ** 2 - 1 / tau_d ** 2)
    return math.acos(-tau / tau_d) / (2 * w_h)


# --- the runs -------------------------------------------------------------------------

def parse_tau_d(text):
    value = float(text.replace(".inf", "inf"))
    if not value > 0:
        raise argparse.ArgumentTypeError(f"tau_D must be positive (s) or .inf, not {text}")
    return value


def deck_number(value):
    return ".inf" if math.isinf(value) else repr(float(value))


def run_point(exe, deck, work, delay_ms, tau_ms, tau_d, t_end, extra):
    folder = os.path.join(work, f"dT{delay_ms:.4f}_tau{tau_ms:.4f}")
    command = [exe, "run", deck, f"model.delay={delay_ms / 1e3!r}", f"model.tau={tau_ms / 1e3!r}",
               f"model.tau_d={deck_number(tau_d)}", f"time.t_end={t_end!r}", "output.vtk=false",
               "output.hdf5=false", f"output.dir={folder}", *extra]
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    row = {"delay_ms": delay_ms, "tau_ms": tau_ms, "tau_d_s": tau_d, "exit_code": done.returncode,
           "frequency_hz": math.nan, "growth_rate_per_s": math.nan, "predicted_frequency_hz": math.nan,
           "predicted_growth_rate_per_s": math.nan, "note": ""}
    summary_path = os.path.join(folder, "summary.json")
    if done.returncode != 0 or not os.path.isfile(summary_path):
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        row["status"] = "failed"
        row["note"] = (lines[0] if lines else f"exit {done.returncode}, no summary.json")[:200]
        return row
    summary = json.load(open(summary_path))
    predicted = summary.get("predicted") or {}
    if predicted.get("frequency_hz") is not None:
        row["predicted_frequency_hz"] = float(predicted["frequency_hz"])
        row["predicted_growth_rate_per_s"] = float(predicted["growth_rate_per_s"])
    if summary.get("frequency_hz") is None or not summary.get("mode_found", True):
        row["status"] = "no_mode"
        row["note"] = str(summary.get("no_mode_reason") or "no mode")[:200]
        return row
    row["status"] = "ok"
    row["frequency_hz"] = float(summary["frequency_hz"])
    row["growth_rate_per_s"] = float(summary["growth_rate_per_s"])
    if not (math.isfinite(row["frequency_hz"]) and math.isfinite(row["growth_rate_per_s"])):
        row["status"] = "failed"
        row["note"] = "the measured mode is not finite"
    return row


def run_grid(args, delays_ms, taus_ms, work):
    points = [(d, t) for t in taus_ms for d in delays_ms]
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_point, args.neurofield, args.deck, work, d, t, args.tau_d, args.t_end, args.set)
                   for d, t in points]
        rows = [f.result() for f in futures]
    return rows


def read_csv(path):
    """The rows of a table this script wrote, and its dT and tau values (ms)."""
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            row = {k: float(r[k]) if r[k] != "" else math.nan for k in CSV_FIELDS if k not in ("status", "note")}
            row.update(status=r["status"], note=r["note"], exit_code=int(row["exit_code"]))
            rows.append(row)
    delays = sorted({r["delay_ms"] for r in rows})
    taus = sorted({r["tau_ms"] for r in rows})
    rows.sort(key=lambda r: (r["tau_ms"], r["delay_ms"]))
    if len(rows) != len(delays) * len(taus):
        sys.exit(f"pc_frequency_map.py: {path} holds {len(rows)} rows, not a {len(delays)} x {len(taus)} grid")
    return rows, delays, taus


def write_csv(rows, path):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (f"{row[k]:.10g}" if isinstance(row[k], float) else row[k]) for k in CSV_FIELDS})


# --- the picture ----------------------------------------------------------------------

def cell_edges(centres):
    c = np.asarray(centres, dtype=float)
    if c.size == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = (c[1:] + c[:-1]) / 2
    return np.concatenate([[2 * c[0] - mid[0]], mid, [2 * c[-1] - mid[-1]]])


def grid_of(rows, key, n_delay, n_tau):
    """[n_tau, n_delay] array of rows[key], nan where the run gave no mode."""
    values = np.array([row[key] if row["status"] == "ok" else math.nan for row in rows], dtype=float)
    return values.reshape(n_tau, n_delay)


def hopf_line_ms(taus_ms, tau_d):
    tau = np.linspace(min(taus_ms), max(taus_ms), 400) / 1e3
    delay = np.array([hopf_delay(t, tau_d) for t in tau])
    return delay * 1e3, tau * 1e3


def draw(rows, delays_ms, taus_ms, tau_d, path, size):
    n_delay, n_tau = len(delays_ms), len(taus_ms)
    freq = grid_of(rows, "frequency_hz", n_delay, n_tau)
    growth = grid_of(rows, "growth_rate_per_s", n_delay, n_tau)
    xe, ye = cell_edges(delays_ms), cell_edges(taus_ms)
    hx, hy = hopf_line_ms(taus_ms, tau_d)
    inside = (hx >= xe[0]) & (hx <= xe[-1])
    blank = {s: sum(r["status"] == s for r in rows) for s in ("no_mode", "failed")}
    width, height = size
    fig, axes = plt.subplots(1, 2, figsize=(width / 100, height / 100), constrained_layout=True)
    decay = "no decay (tau_D = inf)" if math.isinf(tau_d) else f"tau_D = {tau_d * 1e3:g} ms"
    fig.suptitle(f"Two-level predictive coding, impulse response measured by neurofield ({decay}); "
                 f"{n_delay} x {n_tau} runs, blank: {blank['no_mode']} without a mode, {blank['failed']} failed",
                 fontsize=10)
    panels = [
        (axes[0], freq, "dominant frequency (Hz; 0: a real root, no ringing)", "viridis", None),
        (axes[1], growth, "growth rate (1/s)", "RdBu_r", "diverging"),
    ]
    for ax, values, label, cmap, kind in panels:
        masked = np.ma.masked_invalid(values)
        colours = plt.get_cmap(cmap).copy()
        colours.set_bad("white")
        kwargs = {}
        if kind == "diverging" and np.any(np.isfinite(values)):
            # Each sign scaled to its own extreme: the damped corner (-100 /s) would
            # otherwise wash out the unstable side (+30 /s).
            lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
            lo, hi = min(lo, -1e-9 * max(hi, 1.0)), max(hi, 1e-9 * max(-lo, 1.0))
            kwargs = {"norm": matplotlib.colors.TwoSlopeNorm(vmin=lo, vcenter=0.0, vmax=hi)}
        mesh = ax.pcolormesh(xe, ye, masked, cmap=colours, shading="flat", **kwargs)
        fig.colorbar(mesh, ax=ax, label=label, shrink=0.9)
        finite = np.isfinite(values)
        if n_delay > 1 and n_tau > 1 and finite.sum() >= 4:
            if kind is None:
                levels = [lv for lv in ALPHA_BAND_HZ if np.nanmin(values) < lv < np.nanmax(values)]
                if len(levels) == 2:
                    ax.contourf(delays_ms, taus_ms, masked, levels=levels, colors="none", hatches=["//"])
                if levels:
                    c = ax.contour(delays_ms, taus_ms, masked, levels=levels, colors="white", linewidths=1.8)
                    ax.clabel(c, fmt="%g Hz", fontsize=8)
            elif np.nanmin(values) < 0 < np.nanmax(values):
                c = ax.contour(delays_ms, taus_ms, masked, levels=[0.0], colors="black", linewidths=1.0,
                               linestyles="dotted")
                ax.clabel(c, fmt="measured 0 /s", fontsize=7)
        ax.plot(hx[inside], hy[inside], color="red", linestyle="--", linewidth=1.8,
                label="Hopf boundary (root on the imaginary axis)")
        ax.plot(*PAPER_POINT_MS, marker="*", markersize=14, color="orange", markeredgecolor="black",
                linestyle="none", label="paper: dT 12 ms, tau 17 ms")
        ax.set_xlim(xe[0], xe[-1])
        ax.set_ylim(ye[0], ye[-1])
        ax.set_xlabel("communication delay dT (ms)")
        ax.set_ylabel("time constant tau (ms)")
        ax.set_title(("frequency: alpha band 8-13 Hz hatched, white contours" if kind is None else
                      "growth rate: unstable (red) right of the Hopf line"), fontsize=10)
    axes[0].legend(loc="upper left", fontsize=8, framealpha=0.85)
    fig.savefig(path, dpi=100)
    plt.close(fig)


# --- --check --------------------------------------------------------------------------

def check(rows, args, png, csv_path, delays_ms, taus_ms):
    tol = args.check
    problems = []
    for tau_d, f_ref, g_ref in REFERENCE_ROOTS:
        lam = two_level_root(0.012, 0.017, tau_d)
        f, g = abs(lam.imag) / (2 * math.pi), lam.real
        print(f"W_0 at dT 12 ms, tau 17 ms, tau_D {tau_d}: {f:.6f} Hz, {g:.6f} /s (reference {f_ref}, {g_ref})")
        if abs(f - f_ref) > 1e-4 * f_ref or abs(g - g_ref) > 1e-4 * abs(lam):
            problems.append(f"W_0 gives {f} Hz, {g} /s at the paper's point, not {f_ref} Hz, {g_ref} /s")
    for tau_ms in (taus_ms[0], taus_ms[-1]):
        delay = hopf_delay(tau_ms / 1e3, args.tau_d)
        if math.isfinite(delay):
            lam = two_level_root(delay, tau_ms / 1e3, args.tau_d)
            if abs(lam.real) > 1e-9 * abs(lam):
                problems.append(f"the root on the Hopf line at tau {tau_ms} ms has real part {lam.real} /s")
    worst = 0.0
    for row in rows:
        where = f"dT {row['delay_ms']:g} ms, tau {row['tau_ms']:g} ms"
        if row["status"] != "ok":
            problems.append(f"{where}: {row['status']} ({row['note']})")
            continue
        lam = two_level_root(row["delay_ms"] / 1e3, row["tau_ms"] / 1e3, row["tau_d_s"])
        f, g = abs(lam.imag) / (2 * math.pi), lam.real
        df = abs(row["frequency_hz"] - f) / max(f, 1.0)
        dg = abs(row["growth_rate_per_s"] - g) / abs(lam)
        worst = max(worst, df, dg)
        print(f"{where}: measured {row['frequency_hz']:.6f} Hz, {row['growth_rate_per_s']:+.6f} /s; "
              f"W_0 {f:.6f} Hz, {g:+.6f} /s (relative {df:.1e}, {dg:.1e})")
        if not (df <= tol and dg <= tol):
            problems.append(f"{where}: measured {row['frequency_hz']} Hz, {row['growth_rate_per_s']} /s, "
                            f"W_0 root {f} Hz, {g} /s")
        pf = row["predicted_frequency_hz"]
        if not abs(pf - f) <= tol * max(f, 1.0):
            problems.append(f"{where}: summary.json predicts {pf} Hz, W_0 gives {f} Hz")
    print(f"largest relative difference, measured against W_0: {worst:.2e} (tolerance {tol:g})")
    expected = (args.size[1], args.size[0])
    if not os.path.isfile(png):
        problems.append(f"{png} is missing")
    else:
        shape = plt.imread(png).shape[:2]
        if tuple(shape) != expected:
            problems.append(f"{png} is {shape[1]} x {shape[0]} pixels, not {expected[1]} x {expected[0]}")
    n_rows = len(list(csv.DictReader(open(csv_path)))) if os.path.isfile(csv_path) else -1
    if n_rows != len(delays_ms) * len(taus_ms):
        problems.append(f"{csv_path} has {n_rows} rows, not {len(delays_ms) * len(taus_ms)}")
    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


def parse_size(text):
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--size wants WxH in pixels, e.g. 1300x560, not {text}")
    return w, h


def main(argv=None):
    parser = argparse.ArgumentParser(description="Map of the two-level predictive-coding model's measured "
                                     "frequency and growth rate over (dT, tau), one neurofield run per point.")
    parser.add_argument("neurofield", help="the neurofield program (e.g. build/release/apps/neurofield)")
    parser.add_argument("--deck", default=os.path.normpath(DEFAULT_DECK), help="deck (default: %(default)s)")
    parser.add_argument("--grid", nargs=2, type=int, default=[12, 12], metavar=("N_DELAY", "N_TAU"),
                        help="points along dT and tau (default 12 12)")
    parser.add_argument("--delay", nargs=2, type=float, default=[5.0, 25.0], metavar=("LO", "HI"),
                        help="range of the delay dT in ms (default 5 25)")
    parser.add_argument("--tau", nargs=2, type=float, default=[5.0, 40.0], metavar=("LO", "HI"),
                        help="range of tau in ms (default 5 40)")
    parser.add_argument("--tau-d", type=parse_tau_d, default=0.2,
                        help="decay time constant tau_D in s, or .inf for none (default 0.2)")
    parser.add_argument("--t-end", type=float, default=1.0, help="simulated time per run, s (default 1)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="further deck override for every run (repeatable), e.g. --set time.dt=0.00025")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="runs at a time (default %(default)s)")
    parser.add_argument("--work", help="keep the run folders here (default: a temporary folder, removed)")
    parser.add_argument("--out", default="pc_frequency_map.png", help="the PNG (default %(default)s)")
    parser.add_argument("--csv", help="the table (default: the PNG's name with .csv)")
    parser.add_argument("--size", type=parse_size, default=(1300, 560), help="PNG size WxH (default 1300x560)")
    parser.add_argument("--replot", metavar="CSV",
                        help="redraw a table this script wrote (no runs; its grid and tau_D)")
    parser.add_argument("--check", type=float, metavar="TOL",
                        help="compare every point with the Lambert-W root within TOL relative (a test)")
    args = parser.parse_args(argv)
    if min(args.grid) < 1:
        parser.error("--grid wants at least one point along each axis")
    if not args.replot and not os.path.isfile(args.neurofield):
        parser.error(f"no program at {args.neurofield}")
    if min(args.delay) <= 0 or min(args.tau) <= 0:
        parser.error("dT and tau must be positive")
    args.neurofield = os.path.abspath(args.neurofield)
    args.deck = os.path.abspath(args.deck)
    delays_ms = [float(v) for v in np.linspace(args.delay[0], args.delay[1], args.grid[0])]
    taus_ms = [float(v) for v in np.linspace(args.tau[0], args.tau[1], args.grid[1])]
    csv_path = args.csv or os.path.splitext(args.out)[0] + ".csv"
    for path in (args.out, csv_path):
        if os.path.dirname(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)

    if args.replot:
        rows, delays_ms, taus_ms = read_csv(args.replot)
        args.tau_d = rows[0]["tau_d_s"]
    elif args.work:
        os.makedirs(args.work, exist_ok=True)
        rows = run_grid(args, delays_ms, taus_ms, os.path.abspath(args.work))
    else:
        with tempfile.TemporaryDirectory(prefix="pc_frequency_map_") as work:
            rows = run_grid(args, delays_ms, taus_ms, work)
    write_csv(rows, csv_path)
    draw(rows, delays_ms, taus_ms, args.tau_d, args.out, args.size)

    counts = {s: sum(r["status"] == s for r in rows) for s in ("ok", "no_mode", "failed")}
    ok = [r for r in rows if r["status"] == "ok" and math.isfinite(r["predicted_frequency_hz"])]
    spread = max((abs(r["frequency_hz"] - r["predicted_frequency_hz"]) / max(r["predicted_frequency_hz"], 1.0)
                  for r in ok), default=math.nan)
    alpha = sum(ALPHA_BAND_HZ[0] <= r["frequency_hz"] <= ALPHA_BAND_HZ[1] for r in rows if r["status"] == "ok")
    print(f"{len(rows)} runs: {counts['ok']} with a mode ({alpha} in the 8-13 Hz band), "
          f"{counts['no_mode']} without a mode, {counts['failed']} failed (blank in the map)")
    print(f"largest relative difference, measured frequency against summary.json's predicted: {spread:.2e}")
    print(f"wrote {args.out} and {csv_path}")
    if args.check is not None:
        return check(rows, args, args.out, csv_path, delays_ms, taus_ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
