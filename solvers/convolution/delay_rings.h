#pragma once
// Distance-dependent (axonal) delays by rings. The coupling
//   I(x_i, t) = sum_j W(d) f(x_j, t - |x_i - y|/v),   d = x_i - x_j,
// (W the cell weights of fft_convolution.h, |x_i - y| over the source cell) is split
// by the cell-centre distance |d| into rings [r b, (r + 1) b) out to where |w| falls
// below kRingTolerance of its peak (not sooner: the tail holds little weight, but the
// history it reads reaches far back, and a field that decays in time grows into its
// past); the last ring takes every farther cell. Ring r is read at the single lag
//   tau_r = sum_ring W(d) dbar(d) / (v sum_ring W(d)),
//   dbar(d) = int_cell |y| w(|y|) dy / int_cell w(|y|) dy,
// the W-weighted mean delay of the ring, so that reading it at one lag errs only at
// second order in its delay spread b/v: sum W f(t - dbar/v) = (sum W) f(t - tau_r)
// + O((b/v)^2 f_tt). The width is free (not tied to v dt), and no lag is rounded to
// a step: the history interpolates in time (solvers/history/record_history.h).
// Each ring holds its masked weight spectra (and those of the moment kernels of the
// sub-cell Heaviside, firing.h), made once. The weights are even in every axis (the
// kernel is radial) and the moment kernels odd in theirs, so the spectra are real and
// imaginary: each is kept as one real array, half the memory and traffic.
#include <complex>
#include <vector>

#include "meshes/grid.h"
#include "solvers/convolution/fft_convolution.h"
#include "solvers/convolution/kernel.h"

namespace nf {

struct DelayRing {
  double lag = 0;                            // s
  // Per source spectrum (W, then G_a per axis): the real part of W's spectrum, the
  // imaginary part of G_a's (the other part vanishes).
  std::vector<std::vector<double>> factors;
};

struct RingLayout {
  std::vector<double> edges;  // m: rho_1 < rho_2 < ...; ring r is [rho_r, rho_{r+1}), rho_0 = 0, the last unbounded
  double width = 0;           // m: b
  int count() const { return static_cast<int>(edges.size()) + 1; }
  int ring_of(double distance) const;
};

// The rings of a kernel on a grid: of width b = the smallest cell spacing, or `count`
// > 0 rings over the same radius; none beyond the farthest pair of cells.
inline constexpr double kRingTolerance = 1e-12;
RingLayout ring_layout(const Kernel& w, const GridSpec& grid, int count);

// The rings of w at conduction velocity v (m/s); with_moments adds the moment-kernel
// factors (one per axis) after W.
std::vector<DelayRing> make_delay_rings(const FftConvolution& fft, const GridSpec& grid, const Kernel& w,
                                        double velocity, const RingLayout& layout, bool with_moments);

}  // namespace nf
