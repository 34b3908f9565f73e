#include "postprocess/front_tracker.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace nf {
namespace {

// The cubic through (0, v0), (1, v1), (2, v2), (3, v3) at s (Lagrange form: exact
// at the nodes).
double cubic(const double* v, double s) {
  return -v[0] * (s - 1) * (s - 2) * (s - 3) / 6 + v[1] * s * (s - 2) * (s - 3) / 2 -
         v[2] * s * (s - 1) * (s - 3) / 2 + v[3] * s * (s - 1) * (s - 2) / 6;
}

// The fraction theta in [0, 1] of the interval (m, m+1) where the interpolant crosses
// level, by bisection on the bracket the two end values give.
template <class Interpolant>
double bisect(Interpolant p, double m, bool above_at_left, double level) {
  double lo = 0, hi = 1;
  for (int k = 0; k < 64; ++k) {
    const double mid = 0.5 * (lo + hi);
    if (mid == lo || mid == hi) break;
    ((p(m + mid) >= level) == above_at_left ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double crossing_at(std::span<const double> line, std::size_t i, double level, double origin, double h) {
  const CrossingStencil s = crossing_stencil(i, line.size());
  return crossing_in_interval(line.subspan(s.first, s.count), s, i, level, origin, h);
}

}  // namespace

CrossingStencil crossing_stencil(std::size_t i, std::size_t n) {
  if (n < 4) return {i, 2};
  return {std::min(i > 0 ? i - 1 : 0, n - 4), 4};
}

double crossing_in_interval(std::span<const double> v, CrossingStencil stencil, std::size_t i, double level,
                            double origin, double h) {
  const std::size_t m = i - stencil.first;
  const bool above_at_left = v[m] >= level;
  double theta = 0;
  if (stencil.count == 4) {
    theta = bisect([&](double s) { return cubic(v.data(), s); }, static_cast<double>(m), above_at_left, level);
  } else {
    theta = std::clamp((v[m] - level) / (v[m] - v[m + 1]), 0.0, 1.0);
  }
  return origin + (static_cast<double>(i) + 0.5 + theta) * h;
}

std::optional<double> last_crossing(std::span<const double> line, double level, double origin, double h) {
  for (std::size_t i = line.size(); i-- > 1;)
    if (line[i - 1] >= level && line[i] < level) return crossing_at(line, i - 1, level, origin, h);
  return std::nullopt;
}

std::optional<double> first_rising_crossing(std::span<const double> line, double level, double origin, double h) {
  for (std::size_t i = 0; i + 1 < line.size(); ++i)
    if (line[i] < level && line[i + 1] >= level) return crossing_at(line, i, level, origin, h);
  return std::nullopt;
}

FrontSpeedFit fit_front_speed(std::span<const double> times, std::span<const double> positions, double t_start) {
  if (times.size() != positions.size()) throw std::invalid_argument("fit_front_speed: times and positions differ in length");
  auto used = [&](std::size_t k) { return times[k] >= t_start && std::isfinite(positions[k]); };
  FrontSpeedFit fit;
  double t_mean = 0, x_mean = 0;
  for (std::size_t k = 0; k < times.size(); ++k)
    if (used(k)) {
      ++fit.points;
      t_mean += times[k];
      x_mean += positions[k];
    }
  if (fit.points < kMinFitPoints) return fit;
  const auto n = static_cast<double>(fit.points);
  t_mean /= n;
  x_mean /= n;
  // Centred sums: slope = sum (t - tm)(x - xm) / sum (t - tm)^2.
  double stt = 0, stx = 0;
  for (std::size_t k = 0; k < times.size(); ++k)
    if (used(k)) {
      stt += (times[k] - t_mean) * (times[k] - t_mean);
      stx += (times[k] - t_mean) * (positions[k] - x_mean);
    }
  if (stt == 0) return fit;
  fit.speed = stx / stt;
  fit.intercept = x_mean - fit.speed * t_mean;
  double squares = 0;
  for (std::size_t k = 0; k < times.size(); ++k)
    if (used(k)) {
      const double r = positions[k] - x_mean - fit.speed * (times[k] - t_mean);
      squares += r * r;
    }
  fit.rms_residual = std::sqrt(squares / n);
  fit.found = true;
  return fit;
}

RelaxationFit fit_relaxation(std::span<const double> times, std::span<const double> values, double t_start) {
  if (times.size() != values.size()) throw std::invalid_argument("fit_relaxation: times and values differ in length");
  std::vector<double> x, rate;
  for (std::size_t k = 1; k + 1 < times.size(); ++k)
    if (times[k] >= t_start && std::isfinite(values[k - 1]) && std::isfinite(values[k]) &&
        std::isfinite(values[k + 1]) && times[k + 1] > times[k - 1]) {
      x.push_back(values[k]);
      rate.push_back((values[k + 1] - values[k - 1]) / (times[k + 1] - times[k - 1]));
    }
  RelaxationFit fit;
  fit.points = x.size();
  if (fit.points < kMinFitPoints) return fit;
  const FrontSpeedFit line = fit_front_speed(x, rate, -std::numeric_limits<double>::infinity());
  if (!line.found || line.speed == 0) return fit;
  double mean = 0, spread = 0;
  for (double r : rate) mean += r / static_cast<double>(fit.points);
  for (double r : rate) spread += (r - mean) * (r - mean);
  fit.rate = line.speed;
  fit.equilibrium = -line.intercept / line.speed;
  fit.r_squared = 1 - static_cast<double>(fit.points) * line.rms_residual * line.rms_residual / spread;
  fit.found = true;
  return fit;
}

namespace {

// Edges of the run of cells >= level through cell `peak` of a line whose run does
// not reach its ends; none if it does.
std::optional<double> run_width(std::span<const double> line, std::size_t peak, double level, double origin,
                                double h) {
  std::size_t a = peak, b = peak;
  while (a > 0 && line[a - 1] >= level) --a;
  while (b + 1 < line.size() && line[b + 1] >= level) ++b;
  if (a == 0 || b + 1 == line.size()) return std::nullopt;
  return crossing_at(line, b, level, origin, h) - crossing_at(line, a - 1, level, origin, h);
}

}  // namespace

std::optional<double> bump_width(std::span<const double> line, double level, double origin, double h,
                                 Boundary boundary) {
  const std::size_t n = line.size();
  if (n < 3 || std::any_of(line.begin(), line.end(), [](double u) { return std::isnan(u); })) return std::nullopt;
  const auto peak = static_cast<std::size_t>(std::max_element(line.begin(), line.end()) - line.begin());
  if (line[peak] < level) return std::nullopt;
  if (boundary == Boundary::bounded) return run_width(line, peak, level, origin, h);
  // Periodic: unroll from the cell before the first cell below level left of the
  // peak, over n + 3 cells, so the run and a cell beyond each edge lie inside.
  std::size_t below = peak;
  for (std::size_t k = 0; k < n && line[below] >= level; ++k) below = (below + n - 1) % n;
  if (line[below] >= level) return std::nullopt;
  const std::size_t start = (below + n - 1) % n;
  std::vector<double> unrolled(n + 3);
  for (std::size_t k = 0; k < unrolled.size(); ++k) unrolled[k] = line[(start + k) % n];
  // The peak is 1 .. n-1 cells right of `below`, which is unrolled cell 1.
  return run_width(unrolled, (peak + n - below) % n + 1, level, origin, h);
}

double active_radius(double active_measure, int dim) {
  if (active_measure < 0) throw std::invalid_argument("active_radius: negative measure");
  switch (dim) {
    case 1:
      return active_measure / 2;
    case 2:
      return std::sqrt(active_measure / std::numbers::pi);
    case 3:
      return std::cbrt(3 * active_measure / (4 * std::numbers::pi));
    default:
      throw std::invalid_argument("active_radius: dimension must be 1, 2 or 3");
  }
}

}  // namespace nf

namespace nf {

FrontSpeedFit fit_front_speed_with_transients(std::span<const double> times, std::span<const double> positions,
                                              double t_start) {
  if (times.size() != positions.size())
    throw std::invalid_argument("fit_front_speed_with_transients: times and positions differ in length");
  constexpr std::size_t kTerms = 4;  // t, 1, t^(-1/2), t^(-1)
  std::vector<double> t, x;
  for (std::size_t k = 0; k < times.size(); ++k)
    if (times[k] >= t_start && times[k] > 0 && std::isfinite(positions[k])) t.push_back(times[k]), x.push_back(positions[k]);
  FrontSpeedFit fit;
  fit.points = t.size();
  if (fit.points < std::max(kMinFitPoints, kTerms + 1)) return fit;
  // Columns scaled by the window's largest time so that all are O(1).
  const double scale = *std::max_element(t.begin(), t.end());
  std::array<std::vector<double>, kTerms> q;
  for (auto& column : q) column.resize(t.size());
  for (std::size_t k = 0; k < t.size(); ++k) {
    const double s = t[k] / scale;
    q[0][k] = s, q[1][k] = 1, q[2][k] = 1 / std::sqrt(s), q[3][k] = 1 / s;
  }
  // x = Q R beta: modified Gram-Schmidt, then back substitution.
  std::array<std::array<double, kTerms>, kTerms> r{};
  std::array<double, kTerms> qx{};
  for (std::size_t j = 0; j < kTerms; ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      r[i][j] = std::inner_product(q[i].begin(), q[i].end(), q[j].begin(), 0.0);
      for (std::size_t k = 0; k < t.size(); ++k) q[j][k] -= r[i][j] * q[i][k];
    }
    r[j][j] = std::sqrt(std::inner_product(q[j].begin(), q[j].end(), q[j].begin(), 0.0));
    if (!(r[j][j] > 1e-12 * std::sqrt(static_cast<double>(t.size())))) return fit;
    for (double& v : q[j]) v /= r[j][j];
    qx[j] = std::inner_product(q[j].begin(), q[j].end(), x.begin(), 0.0);
  }
  std::array<double, kTerms> beta{};
  for (std::size_t j = kTerms; j-- > 0;) {
    double v = qx[j];
    for (std::size_t i = j + 1; i < kTerms; ++i) v -= r[j][i] * beta[i];
    beta[j] = v / r[j][j];
  }
  fit.speed = beta[0] / scale;
  fit.intercept = beta[1];
  double squares = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    const double s = t[k] / scale;
    const double res = x[k] - (beta[0] * s + beta[1] + beta[2] / std::sqrt(s) + beta[3] / s);
    squares += res * res;
  }
  fit.rms_residual = std::sqrt(squares / static_cast<double>(t.size()));
  fit.found = true;
  return fit;
}

}  // namespace nf
