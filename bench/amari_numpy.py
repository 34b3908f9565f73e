#!/usr/bin/env python3
"""The 1D Amari field of bench_amari_1d in plain NumPy: the same method, for scale.

    tau du/dt = -u + W * F(u) + G * M(u),   classical rk4, fixed dt,

on a periodic line of N cells of h = 0.05 m, w(x) = exp(-|x|/sigma)/(2 sigma), sigma = 1 m,
theta = 0.25, tau = 1 s, dt = 0.05 s, u = 1 on the cells whose centre lies below a tenth
of the line. As neurofield does it (solvers/convolution/firing.h, fft_convolution.h):

- W(o): the kernel integrated over the cell at offset o (closed form here, quadrature
  there), at the minimal image; G(o) = -(W(o + 1) - W(o - 1)) / (2 h), the moment kernel.
- The sub-cell Heaviside: per cell, its active fraction F and first moment M (m), from
  the level crossing u = theta between two cells located on the cubic through the four
  cells around it (Newton safeguarded by bisection).
- Both convolutions circular, by numpy.fft (rfft / irfft).

Timed like bench_amari_1d: steps + 1 steps per repetition, steps 1..steps + 1 timed;
prints the median ns per node-step and sum u at the last step.

Run: /usr/bin/python3 bench/amari_numpy.py [--cells N] [--steps K] [--repetitions M]
"""
import argparse
import time

import numpy as np

SIGMA, THETA, TAU, DT, H = 1.0, 0.25, 1.0, 0.05, 0.05


def cell_weights(n):
    """W(o) and G(o) at transform index m (o = m, or m - n past n/2), as rfft spectra."""
    m = np.arange(n)
    o = np.where(m <= n // 2, m, m - n).astype(float)

    def w(off):
        a = np.abs(off)
        inner = np.where(a > 0, (a - 0.5) * H, 0.0)
        outer = (a + 0.5) * H
        return np.where(a > 0, 0.5 * (np.exp(-inner / SIGMA) - np.exp(-outer / SIGMA)), 1 - np.exp(-0.5 * H / SIGMA))

    g = -(w(o + 1) - w(o - 1)) / (2 * H)
    return np.fft.rfft(w(o)), np.fft.rfft(g)


def crossing(v):
    """Roots in [0, 1] of the cubics through (s, v[k]) for s = -1, 0, 1, 2 (rows of v)."""
    nodes = np.array([-1.0, 0.0, 1.0, 2.0])
    lo = np.zeros(len(v))
    hi = np.ones(len(v))
    flo = v[:, 1].copy()
    t = v[:, 1] / (v[:, 1] - v[:, 2])
    done = np.zeros(len(v), bool)
    for _ in range(40):
        p = np.zeros(len(v))
        dp = np.zeros(len(v))
        for i in range(4):
            li = np.ones(len(v))
            dli = np.zeros(len(v))
            for j in range(4):
                if j != i:
                    q = (t - nodes[j]) / (nodes[i] - nodes[j])
                    dli = dli * q + li / (nodes[i] - nodes[j])
                    li = li * q
            p += v[:, i] * li
            dp += v[:, i] * dli
        same = (p > 0) == (flo > 0)
        lo = np.where(same & ~done, t, lo)
        flo = np.where(same & ~done, p, flo)
        hi = np.where(~same & ~done, t, hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            nxt = np.where(dp != 0, t - p / dp, 0.5 * (lo + hi))
        nxt = np.where((nxt > lo) & (nxt < hi), nxt, 0.5 * (lo + hi))
        converged = (np.abs(nxt - t) < 1e-14) | (p == 0)
        t = np.where(done | (p == 0), t, nxt)
        done |= converged
        if done.all():
            break
    return t


def source(u):
    """Active fraction F and moment M (m) of every cell (sub-cell Heaviside, periodic)."""
    v = u - THETA
    own = v >= 0
    fraction = np.zeros_like(u)
    moment = np.zeros_like(u)
    for side in (1, -1):
        edge = np.full(u.shape, 0.5)
        cells = np.nonzero((np.roll(v, -side) >= 0) != own)[0]
        if len(cells):
            n = len(u)
            stencil = np.stack([v[(cells + side * (k - 1)) % n] for k in range(4)], axis=1)
            edge[cells] = np.minimum(0.5, crossing(stencil))
        a0 = np.where(own, 0.0, edge)
        a1 = np.where(own, edge, 0.5)
        fraction += a1 - a0
        moment += side * (a1 * a1 - a0 * a0) / 2
    return np.clip(fraction, 0.0, 1.0), moment * H


def rhs(u, w_hat, g_hat):
    f, m = source(u)
    coupling = np.fft.irfft(np.fft.rfft(f) * w_hat + np.fft.rfft(m) * g_hat, n=len(u))
    return (-u + coupling) / TAU


def run(cells, steps, w_hat, g_hat):
    x = (np.arange(cells) + 0.5) * H
    u = np.where(x < 0.1 * cells * H, 1.0, 0.0)
    start = 0.0
    for step in range(steps + 1):
        if step == 1:
            start = time.perf_counter()
        k1 = rhs(u, w_hat, g_hat)
        k2 = rhs(u + 0.5 * DT * k1, w_hat, g_hat)
        k3 = rhs(u + 0.5 * DT * k2, w_hat, g_hat)
        k4 = rhs(u + DT * k3, w_hat, g_hat)
        u = u + DT / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return (time.perf_counter() - start) / steps, u.sum()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cells", type=int, default=65536)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--repetitions", type=int, default=7)
    a = ap.parse_args()
    w_hat, g_hat = cell_weights(a.cells)
    run(a.cells, a.steps, w_hat, g_hat)  # warm-up
    seconds = []
    total = 0.0
    for _ in range(a.repetitions):
        s, total = run(a.cells, a.steps, w_hat, g_hat)
        seconds.append(s)
    ns = np.array(seconds) * 1e9 / a.cells
    print(f"impl=numpy numpy={np.__version__} cells={a.cells} steps={a.steps} repetitions={a.repetitions} "
          f"s_per_step={np.median(seconds):.6e} ns_per_node_step={np.median(ns):.3f} min_ns={ns.min():.3f} "
          f"max_ns={ns.max():.3f} sum_u={total:.12e}")


if __name__ == "__main__":
    main()
