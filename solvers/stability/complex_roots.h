#pragma once
// Roots of analytic functions f: C -> C, e.g. characteristic functions of linear delay
// equations, g(lambda) = lambda + 1/tau_D + e^{-2 lambda dT}/tau (units of 1/s). The solver
// knows no model; callers pass f and, if they have it, f'.
//
// Method: damped Newton, z <- z - t f(z)/f'(z) with t = 1, 1/2, 1/4, ... the first step
// length that decreases |f| (Dennis & Schnabel, "Numerical Methods for Unconstrained
// Optimization", SIAM 1996, sec. 6.3), started from every node of a grid over a box.
// A start is converged when |step| < tol (1 + |z|) and |f(z)| <= 1e-6 max|f| over the four
// points z +- h, z +- i h, h = 1e-3 (1 + |z|) (for a simple root that ratio is about
// |step|/h, so this only rejects steps that stall away from a zero).
// Limits: a multiple root converges linearly and, in double precision, only to ~eps^{1/m},
// so it may be missed; a grid coarser than the root spacing may miss roots.
#include <complex>
#include <functional>
#include <vector>

namespace nf {

using ComplexFunction = std::function<std::complex<double>(std::complex<double>)>;

// Search box [re_min, re_max] x [im_min, im_max] with an n_re x n_im grid of Newton starts
// (both ends included; n = 1 puts the single start at the midpoint).
struct RootSearchBox {
  double re_min, re_max, im_min, im_max;
  int n_re = 40, n_im = 40;
};

// All roots that the grid starts converge to inside the box enlarged by 10% (each side
// moved out by 5% of the box's width or height). Roots closer than 1e-8 (1 + |z|) are
// merged. Sorted by real part, descending (ties: imaginary part, descending).
// df may be empty: then f'(z) ~ (f(z + h) - f(z - h))/(2h), h = 1e-7 (1 + |z|).
// Throws std::invalid_argument for an empty f, a degenerate box or tol outside (0, 1).
std::vector<std::complex<double>> find_roots(const ComplexFunction& f, const ComplexFunction& df,
                                             const RootSearchBox& box, double tol = 1e-13);

// The root of largest real part that find_roots returns; throws std::runtime_error naming
// the box if there is none.
std::complex<double> rightmost_root(const ComplexFunction& f, const ComplexFunction& df,
                                   const RootSearchBox& box);

// One root by damped Newton from start; throws std::runtime_error if it does not converge.
std::complex<double> newton_root(const ComplexFunction& f, const ComplexFunction& df,
                                 std::complex<double> start, double tol = 1e-14);

}  // namespace nf
