#pragma once
// Delay-aware integration with PETSc TS: explicit RK and SSP methods, IMEX ARK,
// BDF and theta methods. The model's right-hand side reaches TS through DelayRun.
// IMEX methods put the system's stiff part in the implicit function. Implicit
// solves are Jacobian-free Newton-Krylov by default (the delayed terms do not depend
// on the current state, so the Jacobian is that of the undelayed terms).
// Defaults are set in code and TSSetFromOptions is called last, so every TS knob
// stays reachable from PETSc options.
#include <petscts.h>

#include "solvers/integrators/delay_run.h"
#include "solvers/integrators/integrator.h"

namespace nf {

class PetscTsIntegrator final : public Integrator {
 public:
  PetscTsIntegrator(const DelaySystem& system, const IntegratorSettings& settings);
  ~PetscTsIntegrator() override;
  PetscTsIntegrator(const PetscTsIntegrator&) = delete;
  PetscTsIntegrator& operator=(const PetscTsIntegrator&) = delete;

  RunStats run(Vec u, std::span<StepObserver* const> observers) override;
  HistoryMemory history_memory() const override { return run_.history_memory(); }
  TS ts() const { return ts_; }

 private:
  static PetscErrorCode rhs_callback(TS ts, PetscReal t, Vec u, Vec f, void* ctx);
  static PetscErrorCode ifunction_callback(TS ts, PetscReal t, Vec u, Vec udot, Vec f, void* ctx);
  static PetscErrorCode post_step_callback(TS ts);
  PetscErrorCode after_step();
  double next_step(double t, double proposed) const;

  DelayRun run_;
  bool imex_ = false;
  bool capture_first_stage_ = false;
  TS ts_ = nullptr;
  Vec stiff_ = nullptr;
  Vec midpoint_ = nullptr;  // the dense output at each step's middle, for the history
};

IntegratorBackend petsc_ts_backend();

}  // namespace nf
