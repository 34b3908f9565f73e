// Delay rings: cost per step against the ring count R (docs/performance.md).
//   2D Amari, 512^2 periodic cells (h = 0.1 m), exponential kernel sigma = 1 m,
//   sub-cell Heaviside (fraction and two moments: 3 spectra per ring), v = 2 m/s,
//   petsc rk4, dt = 0.05 s, R = 8 ... 128 rings over the same radius.
// Each R builds the problem once and times accepted steps 20..40 (the records then
// reach back over steps that are all stored). The per-ring slope of the step time is
// set against the memory floor: one read of each ring's weight spectra per stage,
// 4 stages x 3 spectra x n x 8 B (n the local spectrum length), at the copy bandwidth
// measured in the same run (memcpy of 256 MiB).
//
// Run: bench_delay_rings [--benchmark_filter=...] [--benchmark_repetitions=K]
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <map>
#include <vector>

#include "bench/bench_support.h"
#include "io/deck.h"
#include "problem/build_problem.h"

namespace {

using namespace nf;
using namespace nf::bench;

constexpr const char* kDeck = R"(
model:
  type: amari
  kernel: {type: exponential, sigma: 1.0}
  threshold: 0.25
  conduction_velocity: 2.0
  delay_method: rings
mesh:
  cells: [512, 512]
  length: [51.2, 51.2]
  boundary: [periodic, periodic]
initial: {type: bump, amplitude: 1.0, width: 5.0}
time: {t_end: 2.05, dt: 0.05, integrator: petsc, method: rk4}
)";

std::map<int, double> g_seconds_per_step;  // per R: best over repetitions
double g_spectrum_bytes = 0;               // B per ring per stage: 3 spectra x n x 8

double copy_bandwidth() {  // B/s copied by a 256 MiB memcpy, best of 5
  const std::size_t bytes = 256u << 20;
  std::vector<char> a(bytes, 1), b(bytes, 0);
  double best = 0;
  for (int k = 0; k < 5; ++k) {
    const auto t0 = std::chrono::steady_clock::now();
    std::memcpy(b.data(), a.data(), bytes);
    benchmark::DoNotOptimize(b.data());
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, static_cast<double>(bytes) / s);
  }
  return best;
}

void BM_DelayRings(benchmark::State& state) {
  const int rings = static_cast<int>(state.range(0));
  const Deck deck = Deck::parse(kDeck, "bench_delay_rings.yaml", {fmt::format("model.rings={}", rings)});
  auto problem = build_problem(deck, PETSC_COMM_WORLD);
  g_spectrum_bytes = problem->delay_rings().factor_bytes / rings;
  const IntegratorSettings settings = integrator_settings(deck);
  for (auto _ : state) {
    const WindowTiming w = time_window(*problem, settings, 20, 40);
    const double per_step = w.seconds / static_cast<double>(w.steps);
    state.SetIterationTime(w.seconds);
    auto& best = g_seconds_per_step[rings];
    best = best == 0 ? per_step : std::min(best, per_step);
    state.counters["ms_per_step"] = 1e3 * per_step;
  }
}
BENCHMARK(BM_DelayRings)->Arg(8)->Arg(16)->Arg(32)->Arg(64)->Arg(128)->UseManualTime()->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  PetscSession petsc(&argc, &argv);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  if (g_seconds_per_step.size() >= 2) {
    // Least-squares slope of the step time against R.
    double n = 0, mx = 0, my = 0, sxy = 0, sxx = 0;
    for (auto [r, s] : g_seconds_per_step) n += 1, mx += r, my += s;
    mx /= n, my /= n;
    for (auto [r, s] : g_seconds_per_step) sxy += (r - mx) * (s - my), sxx += (r - mx) * (r - mx);
    const double slope = sxy / sxx, bandwidth = copy_bandwidth();
    const double floor = 4 * g_spectrum_bytes / bandwidth;
    fmt::print("delay rings 512^2: slope {:.3f} ms per ring per step; memory floor {:.3f} ms (4 stages x {:.2f} MiB "
               "per ring at the copy bandwidth {:.2f} GB/s); ratio {:.2f}\n",
               1e3 * slope, 1e3 * floor, g_spectrum_bytes / (1 << 20), bandwidth / 1e9, slope / floor);
  }
  benchmark::Shutdown();
  return 0;
}
