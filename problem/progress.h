#pragma once
// One progress line on rank 0 (simulated time, percent, steps/s, ETA), redrawn at most
// twice a second, and only when stderr is a terminal: logs and pipes stay clean.
#include <chrono>

#include "solvers/step_observer.h"

namespace nf {

// Off: no run draws its line (a sweep runs many points at once and prints its own).
void set_progress_lines(bool enabled);

class ProgressLine final : public StepObserver {
 public:
  ProgressLine(MPI_Comm comm, double t0, double t_end);
  void observe(const StepState& state) override;
  void finish() override;
  void abandon() override { finish(); }

 private:
  bool active_ = false;
  bool drawn_ = false;
  double t0_, t_end_;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace nf
