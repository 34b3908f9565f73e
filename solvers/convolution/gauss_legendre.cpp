#include "solvers/convolution/gauss_legendre.h"

#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace nf {
namespace {

// Nodes are the roots of P_n by Newton from cos(pi (i - 1/4) / (n + 1/2)); weights
// 2 / ((1 - x^2) P_n'(x)^2) on [-1, 1].
QuadratureRule make_rule(int n) {
  QuadratureRule rule;
  rule.node.resize(n);
  rule.weight.resize(n);
  for (int i = 0; i < n; ++i) {
    double x = std::cos(std::numbers::pi * (i + 0.75) / (n + 0.5));
    double derivative = 1;
    for (int iteration = 0; iteration < 100; ++iteration) {
      double p0 = 1, p1 = x;  // P_0, P_1, then P_{k-1}, P_k by Bonnet's recursion
      for (int k = 2; k <= n; ++k) {
        const double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      derivative = n * (x * p1 - p0) / (x * x - 1);
      const double step = p1 / derivative;
      x -= step;
      if (std::abs(step) < 1e-16) break;
    }
    rule.node[i] = 0.5 * (1 - x);
    rule.weight[i] = 1 / ((1 - x * x) * derivative * derivative);  // half of 2/(...)
  }
  return rule;
}

}  // namespace

const QuadratureRule& gauss_legendre(int n) {
  static const std::array<QuadratureRule, kMaxGaussPoints> rules = [] {
    std::array<QuadratureRule, kMaxGaussPoints> r;
    for (int k = 1; k <= kMaxGaussPoints; ++k) r[k - 1] = make_rule(k);
    return r;
  }();
  if (n < 1 || n > kMaxGaussPoints) throw std::out_of_range("Gauss-Legendre rules have 1 to 32 points");
  return rules[n - 1];
}

}  // namespace nf
