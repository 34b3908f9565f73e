#pragma once
// Delay-aware integration with PETSc TS. The step is kept no longer than the
// shortest lag, so every stage time t_n + c_i h (0 <= c_i <= 1) reads u(t - lag) at
// or before t_n: the delayed values come from accepted history, with no iteration.
// After each accepted step the pair (u, du/dt) enters the History.
// Defaults come from IntegratorSettings; TSSetFromOptions is called last, so every
// TS knob stays reachable from PETSc options.
#include <petscts.h>

#include <exception>
#include <memory>
#include <span>

#include "solvers/delay_system.h"
#include "solvers/history/history.h"
#include "solvers/integrators/delayed_rhs.h"
#include "solvers/integrators/integrator.h"

namespace nf {

class PetscTsIntegrator {
 public:
  PetscTsIntegrator(const DelaySystem& system, const IntegratorSettings& settings);
  ~PetscTsIntegrator();
  PetscTsIntegrator(const PetscTsIntegrator&) = delete;
  PetscTsIntegrator& operator=(const PetscTsIntegrator&) = delete;

  // Starts from the history at t0 and integrates to t_end; observers see the initial
  // state and every accepted step. Throws BlowUp if the state stops being finite.
  RunStats run(Vec u, std::span<StepObserver* const> observers);
  TS ts() const { return ts_; }
  const History& history() const { return *history_; }

 private:
  static PetscErrorCode rhs_callback(TS ts, PetscReal t, Vec u, Vec f, void* ctx);
  static PetscErrorCode post_step_callback(TS ts);
  PetscErrorCode after_step();
  void record(double t, Vec u);
  void check_finite(double t, Vec u) const;
  void notify(double t, PetscInt step, Vec u);

  const DelaySystem& system_;
  IntegratorSettings settings_;
  std::unique_ptr<History> history_;
  std::unique_ptr<DelayedRhs> rhs_;
  TS ts_ = nullptr;
  Vec dudt_ = nullptr;
  std::span<StepObserver* const> observers_;
  std::exception_ptr saved_;
};

}  // namespace nf
