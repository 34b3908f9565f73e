#include "tests/support/delayed_diffusion.h"

#include <cmath>
#include <numbers>

#include "base/petsc_error.h"
#include "solvers/diffusion/diffusion_operator.h"

namespace nf::test {
namespace {

constexpr double kOmega = 2 * std::numbers::pi * 1.3;  // rad/s

GridSpec spec(PetscInt cells) {
  GridSpec g;
  g.cells = {cells};
  g.boundary = {Boundary::bounded};
  g.wall = {Wall::dirichlet};
  g.spacing = {std::numbers::pi / static_cast<double>(cells)};
  g.component_names = {"u"};
  return g;
}

}  // namespace

DelayedDiffusion::DelayedDiffusion(MPI_Comm comm, PetscInt cells, double diffusivity, double lag, bool assembled)
    : grid_(comm, spec(cells)), d_(diffusivity), lags_{lag}, assembled_(assembled) {
  const double h = grid_.spec().spacing[0];
  mu_ = 4 / (h * h) * std::pow(std::sin(h / 2), 2);
}

bool DelayedDiffusion::assemble_stiff_jacobian(Mat j) const {
  if (!assembled_) return false;
  DiffusionOperator(grid_.spec(), DiffusionSpec{{d_}, 2}).assemble(grid_.dm(), j);
  return true;
}

void DelayedDiffusion::exact(double t, Vec u) const {
  const Patch& p = grid_.patch();
  const double h = grid_.spec().spacing[0];
  PetscScalar* a = nullptr;
  check_petsc(VecGetArray(u, &a));
  for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i)
    a[p.owned(i)] = std::cos(kOmega * t) * std::sin((static_cast<double>(i) + 0.5) * h);
  check_petsc(VecRestoreArray(u, &a));
}

double DelayedDiffusion::max_error(double t, Vec u) const {
  Vec e = nullptr;
  check_petsc(VecDuplicate(u, &e));
  exact(t, e);
  check_petsc(VecAXPY(e, -1.0, u));
  PetscReal norm = 0;
  check_petsc(VecNorm(e, NORM_INFINITY, &norm));
  VecDestroy(&e);
  return norm;
}

PetscErrorCode DelayedDiffusion::rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f,
                                     RhsPart part) const {
  PetscFunctionBeginUser;
  const Patch& p = grid_.patch();
  const double h = grid_.spec().spacing[0];
  const PetscInt n = p.global[0];
  const bool stiff = part != RhsPart::nonstiff, explicit_terms = part != RhsPart::stiff;
  const PetscScalar *u = nullptr, *lagged = nullptr;
  PetscScalar* out = nullptr;
  PetscCall(VecGetArrayRead(u_local, &u));
  if (explicit_terms) PetscCall(VecGetArrayRead(delayed_local[0], &lagged));
  PetscCall(VecGetArray(f, &out));
  const double forcing =
      -kOmega * std::sin(kOmega * t) + d_ * mu_ * std::cos(kOmega * t) + std::cos(kOmega * (t - lags_[0]));
  for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i) {
    const PetscInt g = p.ghosted(i);
    double v = 0;
    if (stiff) {
      const double left = i == 0 ? -u[g] : u[g - 1], right = i == n - 1 ? -u[g] : u[g + 1];
      v += d_ * (left - 2 * u[g] + right) / (h * h);
    }
    if (explicit_terms) v += -lagged[g] + forcing * std::sin((static_cast<double>(i) + 0.5) * h);
    out[p.owned(i)] = v;
  }
  PetscCall(VecRestoreArray(f, &out));
  if (explicit_terms) PetscCall(VecRestoreArrayRead(delayed_local[0], &lagged));
  PetscCall(VecRestoreArrayRead(u_local, &u));
  PetscFunctionReturn(0);
}

}  // namespace nf::test
