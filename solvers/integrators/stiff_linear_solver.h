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
//   Galerkin coarse operators from the preconditioning matrix, so a matrix-free
//   operator above it is fine) where the grid coarsens, algebraic (PCGAMG) where it
//   does not. A pulled front in 2D or 3D needs -pc_type lu for the same reason.
//   Where s I - L is well conditioned for the whole run (fixed steps: every a_ii <= 1,
//   so s >= 1/dt and kappa <= 1 + dt ||L||_inf), CG with point Jacobi instead: it needs
//   at most (sqrt(kappa)/2) ln(2e8) ~ 9.6 sqrt(kappa) iterations, under 40 for
//   kappa <= kJacobiConditionLimit, each one product with the fine matrix, against ~5
//   multigrid cycles of about ten such products and smoother sweeps each (on an
//   81 x 81 two-component grid at kappa ~ 2, Jacobi runs the step 6 times faster).
// (The fourth-order stencil is not an M-matrix; its LU solve is still direct.)
#include <petscksp.h>

#include <cmath>
#include <limits>

#include "base/petsc_handles.h"
#include "solvers/delay_system.h"

namespace nf {

// L assembled on the system's DM, or an empty handle when the system has none.
OwnedMat assemble_stiff_operator(const DelaySystem& system);

// Whether a matrix built for shift b serves shift a: equal to 1e-12 relative. Steps
// that land on output times differ from dt in the last bits, and rebuilding s I - L
// for those would redo the multigrid setup; the stage solve's error from the old
// shift is |a - b| |u|, 1e-12 relative, far below the solver's tolerance.
inline bool same_shift(double a, double b) { return std::abs(a - b) <= 1e-12 * std::abs(a); }

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

// Their preconditioner alone, for a Krylov solve whose operator is not s I - L
// itself (matrix-free Newton of the whole right-hand side, SUNDIALS' Newton systems):
// LU (MUMPS on several ranks) in 1D, algebraic multigrid (PCGAMG) in 2D and 3D. PCMG
// is not used there: its Galerkin coarse operators would be products with the
// matrix-free operator (PETSc 3.18 has none for shell and MFFD matrices). The
// KSP's type is left alone.
void use_stiff_preconditioner_defaults(KSP ksp, DM dm);

// P = I - gamma L, the Newton matrix SUNDIALS' implicit stages and BDF steps solve
// with when f = L u (gamma = a_ii dt, or l_0 dt for BDF), or its preconditioner when
// f = L u + g(u).
PetscErrorCode newton_stiff_operator(Mat l, PetscReal gamma, Mat p);

}  // namespace nf
