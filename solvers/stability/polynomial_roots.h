#pragma once
// Roots of a real polynomial p(z) = sum_k c_k z^k as the eigenvalues of its companion
// matrix, by LAPACK dgeev (which balances first): backward stable in the polynomial's
// coefficients (A. Edelman & H. Murakami, Math Comp 64:763-776 (1995)).
#include <complex>
#include <vector>

namespace nf {

// c in ascending powers; leading zero coefficients are dropped (a constant has no
// roots). Sorted by real part, descending (ties: imaginary part, descending). Throws
// std::invalid_argument for a zero or non-finite polynomial, std::runtime_error if
// LAPACK fails.
std::vector<std::complex<double>> polynomial_roots(std::vector<double> c);

}  // namespace nf
