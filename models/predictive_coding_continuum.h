#pragma once
// The nonlocal continuum of the predictive-coding hierarchy (Alamia & VanRullen, PLoS
// Biol 17(10):e3000487 (2019) for the chain it continues). The hierarchy is a
// coordinate xi (layers); optional lateral cortical axes x (m). The chain's layer
// shifts become kernels:
//   x(xi,t)    = (w_ff * y)(xi, t) - y(xi, t - dT)
//   dy/dt      = x(xi, t - dT)/tau + ((w_fb * y)(xi, t - db) - y(xi, t))/tau_D
// with w_ff a normalised Gaussian of width sigma (layers) centred h layers below,
// w_fb the same centred h layers above, each times a normalised lateral Gaussian of
// width l (m) (none: l = 0). With y ~ exp(i q xi + i k.x + lambda t) the dispersion
// relation is the lattice one (chain eq. 1.5) with e^{-iq}, e^{+iq} replaced by
//   w_ff^(q, k) = e^{-i q h - sigma^2 q^2/2 - l^2 |k|^2/2},  w_fb^(q, k) = e^{+i q h - ...}.
// The naive continuum limit, a Taylor expansion of the shifts, is an advection-
// diffusion equation with delayed diffusion whose growth rates rise without bound
// with q (ill-posed); the kernels are bounded operators, so this one is well-posed for
// sigma > 0, and it is the chain as sigma -> 0 on one cell per layer with h = 1.
//
// Discretisation: cells_per_layer cells per layer along xi (cell i centred at
// xi_i = (i + 1/2)/cells_per_layer), y constant on each cell, each kernel integrated
// exactly over the source cell (second order in the cell size at fixed sigma).
// Open ends: y = 0 beyond the grid except below xi = 0, which holds the input I(t)
// (the chain's y_0): cell i receives I(t - dT) Phi((h - xi_i)/sigma)/tau, the mass of
// w_ff below the bottom. Periodic ends: xi wraps (a ring of layers); a bottom input
// enters the same way. Input at the top adds I(t) to dy/dt in the top layer's cells.
// Laterally the input is uniform, or a Gaussian profile exp(-|x - c|^2/(2 w^2)).
// Times in s, rates in 1/s; y is dimensionless.
#include <complex>
#include <vector>

#include "models/model.h"
#include "models/predictive_coding.h"

namespace nf {

// The chain's parameters (layers: the extent of xi; periodic: along xi) and the
// continuum's own.
struct PcContinuumParams : PcParams {
  double spacing = 1;             // h (layers): the kernels' offset
  double kernel_width = 0.25;     // sigma (layers)
  int cells_per_layer = 4;
  std::vector<PetscInt> lateral_cells;      // per lateral axis (none: a 1D hierarchy)
  std::vector<double> lateral_length;       // m, per lateral axis
  std::vector<bool> lateral_periodic;       // per lateral axis
  double lateral_width = 0;       // l (m); 0: no lateral spread
  std::vector<double> input_center;         // m, per lateral axis
  double input_width = 0;         // m; 0: uniform across the lateral axes

  static PcContinuumParams from(const ParamValues& p);
};

ModelType predictive_coding_continuum_type();

// The kernels' symbols at one wavenumber: their Fourier transforms w_ff^, w_fb^ (the
// continuum's), or the grid's sum_o W(o) e^{-i q o dxi} over its cell weights (the
// exact eigenvalues of the discretised couplings on a periodic grid).
struct PcKernelSymbols {
  std::complex<double> ff, fb;
};
// The continuum's at hierarchy wavenumber q (rad/layer) and lateral wavenumber
// magnitude k (rad/m).
PcKernelSymbols pc_continuum_symbols(const PcContinuumParams& p, double q, double k);

// The dispersion relation as g(lambda) = 0:
//   g = lambda - (w_ff^ e^{-lambda dT} - e^{-2 lambda dT})/tau - (w_fb^ e^{-lambda db} - 1)/tau_D.
std::complex<double> pc_continuum_function(const PcContinuumParams& p, const PcKernelSymbols& w,
                                           std::complex<double> lambda);
std::complex<double> pc_continuum_derivative(const PcContinuumParams& p, const PcKernelSymbols& w,
                                             std::complex<double> lambda);
// Its rightmost root (Im >= 0 reported: a real signal holds q and -q).
std::complex<double> pc_continuum_root(const PcContinuumParams& p, const PcKernelSymbols& w);
// The same with the continuum's symbols at (q, k).
std::complex<double> pc_continuum_root(const PcContinuumParams& p, double q, double k);

}  // namespace nf
