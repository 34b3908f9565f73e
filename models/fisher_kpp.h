#pragma once
// Fisher-KPP reaction-diffusion (R. A. Fisher, Ann Eugenics 7:355 (1937); Kolmogorov,
// Petrovsky & Piskunov (1937)), with an optional delay tau in the reaction:
//   none:        du/dt = D laplacian(u) + r u (1 - u)
//   hutchinson:  du/dt = D laplacian(u) + r u (1 - u(t - tau))   (G. E. Hutchinson 1948)
//   growth:      du/dt = D laplacian(u) + r u(t - tau) (1 - u)
// u dimensionless (a density), D in m^2/s, r in 1/s, tau in s. Fronts into u = 0 from
// step data are pulled: their speed is the linear spreading speed c* of the leading
// edge u ~ exp(-mu (x - c t)),
//   none, hutchinson: c* = 2 sqrt(D r), mu* = sqrt(r / D);
//   growth: the double root of D mu^2 - c mu + r exp(-mu c tau) = 0 in mu
//   (J. Wu & X. Zou, J Dyn Diff Eq 13:651 (2001)),
// approached as c* t - (3/(2 mu*)) ln t (FrontDrift). Hutchinson's u = 1 is stable
// iff r tau < pi/2 (Wright 1955): Hopf at r tau = pi/2 with angular frequency r.
// Exact wave (M. Ablowitz & A. Zeppetella, Bull Math Biol 41:835 (1979)), no delay:
//   u = (1 + (sqrt(2) - 1) exp(z sqrt(r/D) / sqrt(6)))^-2, z = x - 5 sqrt(D r / 6) t.
#include "models/model.h"

namespace nf {

enum class DelayForm { none, hutchinson, growth };

struct FisherKppParams {
  double diffusion = 1;  // D, m^2/s
  double rate = 1;       // r, 1/s
  double delay = 0;      // tau, s
  DelayForm form = DelayForm::none;
  int stencil_order = 2;
  GridSpec mesh;

  static FisherKppParams from(const ModelContext& ctx);
};

ModelType fisher_kpp_type();

struct SpreadingSpeed {
  double speed;      // c*, m/s
  double decay;      // mu*, 1/m
};
// The linear spreading speed of fronts into u = 0 and the leading edge's decay rate.
SpreadingSpeed fisher_kpp_spreading(const FisherKppParams& p);
// The Ablowitz-Zeppetella wave u(z), z = x - c t (m), u(0) = 1/2 (no delay), and its speed
// c = 5 sqrt(D r / 6) (m/s).
double ablowitz_zeppetella_profile(const FisherKppParams& p, double z);
double ablowitz_zeppetella_speed(const FisherKppParams& p);

}  // namespace nf
