// History overhead per step (acceptance figure 1).
//   u_t = D u_xx - a S(u(x, t - tau))  versus  u_t = D u_xx - a S(u(x, t))   (lags() empty)
// for S linear (memory-bound: the worst case for any per-step overhead) and S the
// sigmoid of firing-rate fields (one exp per cell and evaluation),
// on a bounded line of 10^6 cells, fixed step dt = 1e-4 s, h = 1 mm, D dt/h^2 = 0.2
// (stable for rk2 and rk4), a = 10 1/s, tau = 50 dt (on the step grid) or 50.37 dt
// (between grid points: every delayed read interpolates). Same flops per cell; the
// ratio with/without lag is the cost of the history and the delayed ghost exchange.
// Each repetition builds a fresh integrator, runs to t_end = 101 dt and times the
// window of accepted steps 60..100 only: every delayed read there comes from the store
// (not from the history before t0), and the breaking points at tau and 2 tau lie
// outside it. Counter ns_per_node_step = window time / (window steps * cells).
//
// Run: bench_history_overhead [--benchmark_filter=rk4] [-repetitions K (3)] [PETSc options]
// A summary of the overhead ratios (best of the K repetitions) follows the table.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bench/bench_support.h"
#include "bench/delayed_stencil.h"
#include "base/petsc_error.h"

namespace {

using namespace nf;
using namespace nf::bench;

constexpr PetscInt kCells = 1'000'000;
constexpr double kDt = 1e-4;         // s
constexpr double kSpacing = 1e-3;    // m
constexpr double kCourant = 0.2;     // D dt / h^2
constexpr double kCoupling = 10;     // 1/s
constexpr PetscInt kFirst = 60, kLast = 100, kEndSteps = 101;

struct Case {
  std::string method;     // rk4, rk2; with "+sigmoid" for S the sigmoid
  std::string label;      // no_lag, lag_50dt, lag_50.37dt
  double lag_in_steps;    // 0 = no lag
};

std::string scheme(const std::string& method) { return method.substr(0, method.find('+')); }
Response response(const std::string& method) {
  return method.find("+sigmoid") == std::string::npos ? Response::linear : Response::sigmoid;
}

void run_case(benchmark::State& state, const Case& c) {
  try {
    Grid grid(PETSC_COMM_WORLD, line_grid(kCells, kSpacing));
    const StencilParams params{kCourant * kSpacing * kSpacing / kDt, kCoupling, c.lag_in_steps * kDt,
                               response(c.method)};
    DelayedStencil system(grid, params);
    IntegratorSettings settings;
    settings.t0 = 0;
    settings.dt = kDt;
    settings.t_end = kEndSteps * kDt;
    settings.method = scheme(c.method);
    double seconds = 0;
    PetscInt steps = 0, run_steps = 0;
    for (auto _ : state) {
      const WindowTiming w = time_window(system, settings, kFirst, kLast);
      state.SetIterationTime(w.seconds);
      seconds += w.seconds;
      steps += w.steps;
      run_steps = w.run_steps;
    }
    state.counters["ns_per_node_step"] = seconds * 1e9 / (static_cast<double>(steps) * kCells);
    state.counters["window_steps"] = static_cast<double>(steps) / static_cast<double>(state.iterations());
    state.counters["run_steps"] = static_cast<double>(run_steps);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

// The console table, then the overhead ratio per method from the best repetition.
// Colour only on a terminal (a custom display reporter ignores --benchmark_color).
class SummaryReporter final : public benchmark::ConsoleReporter {
 public:
  SummaryReporter() : ConsoleReporter(isatty(fileno(stdout)) ? OO_ColorTabular : OO_Tabular) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.run_type != Run::RT_Iteration || r.error_occurred) continue;
      const auto it = r.counters.find("ns_per_node_step");
      if (it == r.counters.end()) continue;
      auto& best = best_.try_emplace(r.run_name.function_name, it->second.value).first->second;
      best = std::min(best, static_cast<double>(it->second.value));
    }
    ConsoleReporter::ReportRuns(runs);
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\nHistory overhead, best of the repetitions (ns per node-step; ratio = with lag / no lag)\n");
    std::printf("%-12s %10s %10s %7s %12s %7s\n", "method", "no_lag", "lag_50dt", "ratio", "lag_50.37dt", "ratio");
    for (const char* m : {"rk4", "rk2", "rk4+sigmoid", "rk2+sigmoid"}) {
      const double none = find(m, "no_lag"), on = find(m, "lag_50dt"), off = find(m, "lag_50.37dt");
      if (none <= 0) continue;
      std::printf("%-12s %10.3f %10.3f %7.3f %12.3f %7.3f\n", m, none, on, on / none, off, off / none);
    }
  }

 private:
  double find(const std::string& method, const std::string& label) const {
    const auto it = best_.find("history_overhead/" + method + "/" + label);
    return it == best_.end() ? -1.0 : it->second;
  }
  std::map<std::string, double> best_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  try {
    PetscSession petsc(&argc, &argv);
    PetscInt repetitions = 3;
    nf::check_petsc(PetscOptionsGetInt(nullptr, nullptr, "-repetitions", &repetitions, nullptr));
    std::vector<Case> cases;
    for (const char* m : {"rk4", "rk2", "rk4+sigmoid", "rk2+sigmoid"})
      for (const auto& [label, lag] : {std::pair{"no_lag", 0.0}, {"lag_50dt", 50.0}, {"lag_50.37dt", 50.37}})
        cases.push_back({m, label, lag});
    for (const Case& c : cases)
      benchmark::RegisterBenchmark(("history_overhead/" + c.method + "/" + c.label).c_str(), run_case, c)
          ->UseManualTime()
          ->Unit(benchmark::kMillisecond)
          ->Iterations(1)
          ->Repetitions(static_cast<int>(repetitions));
    SummaryReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_history_overhead: %s\n", e.what());
    return 1;
  }
  return 0;
}
