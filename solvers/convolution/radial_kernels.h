#pragma once
// The kernel shapes behind the registry (kernel.cpp): each w(r) in closed form with
// its Fourier transform, plus the sum of kernels.
#include <memory>
#include <string>
#include <vector>

#include "solvers/convolution/kernel.h"

namespace nf::kernels {

// |w| falls to this fraction of max |w| at reach().
constexpr double kReachLevel = 1e-12;

// Integral a over R^d: (a/2s) e^{-|x|/s}, (a/2 pi s^2) e^{-r/s}, (a/8 pi s^3) e^{-r/s}.
std::unique_ptr<Kernel> exponential(int dimension, double a, double sigma);
// Integral a over R^d: a (2 pi s^2)^{-d/2} e^{-r^2/2s^2}.
std::unique_ptr<Kernel> gaussian(int dimension, double a, double sigma);
// Peak a (1/m^d) at r = 0: a (1 - r/s) e^{-r/s}.
std::unique_ptr<Kernel> wizard_hat(int dimension, double a, double sigma);
// Sum of terms of one dimension; `description` replaces the terms' joined
// descriptions when given.
std::unique_ptr<Kernel> sum(std::vector<std::unique_ptr<Kernel>> terms, std::string description = "");

}  // namespace nf::kernels
