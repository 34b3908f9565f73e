#pragma once
// Delay-aware integration with SUNDIALS ARKODE (ARKStep): explicit Runge-Kutta
// tables (fi = NULL) and IMEX additive Runge-Kutta pairs, whose explicit part is the
// system's non-stiff part (with every delayed term) and whose implicit part is its
// stiff part. Implicit stages: when the stiff part is linear and assembled
// (diffusion, L), one linear solve per stage (ARKStepSetLinear) with a PETSc KSP
// (GMRES, options -arkode_ksp_*, -arkode_pc_*) preconditioned by P = I - gamma L with
// the stiff solver's defaults (LU in 1D, algebraic multigrid in 2D and 3D), J v = L v exactly;
// otherwise Newton with SUNDIALS' matrix-free GMRES (difference-quotient J*v), no
// preconditioner. The model's right-hand side reaches ARKODE through DelayRun.
//
// Steps: the stepper runs in ARK_ONE_STEP mode and every returned step is handed
// to DelayRun::accept. Steps land on the next breaking point (or t_end): adaptive
// ones through ARKODE's stop time; fixed ones (adaptive false) follow the grid
// t0 + k dt, shortened only to land on a breaking point, as the PETSc backend does.
// Adaptive steps use rtol/atol, start at dt and never exceed the
// shortest lag. With fixed steps, rtol/atol still set the Newton and
// GMRES tolerances of implicit stages.
#include <sundials/sundials_linearsolver.h>

#include "solvers/integrators/delay_run.h"
#include "solvers/integrators/integrator.h"
#include "solvers/integrators/sundials_stiff_preconditioner.h"
#include "solvers/integrators/sundials_support.h"

namespace nf {

class ArkodeIntegrator final : public Integrator {
 public:
  ArkodeIntegrator(const DelaySystem& system, const IntegratorSettings& settings);
  ArkodeIntegrator(const ArkodeIntegrator&) = delete;
  ArkodeIntegrator& operator=(const ArkodeIntegrator&) = delete;

  RunStats run(Vec u, std::span<StepObserver* const> observers, const RunCheckpoints& checkpoints = {}) override;
  MethodDescription describe() const override;
  HistoryMemory history_memory() const override { return run_.history_memory(); }
  void* arkode_mem() const { return mem_.get(); }

 private:
  static int explicit_rhs(double t, N_Vector y, N_Vector f, void* self);
  static int implicit_rhs(double t, N_Vector y, N_Vector f, void* self);
  static int stiff_setup(double t, N_Vector y, N_Vector fy, int jok, int* jcur, double gamma, void* self);
  static int stiff_times(N_Vector v, N_Vector jv, double t, N_Vector y, N_Vector fy, void* self, N_Vector tmp);
  void configure(N_Vector y);
  void configure_newton(N_Vector y);
  void configure_stiff_solve(N_Vector y);
  void use_dense_midpoints();
  void call(int flag, const char* routine);
  void retry_outside_domain(double t, N_Vector y);
  bool interpolant_end_is_f() const;

  DelayRun run_;
  bool imex_ = false;
  PetscInt domain_retries_ = 0;     // steps retried because a stage left the model's domain
  int consecutive_retries_ = 0;
  SundialsContext ctx_;
  SundialsErrorLog log_;
  SundialsStiffPreconditioner stiff_;  // the assembled L and P = I - gamma L (IMEX), or empty
  // Released in reverse: the ARKODE memory before the linear solver it uses, both
  // before the context.
  OwnedLinearSolver ls_;
  OwnedArkodeMemory mem_;
  MidpointBuffer midpoint_;  // the dense output at each step's middle, for the history
  MidpointBuffer derivative_;  // f at each step's start from the dense output, for the history
  OwnedVec accepted_;        // adaptive runs: the last accepted state, to retry a step from
};

// Backend "arkode" for the registry: methods euler, rk2, rk3, rk3bs, rk4, rk4z,
// rk5dp (explicit), ark3 = arkimex3, ark4 (IMEX); options max_krylov,
// max_nonlinear_iterations, linear_tolerance_factor, predictor.
IntegratorBackend arkode_backend();

}  // namespace nf
