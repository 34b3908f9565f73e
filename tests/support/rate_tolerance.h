#pragma once
// How far time stepping may move a mode's rate lambda (1/s): the tolerance of a test
// that compares a fitted rate with a characteristic root, from the method's own error.
//
// Fixed steps h with an explicit Runge-Kutta method of order p and p stages (p <= 4):
// on y' = lambda y one step multiplies by R(z) = sum_{k <= p} z^k/k!, z = lambda h, and
// R(z) = e^z - z^{p+1}/(p+1)! + O(z^{p+2}), so the numerical rate log R(z)/h is
//   lambda_h = lambda - lambda (lambda h)^p/(p+1)! + O(h^{p+1}),
// |lambda_h - lambda| <= |lambda| |lambda h|^p/(p+1)! to leading order (Hairer, Norsett &
// Wanner, Solving ODEs I, II.2). For a delay equation the same bound holds with the
// history's interpolation error, which is of the same order and smaller constant
// (cubic Hermite: 1/384 h^4 |u''''|), and it bounds the real part (growth rate) and the
// imaginary part (angular frequency) alike.
//
// Error-controlled steps: each step's local error is held below rtol relative to the
// state, so the mode's amplitude and phase drift by at most rtol per step, that is
// rtol / h_mean per second, with h_mean = (t_end - t0)/steps.
#include <cmath>
#include <complex>

namespace nf::test {

inline double fixed_step_rate_tolerance(std::complex<double> lambda, double dt, int order) {
  double factorial = 1;
  for (int k = 2; k <= order + 1; ++k) factorial *= k;
  return std::abs(lambda) * std::pow(std::abs(lambda) * dt, order) / factorial;  // 1/s
}

inline double adaptive_rate_tolerance(double rtol, double steps, double t_span) {
  return rtol * steps / t_span;  // 1/s
}

// The frequency (Hz) that a rate tolerance (1/s) allows.
inline double frequency_tolerance(double rate_tolerance) { return rate_tolerance / (2 * 3.14159265358979323846); }

}  // namespace nf::test
