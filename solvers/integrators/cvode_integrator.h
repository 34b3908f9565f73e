#pragma once
// Delay-aware integration with SUNDIALS CVODE: variable-order, variable-step Adams
// (orders 1-12) and BDF (orders 1-5), both with Newton iteration (the system is
// treated as one f; its stiff/non-stiff split is not used). Newton systems are
// solved matrix-free with CVODE's difference-quotient J*v by SUNDIALS' GMRES
// (linear_solver: gmres) or by a PETSc KSP (linear_solver: petsc,
// options -cvode_ksp_*). With an assembled stiff part L (diffusion) the PETSc KSP is
// preconditioned by P = I - gamma L (sundials_stiff_preconditioner.h), and
// linear_solver: auto (the default) picks it; without one, auto is gmres.
//
// CVODE always controls its steps: rtol and atol set the local error,
// dt is only the first step, and adaptive is ignored (a deck with fixed
// steps still runs adaptively). Steps never exceed the shortest lag.
// Breaking points: the stop time is always the next one (or t_end), and on
// reaching one the multistep history is restarted (CVodeReInit, order 1), since
// the Nordsieck array would carry derivatives across the jump (Bellen & Zennaro,
// Numerical Methods for Delay Differential Equations, OUP 2003, §3.2 and §5.1).
// The breaking points are those of derivatives up to min(max_order, 5).
#include <petscksp.h>
#include <sundials/sundials_linearsolver.h>

#include "solvers/integrators/delay_run.h"
#include "solvers/integrators/integrator.h"
#include "solvers/integrators/sundials_stiff_preconditioner.h"
#include "solvers/integrators/sundials_support.h"

namespace nf {

class CvodeIntegrator final : public Integrator {
 public:
  CvodeIntegrator(const DelaySystem& system, const IntegratorSettings& settings);
  CvodeIntegrator(const CvodeIntegrator&) = delete;
  CvodeIntegrator& operator=(const CvodeIntegrator&) = delete;

  RunStats run(Vec u, std::span<StepObserver* const> observers, const RunCheckpoints& checkpoints = {}) override;
  MethodDescription describe() const override;
  HistoryMemory history_memory() const override { return run_.history_memory(); }
  void* cvode_mem() const { return mem_.get(); }
  // The linear solver's KSP with linear_solver = petsc, else nullptr.
  KSP ksp() const;
  int max_order() const { return max_order_; }

 private:
  static int rhs_callback(double t, N_Vector y, N_Vector f, void* self);
  static int stiff_setup(double t, N_Vector y, N_Vector fy, int jok, int* jcur, double gamma, void* self);
  void configure(Vec layout, N_Vector y);
  void call(int flag, const char* routine);
  PetscInt failed_attempts();

  int max_order_;
  DelayRun run_;
  SundialsContext ctx_;
  SundialsErrorLog log_;
  bool petsc_ls_ = false;
  SundialsStiffPreconditioner stiff_;  // with linear_solver petsc: the assembled L and P, or empty
  // Released in reverse: the CVODE memory before the linear solver it uses, both
  // before the context.
  OwnedLinearSolver ls_;
  OwnedCvodeMemory mem_;
  MidpointBuffer midpoint_;  // the dense output at each step's middle, for the history
};

// Backend "cvode" for the registry: methods adams, bdf; options linear_solver
// (auto | gmres | petsc), max_order, max_krylov.
IntegratorBackend cvode_backend();

}  // namespace nf
