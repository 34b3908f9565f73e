#pragma once
// Amari neural field (S. Amari, Biol Cybern 27:77-87 (1977)):
//   tau du/dt = -u + int w(|x - y|) f(u(y, t - |x - y|/v)) dy + I,
// or, with synaptic response order m = 2 (alpha = 1/tau, VERIFICATION section 4),
//   (1 + tau d/dt)^2 u = int w f dy + I, carried as du/dt = (v - u)/tau,
//   dv/dt = (-v + int w f dy + I)/tau (v = u + tau du/dt: components "u", "v").
// u dimensionless (activity), tau in s, x in m, w in 1/m^d, v in m/s (0: no delay),
// f a firing function with threshold theta (Heaviside by default), I(x, t) an input
// (models/field_input.h; a constant by default).
// Fronts (exponential kernel, Heaviside, 1D; S. Coombes, Biol Cybern 93:91-108
// (2005)): c0 = sigma (1 - 2 theta) / (2 theta tau), and with axonal delay
// 1/c = 1/c0 + 1/v. For any kernel the planar front speed solves
//   theta - I = int_0^inf e^{-s} psi(c tau s) ds,  psi(s) = int_s^inf w1(z) dz,
// w1 the kernel's projection on a line (w itself in 1D).
#include <optional>

#include "models/field_input.h"
#include "models/model.h"

namespace nf {

struct AmariParams {
  double tau = 1;                  // s, = 1/alpha (model.tau or 1/model.synapse_rate)
  int synapse_order = 1;           // m: eta(d/dt) = (1 + tau d/dt)^m
  double threshold = 0.25;         // theta
  double conduction_velocity = 0;  // v (m/s); 0: instantaneous
  double input = 0;                // I where it is a constant (the front speed's)
  std::shared_ptr<FieldInput> input_field;  // I(x, t); none: the constant `input`
  DelayMethod delay_method = DelayMethod::rings;
  int rings = 0;                   // delay rings (0: automatic, solvers/convolution/delay_rings.h)
  Firing firing;
  std::shared_ptr<const Kernel> kernel;
  GridSpec mesh;

  static AmariParams from(const ModelContext& ctx);
};

ModelType amari_type();

// The speed (m/s) of a planar Heaviside front on an infinite domain, from the formula
// above (exponential kernel in 1D in closed form, any other by quadrature and
// bisection); none if the field has no front (theta - I outside (0, int w)) or the
// firing is not a Heaviside, or the synaptic order is not 1.
std::optional<double> amari_front_speed(const AmariParams& p);

// The homogeneous state u0 = w^(0) S(u0) + I nearest to rest (u = 0), for sigmoid firing
// on a grid periodic along every axis (where a constant state is exact); none otherwise.
std::optional<double> amari_homogeneous_state(const AmariParams& p);
// The members of the linearisation about it, eta(lambda) = S'(u0) w^(k) (docs/theory.md):
// one per first-axis wavenumber index n = 0..N_0/2, each the rightmost lambda over the
// grid wavevectors (k_0 = 2 pi n/L_0, k_1, k_2) with that n; none without a state or
// with a conduction velocity (the undelayed w^(k) would not be the symbol).
std::size_t amari_mode_count(const AmariParams& p);
PredictedMode amari_mode(const AmariParams& p, std::size_t n);

}  // namespace nf
