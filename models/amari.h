#pragma once
// Amari neural field (S. Amari, Biol Cybern 27:77-87 (1977)):
//   tau du/dt = -u + int w(|x - y|) f(u(y, t - |x - y|/v)) dy + I,
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
  double tau = 1;                  // s
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
// firing is not a Heaviside.
std::optional<double> amari_front_speed(const AmariParams& p);

}  // namespace nf
