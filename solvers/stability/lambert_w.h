#pragma once
// Lambert W function on every branch: W_k(z) e^{W_k(z)} = z.
//
// Reference: R. M. Corless, G. H. Gonnet, D. E. G. Hare, D. J. Jeffrey, D. E. Knuth,
// "On the Lambert W function", Adv. Comput. Math. 5:329-359 (1996); equation numbers
// below refer to that paper.
//
// Branch k is the image region (2k-1)pi < Im w + arg w <= (2k+1)pi of the w-plane
// (arg principal), except that the real segment w < -1 belongs to W_{-1}: W_0 and
// W_{-1} are the two real branches on [-1/e, 0). Branch cuts follow the
// counter-clockwise-continuity convention of section 4: on the cuts
// (-inf, -1/e] (k = 0) and (-inf, 0] (k != 0) the value is the limit from Im z -> 0+.
// A zero imaginary part of either sign counts as +0. W_0 on [-1/e, inf) and W_{-1} on
// [-1/e, 0) are returned with imaginary part exactly 0.
//
// Use: the delay equation lambda + a + b e^{-c lambda} = 0 has the roots
// lambda_k = W_k(-b c e^{a c}) / c - a, k in Z (section 1, "delay differential equations").
#include <complex>

namespace nf {

// W_k(z). Throws std::invalid_argument for non-finite z, or z = 0 with k != 0 (where
// W_k -> -infinity); std::runtime_error if Halley iteration fails to reach branch k.
std::complex<double> lambert_w(std::complex<double> z, int branch = 0);

}  // namespace nf
