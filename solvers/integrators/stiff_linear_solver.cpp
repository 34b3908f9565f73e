#include "solvers/integrators/stiff_linear_solver.h"

#include <petscdmda.h>

#include <algorithm>

#include "base/petsc_error.h"

namespace nf {

double stage_condition_bound(Mat l, double dt) {
  PetscReal norm = 0;
  check_petsc(MatNorm(l, NORM_INFINITY, &norm));
  return 1 + dt * norm;
}

OwnedMat assemble_stiff_operator(const DelaySystem& system) {
  OwnedMat l;
  if (!system.has_stiff_part()) return l;
  check_petsc(DMCreateMatrix(system.dm(), l.out()));
  check_petsc(MatSetOption(l, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_TRUE));
  if (!system.assemble_stiff_jacobian(l)) return OwnedMat{};
  return l;
}

PetscErrorCode shifted_stiff_operator(Mat l, PetscReal shift, Mat j) {
  PetscFunctionBeginUser;
  PetscCall(MatCopy(l, j, SAME_NONZERO_PATTERN));
  PetscCall(MatScale(j, -1.0));
  PetscCall(MatShift(j, shift));
  PetscFunctionReturn(0);
}

PetscInt dmda_multigrid_levels(DM dm, PetscInt min_cells) {
  PetscInt dim = 0, global[3] = {1, 1, 1}, procs[3] = {1, 1, 1};
  DMBoundaryType bc[3] = {DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE};
  check_petsc(DMDAGetInfo(dm, &dim, &global[0], &global[1], &global[2], &procs[0], &procs[1], &procs[2], nullptr,
                          nullptr, &bc[0], &bc[1], &bc[2], nullptr));
  PetscInt levels = 1;
  for (;;) {
    for (PetscInt a = 0; a < dim; ++a) {
      const bool periodic = bc[a] == DM_BOUNDARY_PERIODIC;
      const PetscInt m = global[a];
      const PetscInt coarse = periodic ? m / 2 : (m - 1) / 2 + 1;
      if ((periodic ? m % 2 : (m - 1) % 2) != 0 || coarse < min_cells || coarse < 2 * procs[a]) return levels;
      global[a] = coarse;
    }
    ++levels;
  }
}

PetscErrorCode newton_stiff_operator(Mat l, PetscReal gamma, Mat p) {
  PetscFunctionBeginUser;
  PetscCall(MatCopy(l, p, SAME_NONZERO_PATTERN));
  PetscCall(MatScale(p, -gamma));
  PetscCall(MatShift(p, 1.0));
  PetscFunctionReturn(0);
}

namespace {

bool one_dimensional(DM dm) {
  PetscInt dim = 0;
  check_petsc(DMGetDimension(dm, &dim));
  return dim == 1;
}

// Geometric multigrid where the grid coarsens and the operator is the matrix itself.
void use_geometric_multigrid(PC pc, PetscInt levels) {
  check_petsc(PCSetType(pc, PCMG));
  check_petsc(PCMGSetLevels(pc, levels, nullptr));
  check_petsc(PCMGSetGalerkin(pc, PC_MG_GALERKIN_BOTH));
}

void use_direct_solve(PC pc, DM dm) {
  PetscMPIInt ranks = 1;
  check_petsc(MPI_Comm_size(PetscObjectComm(reinterpret_cast<PetscObject>(dm)), &ranks));
  check_petsc(PCSetType(pc, PCLU));
  if (ranks > 1) check_petsc(PCFactorSetMatSolverType(pc, MATSOLVERMUMPS));
}

}  // namespace

void use_stiff_preconditioner_defaults(KSP ksp, DM dm) {
  PC pc = nullptr;
  check_petsc(KSPGetPC(ksp, &pc));
  if (one_dimensional(dm))
    use_direct_solve(pc, dm);
  else
    check_petsc(PCSetType(pc, PCGAMG));
}

void use_stiff_solver_defaults(KSP ksp, DM dm, double condition_bound) {
  PC pc = nullptr;
  check_petsc(KSPGetPC(ksp, &pc));
  if (one_dimensional(dm)) {
    check_petsc(KSPSetType(ksp, KSPPREONLY));
    use_direct_solve(pc, dm);
    return;
  }
  check_petsc(KSPSetType(ksp, KSPCG));
  check_petsc(KSPSetTolerances(ksp, 1e-8, 1e-50, PETSC_DEFAULT, 200));
  if (condition_bound <= kJacobiConditionLimit) {
    check_petsc(PCSetType(pc, PCJACOBI));
    return;
  }
  const PetscInt levels = dmda_multigrid_levels(dm);
  if (levels >= 3)
    use_geometric_multigrid(pc, levels);
  else
    check_petsc(PCSetType(pc, PCGAMG));
}

}  // namespace nf
