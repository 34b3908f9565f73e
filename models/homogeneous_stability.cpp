#include "models/homogeneous_stability.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <stdexcept>

#include "solvers/stability/polynomial_roots.h"

namespace nf {
namespace {

using cd = std::complex<double>;
using Poly = std::vector<double>;  // ascending powers of lambda

Poly operator*(const Poly& p, const Poly& q) {
  Poly r(p.size() + q.size() - 1, 0.0);
  for (std::size_t i = 0; i < p.size(); ++i)
    for (std::size_t j = 0; j < q.size(); ++j) r[i + j] += p[i] * q[j];
  return r;
}
Poly operator+(Poly p, const Poly& q) {
  if (q.size() > p.size()) p.resize(q.size(), 0.0);
  for (std::size_t i = 0; i < q.size(); ++i) p[i] += q[i];
  return p;
}
Poly operator*(double s, Poly p) {
  for (double& x : p) x *= s;
  return p;
}
Poly power(const Poly& p, int n) {
  Poly r{1.0};
  for (int k = 0; k < n; ++k) r = r * p;
  return r;
}

// eta(lambda) = (1 + lambda/alpha)^m as a polynomial.
Poly synaptic_polynomial(const SynapticResponse& s) { return power({1.0, 1 / s.rate}, s.order); }

// sigma/c (s): A = 1 + mu lambda.
double lag_rate(const DelayedField& f, double sigma) { return std::isinf(f.velocity) ? 0.0 : sigma / f.velocity; }

// One group of terms of equal sigma: K^_group = numerator / D^p, D = A^2 + q^2.
struct Group {
  Poly numerator, denominator;
};

Group group_of(const DelayedField& f, double sigma, double k) {
  const double mu = lag_rate(f, sigma), q2 = k * k * sigma * sigma;
  const Poly A{1.0, mu};
  bool wizard = false;
  for (const auto& t : f.kernel)
    if (t.sigma == sigma && t.shape == TermShape::wizard_hat) wizard = true;
  // At k = 0 the factor A cancels: a/A and 2 a sigma (A - 1)/A^2 (no spurious roots at A = 0).
  const Poly D = q2 == 0 ? A : A * A + Poly{q2};
  const Poly exponential_numerator = q2 == 0 ? (wizard ? A : Poly{1.0}) : (wizard ? A * D : A);
  const Poly wizard_numerator = q2 == 0 ? A + Poly{-1.0} : A * D + (-1.0) * (A * A) + Poly{q2};
  Group g{{0.0}, wizard ? D * D : D};
  for (const auto& t : f.kernel) {
    if (t.sigma != sigma) continue;
    g.numerator = g.numerator + (t.shape == TermShape::exponential ? t.a * exponential_numerator
                                                                   : (2 * t.a * sigma) * wizard_numerator);
  }
  return g;
}

double max_real(const DelayedField& f, double gain, double k) { return rightmost_rate(f, gain, k).real(); }

// argmin of h on [a, b] by golden section to tol.
template <class H>
double golden_min(H h, double a, double b, double tol) {
  const double r = (std::sqrt(5.0) - 1) / 2;
  double x1 = b - r * (b - a), x2 = a + r * (b - a), h1 = h(x1), h2 = h(x2);
  while (b - a > tol) {
    if (h1 < h2) {
      b = x2, x2 = x1, h2 = h1, x1 = b - r * (b - a), h1 = h(x1);
    } else {
      a = x1, x1 = x2, h1 = h2, x2 = a + r * (b - a), h2 = h(x2);
    }
  }
  return 0.5 * (a + b);
}

constexpr double kGainMin = 1e-3, kGainMax = 1e6;

// g_n(k) as documented in the header; inf when stable up to kGainMax.
double neutral_gain(const DelayedField& f, double k) {
  double below = 0;
  for (double g = kGainMin; g <= kGainMax; g *= std::pow(2.0, 0.25)) {
    if (max_real(f, g, k) > 0) {
      double lo = below, hi = g;
      while (hi - lo > 1e-13 * hi) {
        const double mid = 0.5 * (lo + hi);
        (max_real(f, mid, k) > 0 ? hi : lo) = mid;
      }
      return 0.5 * (lo + hi);
    }
    below = g;
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace

std::complex<double> synaptic_symbol(const SynapticResponse& s, std::complex<double> lambda) {
  return std::pow(1.0 + lambda / s.rate, s.order);
}

std::complex<double> undelayed_rate(const SynapticResponse& s, double G) {
  const double m = s.order;
  const cd root = std::polar(std::pow(std::abs(G), 1 / m), G < 0 ? std::numbers::pi / m : 0.0);
  return s.rate * (root - 1.0);
}

std::complex<double> delayed_transform(const DelayedField& f, double k, std::complex<double> lambda) {
  cd sum = 0;
  for (const auto& t : f.kernel) {
    const cd A = 1.0 + lambda * lag_rate(f, t.sigma);
    const double q2 = k * k * t.sigma * t.sigma;
    const cd D = A * A + q2;
    sum += t.shape == TermShape::exponential ? t.a * A / D : 2 * t.a * t.sigma * (A / D - (A * A - q2) / (D * D));
  }
  return sum;
}

std::vector<double> characteristic_polynomial(const DelayedField& f, double gain, double k) {
  std::vector<double> sigmas;
  for (const auto& t : f.kernel)
    if (std::find(sigmas.begin(), sigmas.end(), t.sigma) == sigmas.end()) sigmas.push_back(t.sigma);
  std::vector<Group> groups;
  for (double s : sigmas) groups.push_back(group_of(f, s, k));
  Poly all_denominators{1.0}, numerator{0.0};
  for (std::size_t j = 0; j < groups.size(); ++j) {
    all_denominators = all_denominators * groups[j].denominator;
    Poly others{1.0};
    for (std::size_t i = 0; i < groups.size(); ++i)
      if (i != j) others = others * groups[i].denominator;
    numerator = numerator + groups[j].numerator * others;
  }
  return synaptic_polynomial(f.synapse) * all_denominators + (-gain) * numerator;
}

std::vector<std::complex<double>> characteristic_roots(const DelayedField& f, double gain, double k) {
  return polynomial_roots(characteristic_polynomial(f, gain, k));
}

std::complex<double> rightmost_rate(const DelayedField& f, double gain, double k) {
  return characteristic_roots(f, gain, k).front();
}

RightmostMode rightmost_over_k(const DelayedField& f, double gain, double k_max, int samples) {
  const double dk = k_max / samples;
  int best = 0;
  for (int j = 1; j <= samples; ++j)
    if (max_real(f, gain, j * dk) > max_real(f, gain, best * dk)) best = j;
  const double k = golden_min([&](double x) { return -max_real(f, gain, x); }, std::max(0.0, (best - 1) * dk),
                              std::min(k_max, (best + 1) * dk), 1e-10 * k_max);
  return {k, rightmost_rate(f, gain, k)};
}

CriticalPoint critical_point(const DelayedField& f, double k_max, int samples) {
  const double dk = k_max / samples;
  std::vector<double> gn(static_cast<std::size_t>(samples) + 1);
  for (int j = 0; j <= samples; ++j) gn[std::size_t(j)] = neutral_gain(f, j * dk);
  const auto best = static_cast<int>(std::min_element(gn.begin(), gn.end()) - gn.begin());
  if (std::isinf(gn[std::size_t(best)]))
    throw std::runtime_error("critical_point: no wavenumber in [0, k_max] loses stability below gain 1e6");
  double k = best * dk, g = gn[std::size_t(best)];
  const double refined = golden_min([&](double x) { return neutral_gain(f, x); }, std::max(0.0, (best - 1) * dk),
                                    std::min(k_max, (best + 1) * dk), 1e-10 * k_max);
  if (const double gr = neutral_gain(f, refined); gr <= g) k = refined, g = gr;
  return {g, k, std::abs(rightmost_rate(f, g, k).imag())};
}

std::vector<std::complex<double>> two_population_roots(const SynapticResponse& e, const SynapticResponse& i,
                                                       const std::array<double, 4>& m) {
  // (eta_E - M_EE)(eta_I - M_II) - M_EI M_IE = 0
  const Poly pe = synaptic_polynomial(e) + Poly{-m[0]}, pi = synaptic_polynomial(i) + Poly{-m[3]};
  return polynomial_roots(pe * pi + Poly{-m[1] * m[2]});
}

std::vector<double> zeros_on(const std::function<double(double)>& F, double lo, double hi, int samples) {
  std::vector<double> zeros;
  const double tol = 1e-14 * (std::abs(lo) + std::abs(hi) + 1e-300);
  double x0 = lo, f0 = F(lo);
  if (f0 == 0) zeros.push_back(lo);
  for (int j = 1; j <= samples; ++j) {
    const double x1 = lo + (hi - lo) * j / samples, f1 = F(x1);
    if (f1 == 0) zeros.push_back(x1);
    else if (f0 != 0 && (f0 < 0) != (f1 < 0)) {
      double a = x0, b = x1, fa = f0;
      while (b - a > tol) {
        const double mid = 0.5 * (a + b), fm = F(mid);
        if ((fm < 0) == (fa < 0)) a = mid, fa = fm;
        else b = mid;
        if (fm == 0) a = b = mid;
      }
      zeros.push_back(0.5 * (a + b));
    }
    x0 = x1, f0 = f1;
  }
  return zeros;
}

}  // namespace nf
