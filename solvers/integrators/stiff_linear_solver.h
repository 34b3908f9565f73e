#pragma once
// The linear systems of implicit stages when the system's stiff part is linear and
// assembled (diffusion: f_stiff = L u, L from DelaySystem::assemble_stiff_jacobian).
// An implicit stage of an IMEX method solves
//   (s I - L) u = b,      s = 1 / (a_ii dt)   (PETSc's shift),
// one linear solve, no Newton loop. A fully implicit method uses s I - L as the
// preconditioner of its matrix-free Newton systems. Default solvers (every KSP/PC
// option overrides them; -pc_type hypre for BoomerAMG):
// - 1D: a sparse direct solve (LU, MUMPS on several ranks), O(N) for the banded L.
//   It is also exact where an iterative solve is not: s I - L is an M-matrix, whose
//   LU solve has no cancellation, so u = 0 stays 0 to round-off relative to u. An
//   iterative solve leaves an absolute error of about rtol |b| everywhere, which the
//   unstable rest state of a pulled (Fisher-KPP) front amplifies like e^(r t) until it
//   outruns the front.
// - 2D, 3D: CG (s I - L is symmetric positive definite for the reflected stencils) at
//   relative tolerance 1e-8 with multigrid: geometric (PCMG on the DMDA hierarchy,
//   Galerkin coarse operators) where the grid coarsens, algebraic (PCGAMG) where it
//   does not. A pulled front in 2D or 3D needs -pc_type lu for the same reason.
//   Where s I - L is well conditioned for the whole run (fixed steps: every a_ii <= 1,
//   so s >= 1/dt and kappa <= 1 + dt ||L||_inf), CG with point Jacobi instead: it needs
//   at most (sqrt(kappa)/2) ln(2e8) ~ 9.6 sqrt(kappa) iterations, under 40 for
//   kappa <= kJacobiConditionLimit, each one product with the fine matrix, against ~5
//   multigrid cycles of about ten such products and smoother sweeps each (on an
//   81 x 81 two-component grid at kappa ~ 2, Jacobi runs the step 6 times faster).
// (The fourth-order stencil is not an M-matrix; its LU solve is still direct.)
#include <petscksp.h>

#include <limits>

#include "base/petsc_handles.h"
#include "solvers/delay_system.h"

namespace nf {

// L assembled on the system's DM, or an empty handle when the system has none.
OwnedMat assemble_stiff_operator(const DelaySystem& system);

// J = s I - L (J has L's nonzero pattern).
PetscErrorCode shifted_stiff_operator(Mat l, PetscReal shift, Mat j);

// The levels of a DMDA hierarchy coarsened by 2 on every axis down to at least
// `min_cells` points per axis: 1 when no axis can be coarsened. A bounded axis of M
// points coarsens when M - 1 is even, a periodic one when M is even (PETSc's vertex
// coarsening), and each rank must keep at least 2 points per axis.
PetscInt dmda_multigrid_levels(DM dm, PetscInt min_cells = 3);

inline constexpr double kJacobiConditionLimit = 16;

// 1 + dt ||L||_inf: a bound on the condition number of s I - L for every stage shift
// s >= 1/dt (fixed steps of dt). Collective.
double stage_condition_bound(Mat l, double dt);

// The defaults above for `ksp` (before KSPSetFromOptions); condition_bound bounds the
// condition number of s I - L over the run (infinity when unknown: adaptive steps).
void use_stiff_solver_defaults(KSP ksp, DM dm,
                               double condition_bound = std::numeric_limits<double>::infinity());

}  // namespace nf
