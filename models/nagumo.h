#pragma once
// Bistable reaction-diffusion (Nagumo, Allen-Cahn; J. Nagumo, S. Yoshizawa, S. Arimoto,
// IEEE Trans Circuit Theory 12:400 (1965)):
//   du/dt = D laplacian(u) + u (1 - u) (u - a),   0 < a < 1,
// u dimensionless, D in m^2/s, t in s. The states 0 and 1 are stable, a is the
// threshold between them. Exact front along an axis (Fife & McLeod, ARMA 65:335 (1977)):
//   u = 1 / (1 + exp((x - c t) / sqrt(2 D))),   c = sqrt(2 D) (1/2 - a)   (m/s),
// 1 invading 0 for a < 1/2. It attracts nearby data exponentially (a pushed front).
#include "models/model.h"

namespace nf {

struct NagumoParams {
  double diffusion = 1;  // D, m^2/s
  double a = 0.25;       // threshold, 1
  int stencil_order = 2;
  GridSpec mesh;

  static NagumoParams from(const ModelContext& ctx);
};

ModelType nagumo_type();

// c = sqrt(2 D) (1/2 - a), m/s.
double nagumo_front_speed(const NagumoParams& p);
// The exact front u(xi), xi = x - c t (m), centred where u = 1/2.
double nagumo_front_profile(const NagumoParams& p, double xi);

}  // namespace nf
