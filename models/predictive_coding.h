#pragma once
// Predictive-coding hierarchy with communication delays (Alamia & VanRullen, PLoS Biol
// 17(10):e3000487 (2019)). Layers L = 1..N, each explaining away the one below:
//   x_L(t)    = y_{L-1}(t) - y_L(t - dT)
//   dy_L/dt   = x_L(t - dT)/tau + (y_{L+1}(t - db) - y_L(t))/tau_D
// so, with x eliminated,
//   dy_L/dt   = (y_{L-1}(t-dT) - y_L(t-2dT))/tau + (y_{L+1}(t-db) - y_L(t))/tau_D.
// Open chain: y_0 = I(t) (input at the bottom), y_{N+1} = 0. Periodic ring: y_0 = y_N
// (+ I when driven at the bottom), y_{N+1} = y_1. Input at the top adds I(t) to dy_N/dt.
// Times in s, rates in 1/s; y is dimensionless. Layer L lives in grid cell L-1.
#include <complex>

#include "models/model.h"
#include "solvers/stability/complex_roots.h"

namespace nf {

struct PcParams {
  int layers = 8;                // N
  double tau = 0.017;            // s, membrane time constant
  double tau_d = 0.2;            // s, decay / feedback time constant (inf: no decay)
  double delay = 0.012;          // s, dT, communication delay each way
  double feedback_delay = 0.012; // s, db, delay of the top-down term (0: none)
  bool periodic = false;

  static PcParams from(const ParamValues& p);
};

ModelType predictive_coding_type();

// The parameters every predictive-coding hierarchy has (layers, tau, tau_d, delay,
// feedback_delay, boundary), for the deck schema.
std::vector<ParamSpec> pc_hierarchy_params();
// The box holding the rightmost characteristic roots: rates up to a few times the
// fastest of 1/tau, 1/tau_D, 1/dT, frequencies up to the first delay branches (of
// either sign with both_half_planes).
RootSearchBox pc_root_search_box(const PcParams& p, bool both_half_planes);

// Characteristic function of Dirichlet mode j (theta_j = j pi/(N+1)), eq. (1.3):
//   g(l) = l + 1/tau_D + e^{-2 l dT}/tau - (2 cos theta / sqrt(tau tau_D)) e^{-l (dT+db)/2}
std::complex<double> pc_mode_function(const PcParams& p, double theta, std::complex<double> lambda);
std::complex<double> pc_mode_derivative(const PcParams& p, double theta, std::complex<double> lambda);
// Lattice dispersion relation for y_L = exp(i q L + l t), eq. (1.5), as g(l) = 0:
//   g(l) = l - (e^{-iq - l dT} - e^{-2 l dT})/tau - (e^{iq - l db} - 1)/tau_D
std::complex<double> pc_lattice_function(const PcParams& p, double q, std::complex<double> lambda);
std::complex<double> pc_lattice_derivative(const PcParams& p, double q, std::complex<double> lambda);
// Steady response y_L = H_L e^{i omega t} of the open chain to y_0 = e^{i omega t}, eq. (1.4).
std::complex<double> pc_transfer(const PcParams& p, double omega, int layer);
// The members of the characteristic equation: Dirichlet modes j = 1..N (open), or
// wavenumbers q = 2 pi m/N, m = 1..N-1 (ring; m = 0 is the neutral uniform mode l = 0).
std::size_t pc_mode_count(const PcParams& p);
// The rightmost root of member k (j = k + 1, or m = k + 1).
PredictedMode pc_mode_root(const PcParams& p, std::size_t k);
// The rightmost root over all members.
PredictedMode pc_dominant_mode(const PcParams& p);
// Two-level model (N = 1), eq. (1.2): l_k = W_k(-(2dT/tau) e^{2dT/tau_D})/(2dT) - 1/tau_D.
std::complex<double> pc_two_level_root(const PcParams& p, int branch = 0);

}  // namespace nf
