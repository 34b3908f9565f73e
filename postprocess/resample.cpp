#include "postprocess/resample.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace nf {
namespace {

double lagrange4(const double* t, const double* y, double x) {
  double sum = 0;
  for (int i = 0; i < 4; ++i) {
    double w = 1;
    for (int j = 0; j < 4; ++j)
      if (j != i) w *= (x - t[j]) / (t[i] - t[j]);
    sum += w * y[i];
  }
  return sum;
}

}  // namespace

std::vector<double> resample_uniform(const std::vector<double>& times, const std::vector<double>& values,
                                     double t_first, double dt, std::size_t count) {
  if (times.size() < 4 || times.size() != values.size()) throw std::invalid_argument("resample needs >= 4 samples");
  const double tol = 1e-9 * dt;
  if (t_first < times.front() - tol || t_first + dt * static_cast<double>(count - 1) > times.back() + tol)
    throw std::invalid_argument("resample grid outside the recorded times");
  std::vector<double> out(count);
  std::size_t j = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const double t = t_first + dt * static_cast<double>(k);
    while (j + 1 < times.size() && times[j + 1] <= t + tol) ++j;
    if (std::abs(times[j] - t) <= tol) {
      out[k] = values[j];
      continue;
    }
    const std::size_t lo = std::min(j > 0 ? j - 1 : 0, times.size() - 4);
    out[k] = lagrange4(&times[lo], &values[lo], t);
  }
  return out;
}

}  // namespace nf
