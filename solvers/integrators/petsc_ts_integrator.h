#pragma once
// Delay-aware integration with PETSc TS: explicit RK and SSP methods, IMEX ARK,
// BDF and theta methods. The model's right-hand side reaches TS through DelayRun.
// IMEX methods put the system's stiff part in the implicit function. When that part
// is linear and assembled (diffusion), implicit stages are linear solves with CG and
// multigrid or Jacobi (stiff_linear_solver.h). Otherwise implicit solves are
// Jacobian-free Newton-Krylov (the delayed terms do not depend on the current state,
// so the Jacobian is that of the undelayed terms).
// Defaults are set in code and TSSetFromOptions is called last, so every TS knob
// stays reachable from PETSc options.
#include <petscts.h>

#include "base/petsc_handles.h"
#include "solvers/integrators/delay_run.h"
#include "solvers/integrators/integrator.h"

namespace nf {

class PetscTsIntegrator final : public Integrator {
 public:
  PetscTsIntegrator(const DelaySystem& system, const IntegratorSettings& settings);
  PetscTsIntegrator(const PetscTsIntegrator&) = delete;
  PetscTsIntegrator& operator=(const PetscTsIntegrator&) = delete;

  RunStats run(Vec u, std::span<StepObserver* const> observers, const RunCheckpoints& checkpoints = {}) override;
  MethodDescription describe() const override;
  HistoryMemory history_memory() const override { return run_.history_memory(); }
  TS ts() const { return ts_; }

 private:
  static PetscErrorCode rhs_callback(TS ts, PetscReal t, Vec u, Vec f, void* ctx);
  static PetscErrorCode ifunction_callback(TS ts, PetscReal t, Vec u, Vec udot, Vec f, void* ctx);
  static PetscErrorCode ijacobian_callback(TS ts, PetscReal t, Vec u, Vec udot, PetscReal shift, Mat a, Mat p,
                                           void* ctx);
  static PetscErrorCode post_step_callback(TS ts);
  static PetscErrorCode domain_callback(TS ts, PetscReal t, Vec u, PetscBool* accept);
  PetscErrorCode mark_outside_domain(Vec f);
  PetscErrorCode retry_outside_domain();
  PetscErrorCode keep_fsal_stage(double t, Vec f);
  PetscErrorCode after_step();
  void use_assembled_stiff_operator(bool imex, const IntegratorSettings& settings);

  DelayRun run_;
  bool imex_ = false;
  bool capture_first_stage_ = false;
  bool outside_domain_ = false;  // an evaluation since the last stage check left the model's domain
  PetscInt domain_retries_ = 0;  // steps rolled back for it
  OwnedVec stiff_;
  OwnedMat stiff_l_;  // the assembled stiff part L (f_stiff = L u), when the system has one
  OwnedMat stiff_j_;  // s I - L (IMEX) or L (fully implicit: TS shifts it)
  PetscReal stiff_shift_ = -1;  // the s of stiff_j_ (IMEX)
  OwnedVec midpoint_;  // the dense output at each step's middle, for the history
  OwnedVec fsal_f_;    // FSAL tableaux: f of the last stage, f(t_{n+1}, u_{n+1}), for the history
  double fsal_time_ = -1;
  OwnedTS ts_;         // declared last: destroyed first, before the Vecs it may hold
};

IntegratorBackend petsc_ts_backend();

}  // namespace nf
