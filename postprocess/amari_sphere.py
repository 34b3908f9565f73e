#!/usr/bin/python3
"""Reference for a spherical Amari front in 3D (input_decks/amari_3d.yaml).

A ball of u = 1 of radius R0 at t = 0 in
    tau du/dt = -u + int w(|x - y|) H(u(y, t) - theta) dy,
    w(r) = a (2 pi s^2)^{-3/2} exp(-r^2 / (2 s^2))
stays a ball {r <= R(t)}, so u(r, t) solves the radial equations
    tau du/dt = -u + a M(r, R(t)),   u(R(t), t) = theta,
with M(r, R) the Gaussian's mass inside the ball of radius R seen from distance r
(closed form below). This solves them on a fine radial grid (RK4 in time, R from the
linear crossing of theta) and prints R(t_end) and the least-squares speed of R over
[t_start, t_end], the figure summary.json gives as radial_front_speed.

    /usr/bin/python3 postprocess/amari_sphere.py --theta 0.25 --radius 3 --t-end 6
"""
import argparse
import math

import numpy as np

try:
    from scipy.special import erf as _erf
except ImportError:  # python3-scipy is optional: the same, slower
    _erf = np.vectorize(math.erf)


def ball_mass(r, R, s):
    """int_{|y| < R} of the unit Gaussian of width s centred at distance r from 0."""
    p = (R - r) / (s * math.sqrt(2))
    q = (R + r) / (s * math.sqrt(2))
    return 0.5 * (_erf(p) + _erf(q)) - s / (r * math.sqrt(2 * math.pi)) * (np.exp(-p * p) - np.exp(-q * q))


def edge(r, u, theta):
    """The outermost crossing of theta, linear between grid points."""
    i = np.nonzero(u >= theta)[0].max()
    if i + 1 >= len(r):
        raise SystemExit(f"amari_sphere.py: the front left the radial grid ({r[-1]:.3g} m): a shorter --t-end")
    return r[i] + (u[i] - theta) / (u[i] - u[i + 1]) * (r[i + 1] - r[i])


def solve(theta, a, s, tau, radius, t_end, dt, dr):
    r = np.arange(dr / 2, radius + 3 * t_end * s / tau + 10 * s, dr)
    u = (r <= radius).astype(float)
    def rhs(v):
        return (-v + a * ball_mass(r, edge(r, v, theta), s)) / tau
    steps = int(round(t_end / dt))
    times, radii = [0.0], [edge(r, u, theta)]
    for n in range(steps):
        k1 = rhs(u)
        k2 = rhs(u + dt / 2 * k1)
        k3 = rhs(u + dt / 2 * k2)
        k4 = rhs(u + dt * k3)
        u = u + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        times.append((n + 1) * dt)
        radii.append(edge(r, u, theta))
    return np.array(times), np.array(radii)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--theta", type=float, default=0.25)
    ap.add_argument("--a", type=float, default=1.0, help="kernel integral")
    ap.add_argument("--sigma", type=float, default=1.0, help="kernel width (m)")
    ap.add_argument("--tau", type=float, default=1.0, help="s")
    ap.add_argument("--radius", type=float, default=3.0, help="initial ball radius (m)")
    ap.add_argument("--t-end", type=float, default=6.0, help="s")
    ap.add_argument("--t-start", type=float, help="start of the speed fit (s; default t_end/2)")
    ap.add_argument("--dt", type=float, default=0.01, help="s")
    ap.add_argument("--dr", type=float, default=0.002, help="m")
    args = ap.parse_args()
    t_start = args.t_end / 2 if args.t_start is None else args.t_start
    times, radii = solve(args.theta, args.a, args.sigma, args.tau, args.radius, args.t_end, args.dt, args.dr)
    fit = times >= t_start - 1e-12
    speed = np.polyfit(times[fit], radii[fit], 1)[0]
    print(f"R({args.t_end:g} s) = {radii[-1]:.4f} m, radial front speed over [{t_start:g}, {args.t_end:g}] s "
          f"= {speed:.4f} m/s")


if __name__ == "__main__":
    main()
