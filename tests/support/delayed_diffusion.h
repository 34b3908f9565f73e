#pragma once
// Manufactured delay PDE for integrator tests (docs/verification.md, delay method):
//   u_t = D u_xx - u(x, t - tau) + f(x, t) on (0, pi), u = 0 at both ends,
// on N cells (x_i = (i + 1/2) h, h = pi/N, odd reflection at the walls). With the
// discrete Laplacian, L_h sin(x_i) = -mu sin(x_i), mu = (4/h^2) sin^2(h/2), so
//   u*(x_i, t) = cos(w t) sin(x_i),
//   f = sin(x_i) [-w sin(w t) + D mu cos(w t) + cos(w (t - tau))]
// solves the semi-discrete system exactly: every error left is the time integrator's.
// w = 2 pi * 1.3 rad/s: an oscillation incommensurate with the lag.
// Stiff part (IMEX): D L_h u. History for t <= 0: u* itself (consistent).
// With `assembled`, the system also assembles D L_h (solvers/diffusion's operator with
// Dirichlet walls), so implicit methods take the linear-solve path
// (stiff_linear_solver.h) instead of Jacobian-free Newton.
#include <vector>

#include "meshes/grid.h"
#include "solvers/delay_system.h"

namespace nf::test {

class DelayedDiffusion final : public DelaySystem {
 public:
  DelayedDiffusion(MPI_Comm comm, PetscInt cells, double diffusivity, double lag, bool assembled = false);

  DM dm() const override { return grid_.dm(); }
  const std::vector<double>& lags() const override { return lags_; }
  void history_before_start(double t, Vec u) const override { exact(t, u); }
  PetscErrorCode rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f, RhsPart part) const override;
  bool has_stiff_part() const override { return true; }
  bool assemble_stiff_jacobian(Mat j) const override;

  // u*(x_i, t) into a global vector.
  void exact(double t, Vec u) const;
  // max_i |u_i - u*(x_i, t)| over all ranks.
  double max_error(double t, Vec u) const;

 private:
  Grid grid_;
  double d_, mu_;
  std::vector<double> lags_;
  bool assembled_;
};

}  // namespace nf::test
