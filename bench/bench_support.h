#pragma once
// What the benchmarks share: a PETSc session, the grids, a clock over a window of
// accepted steps (so the start-up of a run and the steps whose delayed reads still
// fall before t0 stay outside the measurement), and the peak resident set size.
#include <petscsys.h>

#include <vector>

#include "meshes/grid.h"
#include "solvers/delay_system.h"
#include "solvers/integrators/integrator.h"
#include "solvers/step_observer.h"

namespace nf::bench {

// PetscInitialize / PetscFinalize around main's body. Throws if PETSc fails to start.
class PetscSession {
 public:
  PetscSession(int* argc, char*** argv);
  ~PetscSession();
  PetscSession(const PetscSession&) = delete;
  PetscSession& operator=(const PetscSession&) = delete;
};

// Bounded, one component "u", stencil width 1; spacing in m.
GridSpec line_grid(PetscInt cells, double spacing);
GridSpec rectangle_grid(PetscInt nx, PetscInt ny, double spacing);

// Wall time from accepted step `first` to accepted step `last` (both seen by the
// observer, so last - first whole steps, each with its stages, its acceptance and its
// history push). Every rank passes a barrier before reading MPI_Wtime.
class StepClock final : public StepObserver {
 public:
  StepClock(MPI_Comm comm, PetscInt first, PetscInt last);
  void observe(const StepState& state) override;
  bool complete() const { return stop_ > 0; }
  double seconds() const { return stop_ - start_; }
  PetscInt steps() const { return last_ - first_; }

 private:
  MPI_Comm comm_;
  PetscInt first_, last_;
  double start_ = 0, stop_ = 0;
};

struct WindowTiming {
  double seconds = 0;       // s: wall time of the window
  PetscInt steps = 0;       // accepted steps in the window
  PetscInt run_steps = 0;   // accepted steps of the whole run
};

// One run of the PETSc backend from a fresh integrator, timed over steps [first, last].
// Throws if the run ends before step `last`.
WindowTiming time_window(const DelaySystem& system, const IntegratorSettings& settings, PetscInt first,
                         PetscInt last);

// Peak resident set size of this process so far (getrusage ru_maxrss), MiB.
double peak_rss_mib();

// A DelaySystem that forwards to another and adds up the wall time and the number of
// its rhs calls (one per stage of an explicit method), to split a step's time between
// the right-hand side and the integrator around it.
class TimedSystem final : public DelaySystem {
 public:
  explicit TimedSystem(const DelaySystem& inner) : inner_(inner) {}
  DM dm() const override { return inner_.dm(); }
  const std::vector<double>& lags() const override { return inner_.lags(); }
  void history_before_start(double t, Vec u) const override { inner_.history_before_start(t, u); }
  bool history_before_start_is_constant() const override { return inner_.history_before_start_is_constant(); }
  PetscErrorCode rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f, RhsPart part) const override;
  std::optional<Discontinuity> next_forcing_discontinuity(double after) const override {
    return inner_.next_forcing_discontinuity(after);
  }
  bool has_stiff_part() const override { return inner_.has_stiff_part(); }

  void reset() const { seconds_ = 0, calls_ = 0; }
  double seconds() const { return seconds_; }  // s, this rank
  long calls() const { return calls_; }

 private:
  const DelaySystem& inner_;
  mutable double seconds_ = 0;
  mutable long calls_ = 0;
};

// The median of a sample (taken by value: it is sorted).
double median(std::vector<double> values);

}  // namespace nf::bench
