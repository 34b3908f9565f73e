#include "solvers/stability/complex_roots.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

namespace nf {

namespace {

using cd = std::complex<double>;

constexpr int kMaxNewtonSteps = 100;
constexpr int kMaxHalvings = 30;
constexpr double kDifferenceStep = 1e-7;  // relative central-difference step for f'
constexpr double kProbeDistance = 1e-3;   // relative distance of the residual probes
constexpr double kResidualRatio = 1e-6;   // |f(z)| / max |f(probes)| accepted at a root
constexpr double kMergeDistance = 1e-8;   // relative distance below which roots merge
constexpr double kAcceptMargin = 0.05;    // box enlargement per side, fraction of extent
constexpr double kAbortMargin = 1.0;      // Newton leaving this enlargement is abandoned

struct Region {
  double re_min, re_max, im_min, im_max;

  bool contains(cd z) const {
    return z.real() >= re_min && z.real() <= re_max && z.imag() >= im_min && z.imag() <= im_max;
  }
};

Region enlarged(const RootSearchBox& box, double margin) {
  const double dre = margin * (box.re_max - box.re_min);
  const double dim = margin * (box.im_max - box.im_min);
  return {box.re_min - dre, box.re_max + dre, box.im_min - dim, box.im_max + dim};
}

const Region kWholePlane{-HUGE_VAL, HUGE_VAL, -HUGE_VAL, HUGE_VAL};

bool is_finite(cd z) { return std::isfinite(z.real()) && std::isfinite(z.imag()); }

cd derivative(const ComplexFunction& f, const ComplexFunction& df, cd z) {
  if (df) return df(z);
  const double h = kDifferenceStep * (1.0 + std::abs(z));
  return (f(z + h) - f(z - h)) / (2.0 * h);
}

// |f(z)| small against max |f| at z +- h, z +- i h: rejects stalls that are not zeros.
bool is_zero_of(const ComplexFunction& f, cd z) {
  const double h = kProbeDistance * (1.0 + std::abs(z));
  double scale = 0.0;
  for (const cd offset : {cd(h, 0.0), cd(-h, 0.0), cd(0.0, h), cd(0.0, -h)})
    scale = std::max(scale, std::abs(f(z + offset)));
  return scale > 0.0 && std::abs(f(z)) <= kResidualRatio * scale;
}

// First z - t step (t = 1, 1/2, ...) with |f| below |fz|, or nothing.
std::optional<std::pair<cd, cd>> backtrack(const ComplexFunction& f, cd z, cd fz, cd step) {
  double t = 1.0;
  for (int i = 0; i <= kMaxHalvings; ++i, t *= 0.5) {
    const cd trial = z - t * step;
    const cd ft = f(trial);
    if (is_finite(ft) && std::abs(ft) < std::abs(fz)) return std::make_pair(trial, ft);
  }
  return std::nullopt;
}

struct NewtonOutcome {
  bool converged = false;
  cd z;
  double last_step = HUGE_VAL;
  int steps = 0;
};

NewtonOutcome damped_newton(const ComplexFunction& f, const ComplexFunction& df, cd start,
                            double tol, const Region& stay_in) {
  NewtonOutcome out{false, start};
  cd fz = f(start);
  for (; out.steps < kMaxNewtonSteps; ++out.steps) {
    if (!is_finite(fz)) return out;
    const cd step = fz / derivative(f, df, out.z);
    if (!is_finite(step)) return out;
    out.last_step = std::abs(step);
    if (out.last_step < tol * (1.0 + std::abs(out.z))) {
      out.z -= step;
      out.converged = is_zero_of(f, out.z);
      return out;
    }
    const auto next = backtrack(f, out.z, fz, step);
    if (!next || !stay_in.contains(next->first)) return out;
    std::tie(out.z, fz) = *next;
  }
  return out;
}

void check_inputs(const ComplexFunction& f, double tol, const char* who) {
  if (!f) throw std::invalid_argument(std::string(who) + ": the function f is empty");
  if (!(tol > 0.0 && tol < 1.0)) {
    std::ostringstream s;
    s << who << ": tol = " << tol << " must lie in (0, 1)";
    throw std::invalid_argument(s.str());
  }
}

std::string to_string(cd z) {
  std::ostringstream s;
  s.precision(17);
  s << z.real() << (std::signbit(z.imag()) ? " - " : " + ") << std::abs(z.imag()) << "i";
  return s.str();
}

std::string describe(const RootSearchBox& box) {
  std::ostringstream s;
  s << "Re z in [" << box.re_min << ", " << box.re_max << "], Im z in [" << box.im_min << ", "
    << box.im_max << "] with " << box.n_re << " x " << box.n_im << " Newton starts";
  return s.str();
}

void check_box(const RootSearchBox& box) {
  const bool finite = std::isfinite(box.re_min) && std::isfinite(box.re_max) &&
                      std::isfinite(box.im_min) && std::isfinite(box.im_max);
  if (!finite || !(box.re_min < box.re_max) || !(box.im_min < box.im_max) || box.n_re < 1 ||
      box.n_im < 1) {
    throw std::invalid_argument("find_roots: invalid search box " + describe(box) +
                                "; need finite min < max and at least 1 x 1 starts");
  }
}

// Node i of n equally spaced over [lo, hi], both ends included; the midpoint if n = 1.
double grid_node(double lo, double hi, int i, int n) {
  return n == 1 ? 0.5 * (lo + hi) : lo + (hi - lo) * i / (n - 1);
}

void insert_unless_duplicate(std::vector<cd>& roots, cd z) {
  const auto same = [z](cd r) { return std::abs(r - z) < kMergeDistance * (1.0 + std::abs(z)); };
  if (std::none_of(roots.begin(), roots.end(), same)) roots.push_back(z);
}

bool rightmost_first(cd a, cd b) {
  return a.real() != b.real() ? a.real() > b.real() : a.imag() > b.imag();
}

}  // namespace

std::vector<std::complex<double>> find_roots(const ComplexFunction& f, const ComplexFunction& df,
                                             const RootSearchBox& box, double tol) {
  check_inputs(f, tol, "find_roots");
  check_box(box);
  const Region accept = enlarged(box, kAcceptMargin);
  const Region stay_in = enlarged(box, kAbortMargin);
  std::vector<cd> roots;
  for (int i = 0; i < box.n_re; ++i) {
    for (int j = 0; j < box.n_im; ++j) {
      const cd start(grid_node(box.re_min, box.re_max, i, box.n_re),
                     grid_node(box.im_min, box.im_max, j, box.n_im));
      const NewtonOutcome r = damped_newton(f, df, start, tol, stay_in);
      if (r.converged && accept.contains(r.z)) insert_unless_duplicate(roots, r.z);
    }
  }
  std::sort(roots.begin(), roots.end(), rightmost_first);
  return roots;
}

std::complex<double> rightmost_root(const ComplexFunction& f, const ComplexFunction& df,
                                    const RootSearchBox& box) {
  const std::vector<cd> roots = find_roots(f, df, box);
  if (roots.empty()) throw std::runtime_error("rightmost_root: no root found in " + describe(box));
  return roots.front();
}

std::complex<double> newton_root(const ComplexFunction& f, const ComplexFunction& df,
                                 std::complex<double> start, double tol) {
  check_inputs(f, tol, "newton_root");
  const NewtonOutcome r = damped_newton(f, df, start, tol, kWholePlane);
  if (r.converged) return r.z;
  std::ostringstream s;
  s << "newton_root: no convergence from start " << to_string(start) << " after " << r.steps
    << " steps (last |step| = " << r.last_step << ", needed < " << tol << " (1 + |z|) at z = "
    << to_string(r.z) << "); try a closer start or a larger tol";
  throw std::runtime_error(s.str());
}

}  // namespace nf
