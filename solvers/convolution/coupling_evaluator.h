#pragma once
// Evaluates a model's instantaneous couplings for one stage: sources from the ghosted
// state (firing.h), one forward transform per source field, the kernel products
// summed per target in Fourier space, one inverse transform per target. Kernel
// spectra are made once; every buffer is allocated at construction.
#include <complex>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "meshes/grid.h"
#include "solvers/convolution/coupling.h"
#include "solvers/convolution/fft_convolution.h"

namespace nf {

// A kernel that is still above kWrapTolerance of its peak at half a periodic axis:
// its periodic images would overlap (wrap-around).
inline constexpr double kWrapTolerance = 1e-4;
class KernelWrapsAround : public std::invalid_argument {
 public:
  KernelWrapsAround(const std::string& what, int axis, double radius, double length)
      : std::invalid_argument(what), axis(axis), radius(radius), length(length) {}
  int axis;       // 0 = x
  double radius;  // m: where |w| falls below kWrapTolerance of its peak
  double length;  // m: the periodic axis
};

// The distance (m) beyond which |w(r)| < relative * max |w|.
double kernel_radius(const Kernel& w, double relative);

class CouplingEvaluator {
 public:
  CouplingEvaluator(const Grid& grid, const std::vector<Coupling>& couplings);

  int input_count() const { return static_cast<int>(targets_.size()); }
  // inputs[t] (owned cells, one value each) = the sum of the couplings with target t
  // at the state u (ghosted local array of the grid's DM).
  void evaluate(const double* u_ghosted, std::span<double* const> inputs);

 private:
  using Complex = std::complex<double>;
  struct Source {
    int component = 0;
    Firing firing;
    std::vector<double> fraction;                 // owned cells
    std::vector<std::vector<double>> moments;     // per axis (sub-cell heaviside only)
    std::vector<double*> moment_arrays;
    std::vector<Complex> fraction_spectrum;
    std::vector<std::vector<Complex>> moment_spectra;
  };
  struct Target {
    std::vector<std::vector<Complex>> factors;    // kernel (and moment-kernel) spectra
    std::vector<FftConvolution::Product> products;
  };
  std::size_t source_of(const Coupling& c);

  const Grid& grid_;
  FftConvolution fft_;
  std::vector<Source> sources_;
  std::vector<Target> targets_;
};

}  // namespace nf
