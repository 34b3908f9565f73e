#pragma once
// A SUNDIALS iterative linear solver (SUNLINEARSOLVER_ITERATIVE) that solves with a
// PETSc KSP, so the Newton systems of CVODE (or ARKODE) reach every KSP option:
// `-<prefix>ksp_type bcgs`, `-<prefix>ksp_monitor`, ... (prefix "cvode_" in the CVODE
// backend). The operator is a MatShell whose MatMult is the integrator's own A*v
// (SUNATimesFn: for CVODE the difference-quotient (I - gamma J) v), so no matrix is
// assembled; PC is none by default.
//
// Tolerance: SUNDIALS asks for ||S1 (b - A x)||_2 <= tol with the scaling vectors
// S1 = S2 = diag(w) it sets (w = the error weights 1/(rtol |y_i| + atol); CVODE passes
// tol = eplifac * (Newton tolerance) * sqrt(N), i.e. a WRMS residual norm of
// eplifac * (Newton tolerance)). The KSP solves the scaled system
//   (S1 A S2^-1) (S2 x) = S1 b
// whose unscaled 2-norm residual is exactly ||S1 (b - A x)||_2, with absolute
// tolerance tol (relative tolerance 0 unless -<prefix>ksp_rtol says otherwise).
// This is what SUNDIALS' own SPGMR does with the same scaling vectors.
//
// The KSP is created, configured and given KSPSetFromOptions once, at construction,
// so its options are used (and checked) before a run starts; each solve reuses it.
// The integrators' preconditioner solve hook is refused (SUNLS_ILL_INPUT): the KSP's
// PC preconditions. Their setup hook (which sees gamma) is called on SUNLinSolSetup,
// so an integrator can refresh an assembled preconditioning matrix P there.
//
// With P (KspPreconditioning), the KSP solves A x = b with the operators (A, P),
// unscaled, since P approximates A and not S1 A S2^-1, preconditioned on the right
// (so the residual GMRES tests is b - A x itself); the absolute tolerance is then
// tol / max_i S1_i, which implies ||S1 (b - A x)||_2 <= tol. A KSP type chosen by
// option must support right preconditioning (-<prefix>ksp_pc_side left otherwise).
#include <petscksp.h>
#include <sundials/sundials_linearsolver.h>

#include <functional>

#include "solvers/integrators/sundials_support.h"

namespace nf {

// A solver for vectors laid out like `layout`, on its communicator: GMRES restarted
// every `restart` iterations, at most `max_iterations` in all (the options
// -<prefix>ksp_gmres_restart and -<prefix>ksp_max_it override them). Throws, with
// nothing left allocated, if the KSP options are rejected.
struct KspPreconditioning {
  Mat matrix = nullptr;                // P, owned by the caller, who refreshes it in place
  std::function<void(KSP)> defaults;   // the PC's defaults, set before KSPSetFromOptions
};
OwnedLinearSolver make_petsc_ksp_linear_solver(Vec layout, SUNContext ctx, const char* prefix, PetscInt restart,
                                             PetscInt max_iterations, const KspPreconditioning& pre = {});

// The KSP inside a solver made by make_petsc_ksp_linear_solver.
KSP petsc_ksp_of(SUNLinearSolver solver);

}  // namespace nf
