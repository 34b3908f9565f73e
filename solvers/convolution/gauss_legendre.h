#pragma once
// Gauss-Legendre rules on [0, 1]: n nodes, exact for polynomials of degree 2n - 1
// (Abramowitz & Stegun 25.4.29, rescaled from [-1, 1]).
#include <vector>

namespace nf {

struct QuadratureRule {
  std::vector<double> node, weight;  // weights sum to 1
};

constexpr int kMaxGaussPoints = 32;

// 1 <= n <= kMaxGaussPoints; built once, shared.
const QuadratureRule& gauss_legendre(int n);

}  // namespace nf
