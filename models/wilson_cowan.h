#pragma once
// Wilson-Cowan neural field: excitatory (E) and inhibitory (I) populations on the mesh
// (H.R. Wilson & J.D. Cowan, Kybernetik 13:55-80 (1973); P.C. Bressloff, J Phys A
// 45:033001 (2012), section 2):
//   tau_E du_E/dt = -u_E + w_EE (K_EE * f_E(u_E)) - w_EI (K_EI * f_I(u_I)) + I_E
//   tau_I du_I/dt = -u_I + w_IE (K_IE * f_E(u_E)) - w_II (K_II * f_I(u_I)) + I_I
// u dimensionless; tau in s; K_ab a registered kernel (1/m^d), w_ab >= 0 its strength;
// f_a(u) = 1/(1 + exp(-beta_a (u - theta_a))). With synaptic order m = 2 each
// population has (1 + tau_a d/dt)^2 u_a = input_a, carried as du_a/dt = (v_a - u_a)/tau_a,
// dv_a/dt = (-v_a + input_a)/tau_a (components u_e, u_i, v_e, v_i).
// Linearisation about a homogeneous state (u_E*, u_I*), gains g_a = f_a'(u_a*), modes
// e^{ik.x + lambda t} (docs/theory.md):
//   det [ eta_E(lambda) - w_EE K^_EE(k) g_E ,  w_EI K^_EI(k) g_I
//         -w_IE K^_IE(k) g_E              ,  eta_I(lambda) + w_II K^_II(k) g_I ] = 0,
//   eta_a(lambda) = (1 + tau_a lambda)^m: a polynomial of degree 2m in lambda.
#include <array>
#include <memory>
#include <optional>

#include "models/model.h"

namespace nf {

struct WilsonCowanParams {
  // Index order of the couplings: EE, EI, IE, II (target, source).
  std::array<std::shared_ptr<const Kernel>, 4> kernel;
  std::array<double, 4> strength{};   // w_ab >= 0, dimensionless
  std::array<Firing, 2> firing;       // f_E, f_I: sigmoid, threshold theta_a, gain beta_a
  std::array<double, 2> tau{};        // s
  std::array<double, 2> input{};      // I_E, I_I
  int synapse_order = 1;              // m
  GridSpec mesh;

  static WilsonCowanParams from(const ModelContext& ctx);
};

ModelType wilson_cowan_type();

// The homogeneous steady states (u_E*, u_I*), found by reducing to u_E (u_I(u_E) is
// unique while 1 + W_II f_I' > 0) and bisecting each sign change; W_ab = w_ab K^_ab(0).
std::vector<std::array<double, 2>> wilson_cowan_homogeneous_states(const WilsonCowanParams& p);
// The rightmost lambda (1/s) at wavenumber k (rad/m) about the state s, and all roots.
std::vector<std::complex<double>> wilson_cowan_roots(const WilsonCowanParams& p, const std::array<double, 2>& s,
                                                     double k);
// Predicted modes about the state nearest rest (0, 0), on a grid periodic along every
// axis: one member per first-axis wavenumber index n = 0..N_0/2, the rightmost root
// over the grid wavevectors with that n.
std::size_t wilson_cowan_mode_count(const WilsonCowanParams& p);
PredictedMode wilson_cowan_mode(const WilsonCowanParams& p, const std::array<double, 2>& state, std::size_t n);

}  // namespace nf
