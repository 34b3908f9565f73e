#include "postprocess/spiral_tip.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace nf {
namespace {

constexpr double kEdgeSlack = 1e-12;  // roots this far outside [0, 1] count as on the edge
constexpr std::size_t kMinRotationPoints = 8;
constexpr double kMinTurns = 2;

// Coefficients (c0, c1, c2, c3) of c0 + c1 s + c2 t + c3 s t through the corners.
std::array<double, 4> bilinear(const std::array<double, 4>& v) {
  return {v[0], v[1] - v[0], v[2] - v[0], v[3] - v[2] - v[1] + v[0]};
}

bool in_unit(double x) { return x >= -kEdgeSlack && x <= 1 + kEdgeSlack; }

// The real roots of q2 t^2 + q1 t + q0 (at most two; one for a linear equation).
std::size_t quadratic_roots(double q2, double q1, double q0, std::array<double, 2>& roots) {
  const double scale = std::max({std::abs(q2), std::abs(q1), std::abs(q0)});
  if (scale == 0) return 0;
  if (std::abs(q2) <= 1e-14 * scale) {
    if (q1 == 0) return 0;
    roots[0] = -q0 / q1;
    return 1;
  }
  const double disc = q1 * q1 - 4 * q2 * q0;
  if (disc < 0) return 0;
  // The stable pair: q = -(q1 + sign(q1) sqrt(disc)) / 2, roots q / q2 and q0 / q.
  const double q = -0.5 * (q1 + std::copysign(std::sqrt(disc), q1));
  roots[0] = q / q2;
  if (q == 0) return 1;
  roots[1] = q0 / q;
  return 2;
}

}  // namespace

bool may_hold_intersection(const std::array<double, 4>& a, const std::array<double, 4>& b) {
  const auto [a_lo, a_hi] = std::minmax_element(a.begin(), a.end());
  const auto [b_lo, b_hi] = std::minmax_element(b.begin(), b.end());
  return *a_lo <= 0 && *a_hi >= 0 && *b_lo <= 0 && *b_hi >= 0;
}

SquareRoots bilinear_intersections(const std::array<double, 4>& av, const std::array<double, 4>& bv) {
  const auto a = bilinear(av), b = bilinear(bv);
  std::array<double, 2> ts{};
  const double q2 = b[2] * a[3] - b[3] * a[2];
  const double q1 = b[0] * a[3] + b[2] * a[1] - b[1] * a[2] - b[3] * a[0];
  const double q0 = b[0] * a[1] - b[1] * a[0];
  const std::size_t n = quadratic_roots(q2, q1, q0, ts);
  SquareRoots out;
  for (std::size_t r = 0; r < n; ++r) {
    const double t = ts[r];
    if (!in_unit(t)) continue;
    const double da = a[1] + a[3] * t, db = b[1] + b[3] * t;
    if (da == 0 && db == 0) continue;
    const double s = std::abs(da) >= std::abs(db) ? -(a[0] + a[2] * t) / da : -(b[0] + b[2] * t) / db;
    if (!in_unit(s)) continue;
    out.points[out.count++] = {std::clamp(s, 0.0, 1.0), std::clamp(t, 0.0, 1.0)};
  }
  return out;
}

RotationFit fit_rotation_period(std::span<const double> times, std::span<const double> x,
                                std::span<const double> y, double t_start) {
  if (times.size() != x.size() || times.size() != y.size())
    throw std::invalid_argument("fit_rotation_period: times, x and y differ in length");
  std::vector<std::size_t> used;
  RotationFit fit;
  for (std::size_t k = 0; k < times.size(); ++k)
    if (times[k] >= t_start && std::isfinite(x[k]) && std::isfinite(y[k])) {
      used.push_back(k);
      fit.centre_x += x[k];
      fit.centre_y += y[k];
    }
  fit.points = used.size();
  if (used.size() < kMinRotationPoints) return fit;
  fit.centre_x /= static_cast<double>(used.size());
  fit.centre_y /= static_cast<double>(used.size());
  std::vector<double> theta(used.size());
  constexpr double kTwoPi = 2 * std::numbers::pi;
  for (std::size_t n = 0; n < used.size(); ++n) {
    const double raw = std::atan2(y[used[n]] - fit.centre_y, x[used[n]] - fit.centre_x);
    theta[n] = n == 0 ? raw : theta[n - 1] + std::remainder(raw - theta[n - 1], kTwoPi);
  }
  double t_mean = 0, th_mean = 0;
  for (std::size_t n = 0; n < used.size(); ++n) t_mean += times[used[n]], th_mean += theta[n];
  t_mean /= static_cast<double>(used.size());
  th_mean /= static_cast<double>(used.size());
  double stt = 0, sth = 0;
  for (std::size_t n = 0; n < used.size(); ++n) {
    const double dt = times[used[n]] - t_mean;
    stt += dt * dt;
    sth += dt * (theta[n] - th_mean);
  }
  if (stt == 0) return fit;
  const double omega = sth / stt;
  double sq = 0;
  for (std::size_t n = 0; n < used.size(); ++n) {
    const double r = theta[n] - th_mean - omega * (times[used[n]] - t_mean);
    sq += r * r;
  }
  fit.rms_residual = std::sqrt(sq / static_cast<double>(used.size()));
  fit.turns = std::abs(theta.back() - theta.front()) / kTwoPi;
  fit.sense = omega > 0 ? 1 : -1;
  fit.period = omega != 0 ? kTwoPi / std::abs(omega) : 0;
  fit.found = omega != 0 && fit.turns >= kMinTurns;
  return fit;
}

}  // namespace nf
