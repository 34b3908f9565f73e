#pragma once
// An exact travelling front, u(x, t) = (1 - tanh((x - x0 - c t)/w))/2, and the bound on
// where a cubic crossing search (postprocess/front_tracker.h) may place its level.
//
// The cubic through 4 cells of spacing h misses u by at most C h^4/24 max|u''''|
// (C = max |prod (x - x_k)|/h^4: 9/16 between the middle two cells, 1 between the
// first two), and a level error e moves the crossing by e / min|u'| with the minimum
// taken within h of the crossing (the root and the exact position share one cell).
// With T = tanh(s), s = (x - x0 - c t)/w:
//   u'    = -(1 - T^2)/(2w),
//   u'''' = -(16T - 40T^3 + 24T^5)/(2w^4), whose largest size is at T^2 = (15 - sqrt 105)/30.
#include <cmath>

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

}  // namespace nf::test
