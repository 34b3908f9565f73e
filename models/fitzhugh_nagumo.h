#pragma once
// FitzHugh-Nagumo excitable medium (R. FitzHugh, Biophys J 1:445 (1961); J. Nagumo,
// S. Arimoto & S. Yoshizawa, Proc IRE 50:2061 (1962)), with diffusion of both fields
// (J. Keener & J. Sneyd, Mathematical Physiology, 2nd ed., Springer (2009), ch. 6):
//   du/dt = D_u laplacian(u) + u - u^3/3 - w + I,
//   dw/dt = D_w laplacian(w) + eps (u + beta - gamma w),
// u (excitation) and w (recovery) dimensionless, t in s, D_u and D_w in m^2/s, eps in
// 1/s; beta, gamma, I dimensionless (the reaction's time unit is taken as 1 s).
// FitzHugh's values beta = 0.7, gamma = 0.8, eps = 0.08, I = 0 make the rest state a
// stable node-focus that a supra-threshold kick turns into one excursion: pulses in 1D,
// spirals from a broken wave in 2D, scroll waves in 3D (A. T. Winfree, Chaos 1:303 (1991)).
//
// Rest state (u*, w*): w* = (u* + beta)/gamma and u* the root of
//   g(u) = u - u^3/3 - (u + beta)/gamma + I,
// unique for 0 < gamma <= 1: g'(u) = 1 - 1/gamma - u^2 <= 0, zero at u = 0 at most
// (gamma = 0: u* = -beta, w* = u* - u*^3/3 + I). Linear stability of the homogeneous
// state to a mode exp(ikx):
//   J(k) = [[1 - u*^2 - D_u k^2, -1], [eps, -eps gamma - D_w k^2]],
// eigenvalues tr/2 +- sqrt(tr^2/4 - det). When 1 - u*^2 <= 0 both diagonal entries are
// <= 0 for every k, so tr(k) < 0 and det(k) >= det(0): the state is stable to every mode
// iff it is to k = 0 (no Turing instability). The rightmost root need not be at k = 0:
// with D_w = 0 the pair turns real as k grows and one root tends to -eps gamma. FitzHugh's
// values give u* = -1.19941, w* = -0.62426 and -0.25129 +- 0.21195i /s at k = 0.
//
// The tip of a spiral (summary.json spiral_period) is where u = 0 (the cubic's
// inflection, halfway up the excursion) meets w = I, the u-nullcline's value there:
// the point on the u = 0 line where the reaction of u changes sign.
#include <complex>
#include <utility>

#include "models/model.h"

namespace nf {

struct FitzhughNagumoParams {
  double diffusion = 1;    // D_u, m^2/s
  double diffusion_w = 0;  // D_w, m^2/s
  double epsilon = 0.08;   // eps, 1/s
  double beta = 0.7;       // 1
  double gamma = 0.8;      // 1, 0 <= gamma <= 1
  double current = 0;      // I, 1
  int stencil_order = 2;
  GridSpec mesh;

  static FitzhughNagumoParams from(const ModelContext& ctx);
};

ModelType fitzhugh_nagumo_type();

// The rest state (u*, w*), dimensionless.
std::pair<double, double> fitzhugh_nagumo_rest(const FitzhughNagumoParams& p);
// The eigenvalue of J(k) with the larger real part (1/s); k in 1/m.
std::complex<double> fitzhugh_nagumo_rest_eigenvalue(const FitzhughNagumoParams& p, double k);

}  // namespace nf
