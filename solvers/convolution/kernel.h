#pragma once
// Coupling kernels w(x - y) of neural fields: radial functions w(r) on R^d (d = 1, 2,
// 3), in 1/m^d, registered by name (the deck's model.kernel.type, `neurofield info`).
// Each kernel type documents its normalisation; the amplitude-like parameters
// (a, a_e, a_i) scale it. Exponential and Gaussian kernels integrate to their
// amplitude in every dimension, so a deck keeps its meaning when a 1D grid becomes a
// 2D or 3D one (the kernel becomes radial with the same integral).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/parameters.h"

namespace nf {

class Kernel {
 public:
  virtual ~Kernel() = default;
  virtual int dimension() const = 0;
  // w(r), 1/m^d, at distance r >= 0 (m).
  virtual double value(double r) const = 0;
  // The distance (m) beyond which |w| stays below 1e-12 of max |w| (its numerical
  // support): a periodic axis shorter than twice this wraps the kernel around.
  virtual double reach() const = 0;
  // Continuum Fourier transform w^(k) = int_{R^d} w(|x|) e^{-i k.x} dx at |k| = k
  // (rad/m); dimensionless. Its maximum over k decides the Turing onset.
  virtual double fourier(double k) const = 0;
  // Its integral over R^d (= fourier(0)).
  double integral() const { return fourier(0); }
  // One line: the formula with the parameter values, e.g. "(1/2s) exp(-|x|/s), s = 1 m".
  virtual std::string describe() const = 0;
  // s (m) when w(r) = w(0) e^{-r/s} (the exponential kernel), for the delay methods
  // that rely on that form (wave_coupling.h); none otherwise.
  virtual std::optional<double> exponential_length() const { return std::nullopt; }
};

struct KernelType {
  std::string name;                  // deck name (model.kernel.type)
  std::string doc;                   // the formula per dimension and its normalisation
  std::vector<ParamSpec> params;     // keys of the model.kernel mapping besides type
  // Throws ParamError (key = the parameter) for a combination it rejects.
  std::function<std::unique_ptr<Kernel>(const ParamValues& params, int dimension)> make;
};

const std::vector<KernelType>& kernel_types();
const KernelType* find_kernel_type(const std::string& name);

// w = sum of terms (all of the same dimension).
std::unique_ptr<Kernel> sum_kernel(std::vector<std::unique_ptr<Kernel>> terms);

}  // namespace nf
