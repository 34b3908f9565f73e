#pragma once
// What every backend shares in a delay-aware run: the History and the delayed
// right-hand side, the step limit, the breaking points, the finite-state guard and the
// observers. A backend only drives its library's stepper and reports accepted steps.
//
// Step limit: every step is at most the shortest lag d_min, so a stage at
// t_n + c h (0 <= c <= 1) reads u(t - d) at or before t_n: delayed values come from
// accepted history and explicit stages never wait on unknown values.
// Breaking points: a history that does not match the equation at t0 makes u' jump at
// t0, u'' at t0 + d, ...; a jump of the forcing (a drive switching on, a kink) starts
// the same cascade at its own time. Steps land on every such point up to the
// method's order p (see breaking_points.h; Bellen & Zennaro, Numerical Methods for
// Delay Differential Equations, OUP 2003, §3.2), so no step straddles a low-order
// discontinuity and the order is kept.
// Step choice (next_step) is shared by the backends: fixed steps follow the grid
// t0 + k dt, both kinds land on the next breaking point, output time or t_end (an
// output interval that is a multiple of dt adds no step), and a step that
// would end within round-off (base/time_tolerance.h) short of its stop ends on it.
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "solvers/checkpoint.h"
#include "solvers/delay_system.h"
#include "solvers/history/history.h"
#include "solvers/history/record_history.h"
#include "solvers/integrators/breaking_points.h"
#include "solvers/history/history_memory.h"
#include "solvers/integrators/delayed_rhs.h"
#include "solvers/integrators/integrator.h"

namespace nf {

class DelayRun {
 public:
  // Throws BadSettings if a fixed step is longer than the shortest lag, or if the delay
  // history would not fit in the memory the node has (collective: see
  // check_history_memory).
  DelayRun(const DelaySystem& system, const IntegratorSettings& settings, int method_order);
  ~DelayRun();
  DelayRun(const DelayRun&) = delete;
  DelayRun& operator=(const DelayRun&) = delete;

  // f = du/dt. For use inside library callbacks: never throws (see saved()).
  // first_stage: the backend guarantees that an evaluation at the newest accepted time
  // is at the accepted state (explicit RK stage 1); its f then serves the history.
  PetscErrorCode rhs(double t, Vec u, Vec f, RhsPart part = RhsPart::all, bool first_stage = false);
  // u := the history at t0; records it and shows it to the observers. With
  // checkpoints.resume_from, u := the checkpoint's state instead, and the history, the
  // records and the step count are the checkpoint's: the observers have seen that
  // state already (they resume from the checkpoint themselves). Checkpoints are taken
  // after the observers of each step at t0 + k checkpoints.every (steps land there),
  // after the last step if checkpoints.at_end, and before a stop signal ends the run.
  void begin(Vec u, std::span<StepObserver* const> observers, const RunCheckpoints& checkpoints = {});
  // Whether begin() resumed from a checkpoint, and the step (s) the backend had
  // proposed there (0: none kept). A backend starts its stepper at last_time().
  bool resumed() const { return resumed_; }
  double resumed_step() const { return resumed_step_; }
  // The step (s) the backend would attempt next, read when a checkpoint is taken:
  // adaptive backends continue with it after a restart.
  void set_step_size_source(std::function<double()> next_step_size) { next_step_size_ = std::move(next_step_size); }
  // Backends whose dense output has order >= 4 call this before begin(): the history
  // then also keeps each step's midpoint value and interpolates with quartics.
  void use_midpoints();
  // Whether accept() wants the midpoint value (lags, and use_midpoints() was called).
  bool wants_midpoints() const { return has_lags_ && history_->midpoints_enabled(); }
  // After an accepted step to (t, u): guard, record, notify. Throws BlowUp if u is not
  // finite or beyond 1e150, or if t did not advance (a step below round-off), and
  // StopRequested after notifying if any rank received a stop signal.
  // u_mid: u at (last_time() + t)/2 from the backend's dense output, if wants_midpoints().
  void accept(double t, Vec u, Vec u_mid = nullptr);
  // The same, for use inside a library callback.
  PetscErrorCode accept_in_callback(double t, Vec u, Vec u_mid = nullptr);
  // f(t, u) at the newest accepted entry (time t) from the backend, when its method
  // has it for free (ARKODE's dense output at a step's start, an FSAL method's last
  // stage): saves the evaluation accept() would otherwise make. Ignored unless the
  // newest entry is at t and awaits it.
  void supply_newest_derivative(double t, Vec dudt);
  // Rethrows an exception caught inside a callback, if any.
  void rethrow_if_failed();
  std::exception_ptr* saved() { return &saved_; }

  // Lands on the breaking points of a method of this order instead (before begin()).
  void set_breaking_order(int order);
  double max_step() const { return max_step_; }     // s; +inf without lags
  // The first breaking point after t (beyond round-off), or +inf.
  double next_breaking_point(double t);
  // Where a step from t must end at the latest: the next breaking point, output time
  // (settings().output_every), or t_end.
  double next_stop(double t);
  // The step (s) from the accepted time t: to the next grid time t0 + k dt for fixed
  // steps, `proposed` for adaptive ones; shortened to land on next_stop(t), and
  // stretched onto it when it would end within round-off short of it.
  double next_step(double t, double proposed);
  // Whether t is t_end (within round-off) or beyond.
  bool finished(double t) const;
  const History& history() const { return *history_; }
  // The system's records (null when it keeps none).
  const RecordHistory* records() const { return records_.get(); }
  // The history's memory, estimated before it was allocated, against the node's
  // (empty without lags). It is sized for steps >= min(dt, shortest lag): an
  // adaptive run whose steps shrink below that grows the store.
  HistoryMemory history_memory() const;
  const IntegratorSettings& settings() const { return settings_; }
  const DelaySystem& system() const { return system_; }
  PetscInt steps() const { return steps_; }
  double last_time() const { return last_time_; }  // s: the newest accepted time
  RunStats stats(double t_final, PetscInt rejected) const;
  // A backend failure that means a step met a non-finite value (e.g. PETSc's floating
  // point error in TSAdapt's norm): BlowUp naming the last accepted time.
  [[noreturn]] void throw_non_finite_step(const std::string& backend_message) const;

 private:
  bool check_step(double t, Vec u) const;  // true: a stop was requested
  void start(Vec u);
  void resume(CheckpointIn& in, Vec u);
  void save(CheckpointOut& out, Vec u) const;
  void take_checkpoint_if_due(double t, Vec u, bool stop);
  double next_grid_time(double t) const;
  double next_multiple(double t, double dt) const;
  double next_output_time(double t) const;
  void reserve_history_memory(bool midpoints);
  void make_records();
  void push_record(double t, Vec u);
  double forcing_side(double t) const;
  void find_forcing_jumps();

  const DelaySystem& system_;
  IntegratorSettings settings_;
  double max_step_;
  BreakingPoints breaking_;
  bool has_lags_;
  HistoryMemory history_memory_;
  std::unique_ptr<History> history_;
  std::unique_ptr<DelayedRhs> rhs_;
  std::unique_ptr<RecordHistory> records_;
  OwnedVec record_local_, record_global_;  // ghosted local / global work for records
  std::span<StepObserver* const> observers_;
  std::exception_ptr saved_;
  PetscInt steps_ = 0;
  double last_time_ = 0;
  bool jump_at_start_ = false;                 // the forcing jumps (order 0) at last_time_
  std::optional<Discontinuity> next_forcing_;  // its first discontinuity after last_time_
  std::chrono::steady_clock::time_point start_;
  RunCheckpoints checkpoints_;
  double next_checkpoint_ = 0;  // s
  bool resumed_ = false;
  double resumed_step_ = 0;
  std::function<double()> next_step_size_;
};

}  // namespace nf
