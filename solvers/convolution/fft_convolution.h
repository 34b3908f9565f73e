#pragma once
// Discrete convolution of scalar fields on a Grid by FFTW-MPI, on the grid's
// communicator:
//   (W * s)_i = sum_j W(x_i - x_j) s_j,   W(d) = int_{cell at offset d} w(|y|) dy,
// i.e. the source is taken as constant on each cell and the kernel is integrated
// exactly (to quadrature accuracy) over the cell: weights in units of w times m^d.
// Periodic axes: circular convolution over the period, W at the minimal-image
// offset. Bounded axes: zero padding to at least 2N - 1, so the convolution is linear
// (cells outside the grid hold nothing), not circular.
//
// Fields are one value per owned cell of the grid's patch, x fastest (the order of
// the patch's owned cells, Patch::owned with dof = 1). They reach FFTW's slab layout
// by one PETSc scatter each way. Plans and scatters are made once; no call allocates.
#include <array>
#include <complex>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "meshes/grid.h"
#include "solvers/convolution/kernel.h"

namespace nf {

class FftConvolution {
 public:
  using Complex = std::complex<double>;

  explicit FftConvolution(const Grid& grid);
  ~FftConvolution();
  FftConvolution(const FftConvolution&) = delete;
  FftConvolution& operator=(const FftConvolution&) = delete;

  // Local length of a spectrum on this rank (FFTW's local output size).
  std::size_t spectrum_size() const;
  // The spectrum of the cell weights W of kernel w, scaled so that
  // inverse(spectrum(s) * kernel_spectrum(w)) = W * s. Made once per kernel.
  std::vector<Complex> kernel_spectrum(const Kernel& w) const;
  // The same for any weights W(o), o = (o_x, o_y, o_z) = target - source in cells
  // (minimal image on periodic axes; unused axes 0): (W * s)_i = sum_j W(i - j) s_j.
  std::vector<Complex> weights_spectrum(const std::function<double(long, long, long)>& weight) const;
  // The largest |offset| in cells per axis that pairs two cells (periodic: N/2;
  // bounded: N - 1; unused axes 0): the range of OffsetWeights for this grid.
  std::array<long, 3> max_offsets() const;
  // The spectrum of a source field (owned cells) into `out` (spectrum_size()).
  void forward(const double* source, std::span<Complex> out);
  // out (owned cells) = inverse transform of sum_p factor_p * spectrum_p, pointwise.
  struct Product {
    std::span<const Complex> factor;    // e.g. a kernel spectrum
    std::span<const Complex> spectrum;  // e.g. forward(source)
  };
  void inverse_of_sum(std::span<const Product> products, double* out) { inverse_of_sum(products, {}, out); }
  // The same with a spectrum `added` (empty: none) added to the sum.
  void inverse_of_sum(std::span<const Product> products, std::span<const Complex> added, double* out);
  // out (owned cells) = inverse transform of a spectrum (already summed).
  void inverse(std::span<const Complex> spectrum, double* out);
  // out = W * source in one call (forward, multiply, inverse).
  void convolve(std::span<const Complex> kernel_spectrum, const double* source, double* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The same sum done directly, O(N^2), on one rank: the reference for tests.
// `source` and the result hold every cell of the grid, x fastest.
std::vector<double> direct_convolution(const GridSpec& grid, const Kernel& w, const std::vector<double>& source);

// W(d) for the cell centred at offset d (m, per axis) from the target, cell sizes h (m):
// the integral of w(|y|) over that cell, by tensor Gauss-Legendre quadrature, with the
// cells touching the origin split at it (w may have a cusp there). Only the kernel's
// dimension's axes count: offset and h of the axes beyond it are ignored.
double cell_weight(const Kernel& w, const std::array<double, 3>& offset, const std::array<double, 3>& h);

}  // namespace nf
