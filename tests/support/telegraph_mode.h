#pragma once
// The damped-wave (telegraph) single mode through the wave method's transport fields
// (solvers/convolution/wave_coupling.h), driven directly: on a periodic line of
// length L with no source (f = 0), phi = (psi_R + psi_L)/2 solves
//   phi_tt + 2 gamma phi_t + gamma^2 phi - v^2 phi_xx = 0,   gamma = v/s,
// and phi(x, 0) = cos kx, phi_t(x, 0) = 0 give (VERIFICATION §5)
//   phi = e^{-gamma t} [cos(v k t) + (gamma/(v k)) sin(v k t)] cos kx,
// from psi_R = e^{-gamma t} [cos k(x - v t) + b sin k(x - v t)], psi_L the mirror with
// -b, b = -gamma/(v k). NFTsim's values: s = r = 0.086 m, v = 9.976 m/s
// (gamma = 116 /s), L = 0.5 m, k = 2 pi/L. The state is a rest component u (the
// coupling's source, linear firing, zero) and the two appended fields. In 2D
// (a periodic plane, `rows` cells across, the mode along x) the fields are the
// telegraph equation's phi and chi = phi_t - gamma f = phi_t, and the same phi is exact.
#include <vector>

#include "meshes/grid.h"
#include "solvers/convolution/wave_coupling.h"
#include "solvers/delay_system.h"

namespace nf::test {

class TelegraphMode final : public DelaySystem {
 public:
  // rows = 0: a line; rows > 0: a plane of cells x rows cells, square.
  TelegraphMode(MPI_Comm comm, PetscInt cells, PetscInt rows = 0);

  DM dm() const override { return grid_.dm(); }
  const std::vector<double>& lags() const override { return no_lags_; }
  void history_before_start(double t, Vec u) const override { exact(t, u); }
  PetscErrorCode rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f, RhsPart part) const override;

  // The exact cell averages of u = 0, psi_R, psi_L at t (a line), or the point values
  // of u = 0, phi, chi = phi_t (a plane).
  void exact(double t, Vec u) const;
  // e^{-gamma t} [cos(v k t) + (gamma/(v k)) sin(v k t)].
  static double factor(double t);
  // max_i |phi_i - phi(x_i, t)| over all ranks, phi_i the wave method's point value of
  // (psi_R + psi_L)/2 at cell centre i from the global state u.
  double max_error(double t, Vec u) const;

 private:
  Grid grid_;
  mutable WaveCouplings waves_;
  std::vector<double> no_lags_;
  mutable std::vector<double> input_;
};

}  // namespace nf::test
