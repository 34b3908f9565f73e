#include "solvers/integrators/petsc_ksp_linear_solver.h"

#include <memory>

#include "base/petsc_error.h"

namespace nf {
namespace {

class KspSolver {
 public:
  KspSolver(Vec layout, SUNContext ctx, const char* prefix, PetscInt restart, PetscInt max_iterations,
            const KspPreconditioning& pre);
  KspSolver(const KspSolver&) = delete;
  KspSolver& operator=(const KspSolver&) = delete;

  int solve(N_Vector x, N_Vector b, double tol);

  SUNATimesFn atimes = nullptr;
  void* atimes_data = nullptr;
  SUNPSetupFn psetup = nullptr;
  void* psetup_data = nullptr;
  Vec s1 = nullptr, s2 = nullptr;  // SUNDIALS' scaling vectors, not owned
  int iterations = 0;
  double residual = 0;
  int last_flag = SUNLS_SUCCESS;
  bool unscaled = false;  // solving A x = b with an assembled P (see the header)
  OwnedKSP ksp;

 private:
  static PetscErrorCode mult(Mat op, Vec x, Vec y);
  PetscErrorCode solve_scaled(Vec x, Vec b, double tol, KSPConvergedReason* reason);

  OwnedVec rhs_, sol_, unscaled_;
  OwnedMat op_;
  std::unique_ptr<PetscNVector> in_, out_;  // views handed to atimes, pointed at each MatMult's vectors
  int atimes_flag_ = 0;
};

KspSolver::KspSolver(Vec layout, SUNContext ctx, const char* prefix, PetscInt restart, PetscInt max_iterations,
                     const KspPreconditioning& pre)
    : unscaled(pre.matrix != nullptr) {
  MPI_Comm comm = PetscObjectComm(reinterpret_cast<PetscObject>(layout));
  PetscInt n = 0, N = 0;
  check_petsc(VecGetLocalSize(layout, &n));
  check_petsc(VecGetSize(layout, &N));
  check_petsc(VecDuplicate(layout, rhs_.out()));
  check_petsc(VecDuplicate(layout, sol_.out()));
  check_petsc(VecDuplicate(layout, unscaled_.out()));
  in_ = std::make_unique<PetscNVector>(unscaled_, ctx);
  out_ = std::make_unique<PetscNVector>(sol_, ctx);
  check_petsc(MatCreateShell(comm, n, n, N, N, this, op_.out()));
  check_petsc(MatShellSetOperation(op_, MATOP_MULT, reinterpret_cast<void (*)(void)>(&KspSolver::mult)));
  check_petsc(KSPCreate(comm, ksp.out()));
  check_petsc(KSPSetOptionsPrefix(ksp, prefix));
  check_petsc(KSPSetOperators(ksp, op_, unscaled ? pre.matrix : op_.get()));
  check_petsc(KSPSetType(ksp, KSPGMRES));
  check_petsc(KSPGMRESSetRestart(ksp, restart));
  PC pc = nullptr;
  check_petsc(KSPGetPC(ksp, &pc));
  check_petsc(PCSetType(pc, PCNONE));
  if (pre.defaults) pre.defaults(ksp);
  // Right preconditioning: the norm GMRES tests is then the true residual's.
  if (unscaled) check_petsc(KSPSetPCSide(ksp, PC_RIGHT));
  check_petsc(KSPSetTolerances(ksp, 0.0, PETSC_DEFAULT, PETSC_DEFAULT, max_iterations));
  check_petsc_options(KSPSetFromOptions(ksp), "KSPSetFromOptions");
}

// y = S1 A S2^-1 x, with A v from the integrator's atimes.
PetscErrorCode KspSolver::mult(Mat op, Vec x, Vec y) {
  PetscFunctionBeginUser;
  KspSolver* self = nullptr;
  PetscCall(MatShellGetContext(op, &self));
  Vec v = x;
  if (self->s2 && !self->unscaled) {
    PetscCall(VecPointwiseDivide(self->unscaled_, x, self->s2));
    v = self->unscaled_;
  }
  N_VSetVector_Petsc(self->in_->get(), v);
  N_VSetVector_Petsc(self->out_->get(), y);
  const int flag = self->atimes(self->atimes_data, self->in_->get(), self->out_->get());
  if (flag != 0) self->atimes_flag_ = flag > 0 ? SUNLS_ATIMES_FAIL_REC : SUNLS_ATIMES_FAIL_UNREC;
  PetscCheck(flag == 0, PETSC_COMM_SELF, PETSC_ERR_USER, "the integrator's A*v failed (flag %d)", flag);
  if (self->s1 && !self->unscaled) PetscCall(VecPointwiseMult(y, y, self->s1));
  PetscFunctionReturn(0);
}

// Solves (S1 A S2^-1) (S2 x) = S1 b to ||S1 (b - A x)||_2 <= tol; unscaled, A x = b
// to ||b - A x||_2 <= tol / max S1.
PetscErrorCode KspSolver::solve_scaled(Vec x, Vec b, double tol, KSPConvergedReason* reason) {
  PetscFunctionBeginUser;
  if (s1 && unscaled) {
    PetscReal largest = 0;
    PetscCall(VecNorm(s1, NORM_INFINITY, &largest));
    if (largest > 0) tol /= largest;
  }
  if (s1 && !unscaled)
    PetscCall(VecPointwiseMult(rhs_, b, s1));
  else
    PetscCall(VecCopy(b, rhs_));
  PetscReal rtol = 0, dtol = 0;
  PetscInt max_it = 0;
  PetscCall(KSPGetTolerances(ksp, &rtol, nullptr, &dtol, &max_it));
  PetscCall(KSPSetTolerances(ksp, rtol, tol, dtol, max_it));
  PetscCall(KSPSolve(ksp, rhs_, sol_));
  PetscCall(KSPGetConvergedReason(ksp, reason));
  PetscInt its = 0;
  PetscCall(KSPGetIterationNumber(ksp, &its));
  iterations = static_cast<int>(its);
  PetscCall(KSPGetResidualNorm(ksp, &residual));
  if (s2 && !unscaled)
    PetscCall(VecPointwiseDivide(x, sol_, s2));
  else
    PetscCall(VecCopy(sol_, x));
  PetscFunctionReturn(0);
}

int KspSolver::solve(N_Vector x, N_Vector b, double tol) {
  atimes_flag_ = 0;
  iterations = 0;
  KSPConvergedReason reason = KSP_CONVERGED_ITERATING;
  // A failing A*v is reported through its SUNDIALS flag, not PETSc's traceback.
  PetscPushErrorHandler(PetscReturnErrorHandler, nullptr);
  const PetscErrorCode ierr = solve_scaled(N_VGetVector_Petsc(x), N_VGetVector_Petsc(b), tol, &reason);
  PetscPopErrorHandler();
  if (atimes_flag_) return last_flag = atimes_flag_;
  if (ierr) return last_flag = SUNLS_PACKAGE_FAIL_UNREC;
  if (reason > 0) return last_flag = SUNLS_SUCCESS;
  // Not converged: recoverable (CVODE retries with a fresh Jacobian or a smaller
  // step); "residual reduced" lets CVODE use the iterate on a first Newton iteration.
  PetscReal b_norm = 0;
  if (VecNorm(rhs_, NORM_2, &b_norm)) return last_flag = SUNLS_PACKAGE_FAIL_UNREC;
  return last_flag = residual < b_norm ? SUNLS_RES_REDUCED : SUNLS_CONV_FAIL;
}

KspSolver* content(SUNLinearSolver S) { return static_cast<KspSolver*>(S->content); }

void set_ops(SUNLinearSolver S) {
  S->ops->gettype = [](SUNLinearSolver) { return SUNLINEARSOLVER_ITERATIVE; };
  S->ops->getid = [](SUNLinearSolver) { return SUNLINEARSOLVER_CUSTOM; };
  S->ops->setatimes = [](SUNLinearSolver S, void* data, SUNATimesFn atimes) {
    content(S)->atimes = atimes;
    content(S)->atimes_data = data;
    return SUNLS_SUCCESS;
  };
  // Preconditioning goes through PETSc (-<prefix>pc_type), not CVODE's hooks.
  S->ops->setpreconditioner = [](SUNLinearSolver S, void* data, SUNPSetupFn psetup, SUNPSolveFn psolve) {
    if (psolve) return content(S)->last_flag = SUNLS_ILL_INPUT;
    content(S)->psetup = psetup;
    content(S)->psetup_data = data;
    return SUNLS_SUCCESS;
  };
  S->ops->setscalingvectors = [](SUNLinearSolver S, N_Vector s1, N_Vector s2) {
    content(S)->s1 = s1 ? N_VGetVector_Petsc(s1) : nullptr;
    content(S)->s2 = s2 ? N_VGetVector_Petsc(s2) : nullptr;
    return SUNLS_SUCCESS;
  };
  S->ops->initialize = [](SUNLinearSolver S) {
    content(S)->iterations = 0;
    content(S)->residual = 0;
    return content(S)->last_flag = SUNLS_SUCCESS;
  };
  S->ops->setup = [](SUNLinearSolver S, SUNMatrix) {
    KspSolver* k = content(S);
    if (!k->psetup) return k->last_flag = SUNLS_SUCCESS;
    const int flag = k->psetup(k->psetup_data);
    return k->last_flag = flag == 0 ? SUNLS_SUCCESS : flag > 0 ? SUNLS_PSET_FAIL_REC : SUNLS_PSET_FAIL_UNREC;
  };
  S->ops->solve = [](SUNLinearSolver S, SUNMatrix, N_Vector x, N_Vector b, sunrealtype tol) {
    KspSolver* k = content(S);
    if (!k->atimes) return k->last_flag = SUNLS_ATIMES_NULL;
    return k->solve(x, b, tol);
  };
  S->ops->numiters = [](SUNLinearSolver S) { return content(S)->iterations; };
  S->ops->resnorm = [](SUNLinearSolver S) { return static_cast<sunrealtype>(content(S)->residual); };
  S->ops->lastflag = [](SUNLinearSolver S) { return static_cast<sunindextype>(content(S)->last_flag); };
  S->ops->free = [](SUNLinearSolver S) {
    if (!S) return SUNLS_SUCCESS;
    delete content(S);
    S->content = nullptr;
    SUNLinSolFreeEmpty(S);
    return SUNLS_SUCCESS;
  };
}

}  // namespace

OwnedLinearSolver make_petsc_ksp_linear_solver(Vec layout, SUNContext ctx, const char* prefix, PetscInt restart,
                                               PetscInt max_iterations, const KspPreconditioning& pre) {
  auto solver = std::make_unique<KspSolver>(layout, ctx, prefix, restart, max_iterations, pre);
  OwnedLinearSolver S(check_sundials_ptr(SUNLinSolNewEmpty(ctx), "SUNLinSolNewEmpty"));
  set_ops(S);
  S.get()->content = solver.release();
  return S;
}

KSP petsc_ksp_of(SUNLinearSolver solver) { return content(solver)->ksp; }

}  // namespace nf
