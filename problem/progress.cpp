#include "problem/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace nf {
namespace {
bool progress_lines = true;
}  // namespace

void set_progress_lines(bool enabled) { progress_lines = enabled; }

ProgressLine::ProgressLine(MPI_Comm comm, double t0, double t_end) : t0_(t0), t_end_(t_end) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  active_ = progress_lines && rank == 0 && isatty(STDERR_FILENO);
  start_ = last_ = std::chrono::steady_clock::now();
}

void ProgressLine::observe(const StepState& s) {
  if (!active_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(500)) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double done = (s.t - t0_) / (t_end_ - t0_);
  const double eta = done > 0 ? elapsed * (1 - done) / done : 0;
  fmt::print(stderr, "\r  t = {:.4g} s  {:5.1f}%  {:.0f} steps/s  ETA {:.0f} s   ", s.t, 100 * done,
             s.step / std::max(elapsed, 1e-9), eta);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::finish() {
  if (drawn_) fmt::print(stderr, "\r{:60}\r", "");
  drawn_ = false;
}

}  // namespace nf
