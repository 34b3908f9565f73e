#include "solvers/convolution/radial_kernels.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace nf::kernels {
namespace {

constexpr double pi = std::numbers::pi;

void check_dimension(int d) {
  if (d < 1 || d > 3) throw std::invalid_argument(fmt::format("a kernel has dimension 1, 2 or 3, not {}", d));
}

// Root x > 2 of (x - 1) e^{-x} = level, by bisection: the function decreases there.
double wizard_hat_tail(double level) {
  double lo = 2, hi = 2 - std::log(level) + std::log(-std::log(level));
  while ((hi - 1) * std::exp(-hi) > level) hi *= 2;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    ((mid - 1) * std::exp(-mid) > level ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

class Exponential final : public Kernel {
 public:
  Exponential(int d, double a, double s) : d_(d), a_(a), s_(s) {
    check_dimension(d);
    const double norm[3] = {2 * s, 2 * pi * s * s, 8 * pi * s * s * s};
    peak_ = a / norm[d - 1];
  }
  int dimension() const override { return d_; }
  double value(double r) const override { return peak_ * std::exp(-r / s_); }
  double reach() const override { return a_ == 0 ? 0 : -s_ * std::log(kReachLevel); }
  double fourier(double k) const override {
    const double q = 1 + s_ * s_ * k * k;
    return d_ == 1 ? a_ / q : d_ == 2 ? a_ / (q * std::sqrt(q)) : a_ / (q * q);
  }
  std::string describe() const override {
    static const char* form[3] = {"(a/2s) exp(-|x|/s)", "(a/2 pi s^2) exp(-r/s)", "(a/8 pi s^3) exp(-r/s)"};
    return fmt::format("{}, a = {:g}, s = {:g} m", form[d_ - 1], a_, s_);
  }
  std::optional<double> exponential_length() const override { return s_; }

 private:
  int d_;
  double a_, s_, peak_;
};

class Gaussian final : public Kernel {
 public:
  Gaussian(int d, double a, double s) : d_(d), a_(a), s_(s) {
    check_dimension(d);
    peak_ = a * std::pow(2 * pi * s * s, -0.5 * d);
  }
  int dimension() const override { return d_; }
  double value(double r) const override { return peak_ * std::exp(-0.5 * r * r / (s_ * s_)); }
  double reach() const override { return a_ == 0 ? 0 : s_ * std::sqrt(-2 * std::log(kReachLevel)); }
  double fourier(double k) const override { return a_ * std::exp(-0.5 * s_ * s_ * k * k); }
  std::string describe() const override {
    return fmt::format("a (2 pi s^2)^(-{}/2) exp(-{}^2/2s^2), a = {:g}, s = {:g} m", d_, d_ == 1 ? "x" : "r", a_, s_);
  }

 private:
  int d_;
  double a_, s_, peak_;
};

// Transforms from those of e^{-lr}, l = 1/s, differentiated in l (w = a (1 + l d/dl) e^{-lr}):
// 1D 4 a s^3 k^2/q^2; 2D 2 pi a s^2 (2 s^2 k^2 - 1)/q^{5/2}; 3D 16 pi a s^3 (s^2 k^2 - 1)/q^3,
// q = 1 + s^2 k^2. The integrals fourier(0) are 0, -2 pi a s^2 and -16 pi a s^3.
class WizardHat final : public Kernel {
 public:
  WizardHat(int d, double a, double s) : d_(d), a_(a), s_(s) { check_dimension(d); }
  int dimension() const override { return d_; }
  double value(double r) const override { return a_ * (1 - r / s_) * std::exp(-r / s_); }
  double reach() const override {
    static const double tail = wizard_hat_tail(kReachLevel);  // |w| peaks at r = 0
    return a_ == 0 ? 0 : s_ * tail;
  }
  double fourier(double k) const override {
    const double sk2 = s_ * s_ * k * k, q = 1 + sk2, s3 = s_ * s_ * s_;
    if (d_ == 1) return 4 * a_ * s_ * sk2 / (q * q);
    if (d_ == 2) return 2 * pi * a_ * s_ * s_ * (2 * sk2 - 1) / (q * q * std::sqrt(q));
    return 16 * pi * a_ * s3 * (sk2 - 1) / (q * q * q);
  }
  std::string describe() const override {
    return fmt::format("a (1 - {0}/s) exp(-{0}/s), a = {1:g} 1/m^{2}, s = {3:g} m", d_ == 1 ? "|x|" : "r", a_, d_, s_);
  }

 private:
  int d_;
  double a_, s_;
};

// max |w| on [0, range]: the best of 4096 samples, refined by golden section.
double max_abs(const Kernel& w, double range) {
  constexpr int samples = 4096;
  const double dr = range / samples;
  int best = 0;
  double best_value = std::abs(w.value(0));
  for (int i = 1; i <= samples; ++i)
    if (const double v = std::abs(w.value(i * dr)); v > best_value) best = i, best_value = v;
  double lo = std::max(0, best - 1) * dr, hi = (best + 1) * dr;
  const double g = 0.5 * (std::sqrt(5.0) - 1);
  for (int i = 0; i < 100; ++i) {
    const double m1 = hi - g * (hi - lo), m2 = lo + g * (hi - lo);
    if (std::abs(w.value(m1)) > std::abs(w.value(m2)))
      hi = m2;
    else
      lo = m1;
  }
  return std::max(best_value, std::abs(w.value(0.5 * (lo + hi))));
}

// The last r where |w| = kReachLevel max |w|: beyond `bound` every term is below its
// own level, so the search widens from there only while |w| is still above the level.
double numeric_reach(const Kernel& w, double bound) {
  if (bound <= 0) return 0;
  const double peak = max_abs(w, bound);
  if (peak == 0) return 0;
  const double level = kReachLevel * peak;
  constexpr int samples = 4096;
  double range = 2 * bound;
  auto above_beyond = [&](double from) {
    for (int i = 0; i <= samples; ++i)
      if (std::abs(w.value(from * (1 + static_cast<double>(i) / samples))) >= level) return true;
    return false;
  };
  for (int widen = 0; widen < 20 && above_beyond(range); ++widen) range *= 2;
  const double dr = range / samples;
  int i = samples;
  while (i > 0 && std::abs(w.value(i * dr)) < level) --i;
  if (i == samples) return range;
  double lo = i * dr, hi = (i + 1) * dr;
  for (int k = 0; k < 100; ++k) {
    const double mid = 0.5 * (lo + hi);
    (std::abs(w.value(mid)) >= level ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

class Sum final : public Kernel {
 public:
  Sum(std::vector<std::unique_ptr<Kernel>> terms, std::string description)
      : terms_(std::move(terms)), description_(std::move(description)) {
    if (terms_.empty()) throw std::invalid_argument("a sum kernel needs at least one term");
    double bound = 0;
    for (const auto& t : terms_) {
      if (t->dimension() != terms_[0]->dimension())
        throw std::invalid_argument("the terms of a sum kernel have different dimensions");
      bound = std::max(bound, t->reach());
    }
    if (description_.empty())
      for (const auto& t : terms_) description_ += (description_.empty() ? "" : " + ") + t->describe();
    reach_ = numeric_reach(*this, bound);
  }
  int dimension() const override { return terms_[0]->dimension(); }
  double value(double r) const override {
    double v = 0;
    for (const auto& t : terms_) v += t->value(r);
    return v;
  }
  double reach() const override { return reach_; }
  double fourier(double k) const override {
    double v = 0;
    for (const auto& t : terms_) v += t->fourier(k);
    return v;
  }
  std::string describe() const override { return description_; }

 private:
  std::vector<std::unique_ptr<Kernel>> terms_;
  std::string description_;
  double reach_ = 0;
};

}  // namespace

std::unique_ptr<Kernel> exponential(int d, double a, double sigma) { return std::make_unique<Exponential>(d, a, sigma); }
std::unique_ptr<Kernel> gaussian(int d, double a, double sigma) { return std::make_unique<Gaussian>(d, a, sigma); }
std::unique_ptr<Kernel> wizard_hat(int d, double a, double sigma) { return std::make_unique<WizardHat>(d, a, sigma); }
std::unique_ptr<Kernel> sum(std::vector<std::unique_ptr<Kernel>> terms, std::string description) {
  return std::make_unique<Sum>(std::move(terms), std::move(description));
}

}  // namespace nf::kernels
