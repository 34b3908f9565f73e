#pragma once
// Exact fronts and bumps, and the bounds on where a cubic crossing search
// (postprocess/front_tracker.h) may place their level crossings.
//
// A travelling front, u(x, t) = (1 - tanh((x - x0 - c t)/w))/2.
// The cubic through 4 cells of spacing h misses u by at most C h^4/24 max|u''''|
// (C = max |prod (x - x_k)|/h^4: 9/16 between the middle two cells, 1 between the
// first two), and a level error e moves the crossing by e / min|u'| with the minimum
// taken within h of the crossing (the root and the exact position share one cell).
// With T = tanh(s), s = (x - x0 - c t)/w:
//   u'    = -(1 - T^2)/(2w),
//   u'''' = -(16T - 40T^3 + 24T^5)/(2w^4), whose largest size is at T^2 = (15 - sqrt 105)/30.
#include <cmath>
#include <vector>

namespace nf::test {

struct TanhFront {
  double x0 = 0, speed = 0, width = 1;  // m, m/s, m
  double operator()(double x, double t) const { return 0.5 * (1 - std::tanh((x - x0 - speed * t) / width)); }
  // Where u = level at time t.
  double position(double level, double t) const { return x0 + speed * t + width * std::atanh(1 - 2 * level); }
};

// max_s |d^4 tanh / ds^4|.
inline double tanh_fourth_derivative_max() {
  const double T = std::sqrt((15 - std::sqrt(105.0)) / 30);
  return std::abs(16 * T - 40 * T * T * T + 24 * std::pow(T, 5));
}

// The largest crossing error of `level` on cells of spacing h; C as above.
inline double tanh_crossing_bound(const TanhFront& f, double level, double h, double C = 9.0 / 16) {
  const double w = f.width;
  const double s_far = std::abs(std::atanh(1 - 2 * level)) + h / w;
  const double slope_min = (1 - std::tanh(s_far) * std::tanh(s_far)) / (2 * w);
  const double level_error = C * std::pow(h, 4) / 24 * tanh_fourth_derivative_max() / (2 * std::pow(w, 4));
  return level_error / slope_min;
}

// A bump u = exp(-(x - x0)^2/2) at level e^{-1/2}: edges at x0 -+ 1, width 2 (m). The
// width's error is at most 2 (9/16) h^4/24 max|u''''| / min|u'|, with
// u'''' = (d^4 - 6d^2 + 3) u (largest size 3, at d = 0) and |u'| = |d| u >= (1 - h) e^{-(1+h)^2/2}
// within h of an edge (d = x - x0).
inline double gaussian_width_bound(double h) {
  return 2 * (9.0 / 16) * std::pow(h, 4) / 24 * 3 / ((1 - h) * std::exp(-(1 + h) * (1 + h) / 2));
}
inline double gaussian_edge_level() { return std::exp(-0.5); }

// The largest change that errors of at most E in each position make in a least-squares
// slope over the times t >= t_start: the slope is sum_k w_k x_k with
// w_k = (t_k - tm)/sum (t - tm)^2, so at most E sum |w_k| (m/s).
inline double slope_error_bound(const std::vector<double>& times, double t_start, double E) {
  double mean = 0, n = 0;
  for (double t : times)
    if (t >= t_start) mean += t, n += 1;
  mean /= n;
  double absolute = 0, squares = 0;
  for (double t : times)
    if (t >= t_start) absolute += std::abs(t - mean), squares += (t - mean) * (t - mean);
  return E * absolute / squares;
}

}  // namespace nf::test
