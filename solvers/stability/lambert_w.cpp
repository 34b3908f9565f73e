#include "solvers/stability/lambert_w.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace nf {

namespace {

using cd = std::complex<double>;

constexpr double kPi = std::numbers::pi;
constexpr double kE = std::numbers::e;
// 1/e = kInvEHi + kInvELo to ~1e-33, so that z + 1/e keeps its digits near the branch point.
constexpr double kInvEHi = 0.36787944117144233;
constexpr double kInvELo = -1.2428753672788363e-17;

constexpr double kEps = 2.220446049250313e-16;
constexpr int kMaxHalley = 64;

// Branch-point series, eq. (4.22): W = sum_l mu_l p^l with p = +-sqrt(2(e z + 1)), the
// + sign for W_0 and the - sign for W_{-1} (Im z >= 0) or W_1 (Im z < 0). Converges for
// |p| < sqrt(2); the next coefficient is mu_10 ~ -3.6e-3.
constexpr std::array<double, 10> kBranchPointMu = {
    -1.0, 1.0, -1.0 / 3.0, 11.0 / 72.0, -43.0 / 540.0, 769.0 / 17280.0, -221.0 / 8505.0,
    680863.0 / 43545600.0, -1963.0 / 204120.0, 226287557.0 / 37623398400.0};
// Below this |p| the truncated series error mu_10 |p|^10 < 4e-20 is under the rounding.
constexpr double kSeriesOnlyRadius = 0.02;

cd branch_point_series(cd p) {
  cd sum = 0.0;
  for (auto it = kBranchPointMu.rbegin(); it != kBranchPointMu.rend(); ++it) sum = sum * p + *it;
  return sum;
}

// p = sqrt(2(e z + 1)) with z + 1/e formed from a double-double 1/e.
cd branch_point_p(cd z) { return std::sqrt(2.0 * kE * ((z + kInvEHi) + kInvELo)); }

// Asymptotic series, eqs. (4.19)-(4.20), with L1 = ln z + 2 pi i k, L2 = ln L1.
cd asymptotic_series(cd z, int k) {
  const cd l1 = std::log(z) + cd(0.0, 2.0 * kPi * k);
  const cd l2 = std::log(l1);
  const cd r = l2 / l1;
  return l1 - l2 + r + r * (l2 - 2.0) / (2.0 * l1) +
         r * (6.0 - 9.0 * l2 + 2.0 * l2 * l2) / (6.0 * l1 * l1);
}

// Taylor series of W_0 about 0, eq. (3.1): sum (-n)^{n-1} z^n / n!; radius 1/e.
cd taylor_w0(cd z) {
  return z * (1.0 + z * (-1.0 + z * (1.5 + z * (-8.0 / 3.0 + z * (125.0 / 24.0)))));
}

// Winitzki's approximation W_0(x) ~ L (1 - ln(1 + L)/(2 + L)), L = ln(1 + x), derived
// for real x > 0; a fair complex start for W_0 away from z = -1.
cd winitzki_w0(cd z) {
  const cd l = std::log(1.0 + z);
  return l * (1.0 - std::log(1.0 + l) / (2.0 + l));
}

// The k of w = W_k(z) from Im w + arg w = arg z + 2 pi k (Jeffrey, Hare & Corless,
// "Unwinding the branches of the Lambert W function", Math. Scientist 21:1 (1996)); a real
// w < -1 is the Im w -> 0- limit of W_{-1}, so it counts arg w = -pi.
int branch_index(cd w, cd z) {
  const bool real_below_minus_one = w.imag() == 0.0 && w.real() < -1.0;
  const double arg_w = real_below_minus_one ? -kPi : std::arg(w);
  return static_cast<int>(std::lround((w.imag() + arg_w - std::arg(z)) / (2.0 * kPi)));
}

// W_0 on [-1/e, inf) and W_{-1} on [-1/e, 0) are real.
bool real_branch(cd z, int k) {
  if (z.imag() != 0.0) return false;
  if (k == 0) return z.real() > -kInvEHi;
  return k == -1 && z.real() > -kInvEHi && z.real() < 0.0;
}

// Real asymptotic series of W_{-1} on (-1/e, 0), eq. (4.19) with L1 = ln(-z), L2 = ln(-L1).
cd real_asymptotic_wm1(double z) {
  const double l1 = std::log(-z);
  const double l2 = std::log(-l1);
  return l1 - l2 + l2 / l1;
}

// +1 where W_k(z) ~ -1 + p near z = -1/e (k = 0), -1 where W_k(z) ~ -1 - p (k = -1 with
// Im z >= 0, k = 1 with Im z < 0), 0 where branch k stays away from the branch point.
int branch_point_sign(cd z, int k) {
  if (k == 0) return 1;
  if ((k == -1 && z.imag() >= 0.0) || (k == 1 && z.imag() < 0.0)) return -1;
  return 0;
}

bool near_branch_point(cd p) { return std::abs(p) < 1.0; }

// Starting points for Halley, most suitable first; the rest are fallbacks.
std::vector<cd> initial_guesses(cd z, int k) {
  const cd p = branch_point_p(z);
  const double sign = branch_point_sign(z, k);
  std::vector<cd> guesses;
  if (sign != 0.0 && near_branch_point(p)) guesses.push_back(branch_point_series(sign * p));
  if (k == 0) {
    if (std::abs(z) < 0.3) guesses.push_back(taylor_w0(z));
    if (std::abs(z) > 3.0) guesses.push_back(asymptotic_series(z, 0));
    guesses.push_back(winitzki_w0(z));
    guesses.push_back(-1.0 + p - p * p / 3.0);
    guesses.push_back(asymptotic_series(z, 0));
    return guesses;
  }
  if (real_branch(z, k)) guesses.push_back(real_asymptotic_wm1(z.real()));
  guesses.push_back(asymptotic_series(z, k));
  if (sign != 0.0) guesses.push_back(-1.0 - p - p * p / 3.0);
  return guesses;
}

bool is_finite(cd w) { return std::isfinite(w.real()) && std::isfinite(w.imag()); }

// One Halley step for w e^w - z, eq. (5.9). For Re w >= 0 numerator and denominator are
// divided by e^w so that e^w cannot overflow.
cd halley_step(cd w, cd z) {
  const bool scaled = w.real() >= 0.0;
  const cd f = scaled ? w - z * std::exp(-w) : w * std::exp(w) - z;
  const cd fp = scaled ? w + 1.0 : std::exp(w) * (w + 1.0);
  return f / (fp - (w + 2.0) * f / (2.0 * w + 2.0));
}

// Halley until the step is at the rounding level, or stops shrinking once below 1e-8 |w|
// (near the branch point the step noise is ~eps/|1 + w|). Returns NaN on failure.
cd halley(cd w, cd z) {
  const cd nan(std::nan(""), std::nan(""));
  double previous = std::numeric_limits<double>::infinity();
  for (int it = 0; it < kMaxHalley; ++it) {
    const cd step = halley_step(w, z);
    if (!is_finite(step)) return nan;
    const double size = std::abs(step);
    const double scale = std::max(std::abs(w), 1e-300);
    if (size >= previous && size < 1e-8 * scale) return w;
    w -= step;
    if (size <= 4.0 * kEps * scale) return w;
    previous = size;
  }
  return nan;
}

bool residual_ok(cd w, cd z) {
  return std::abs(w * std::exp(w) - z) <= 1e-12 * std::abs(z);
}

std::string describe(cd z, int k) {
  std::ostringstream msg;
  msg.precision(17);
  msg << "lambert_w: z = " << z.real() << (z.imag() < 0 ? " - " : " + ") << std::abs(z.imag())
      << "i, branch k = " << k;
  return msg.str();
}

}  // namespace

std::complex<double> lambert_w(std::complex<double> z, int branch) {
  if (!is_finite(z)) throw std::invalid_argument(describe(z, branch) + ": z is not finite");
  if (z.imag() == 0.0) z.imag(0.0);
  if (z == 0.0) {
    if (branch == 0) return 0.0;
    throw std::invalid_argument(describe(z, branch) + ": W_k(0) = -infinity for k != 0");
  }
  const cd p = branch_point_p(z);
  const double sign = branch_point_sign(z, branch);
  if (sign != 0.0 && std::abs(p) < kSeriesOnlyRadius) return branch_point_series(sign * p);
  for (const cd guess : initial_guesses(z, branch)) {
    if (!is_finite(guess)) continue;
    cd w = halley(guess, z);
    if (!is_finite(w)) continue;
    if (real_branch(z, branch)) w.imag(0.0);
    if (branch_index(w, z) == branch && residual_ok(w, z)) return w;
  }
  throw std::runtime_error(describe(z, branch) + ": Halley iteration did not converge on the branch");
}

}  // namespace nf
