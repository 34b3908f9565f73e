// History memory over a whole run (acceptance figure 2).
//   u_t = D u_xx - a u(x, t - tau) on a bounded line, fixed step.
// Defaults: 10^5 cells, h = 1 mm, dt = 1e-4 s, D dt/h^2 = 0.2, a = 10 1/s,
// tau = 0.01 s (100 steps), rk4. The store is trimmed to the largest lag, so the peak
// resident set size must not grow with t_end: run this once per t_end, each in its own
// process, and compare.
//
// Run: bench_history_memory T_END [-cells N] [-lag S] [-dt S] [-method NAME]
// Prints one line of key=value pairs: base_rss_mib is the peak after PETSc/MPI start,
// setup_rss_mib the peak before the run (grid, system, integrator and its history
// slots, allocated but mostly untouched), peak_rss_mib the peak after the run.
#include <fmt/format.h>
#include <petscsys.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>

#include "bench/bench_support.h"
#include "bench/delayed_stencil.h"
#include "base/petsc_error.h"

namespace {

using namespace nf;
using namespace nf::bench;

struct Options {
  double t_end = 0;        // s
  PetscInt cells = 100'000;
  double lag = 0.01;       // s
  double dt = 1e-4;        // s
  std::string method = "rk4";
};

constexpr double kSpacing = 1e-3;  // m
constexpr double kCourant = 0.2;   // D dt / h^2
constexpr double kCoupling = 10;   // 1/s

Options read_options(int argc, char** argv) {
  Options o;
  if (argc < 2 || argv[1][0] == '-') throw std::invalid_argument("usage: bench_history_memory T_END [-cells N] ...");
  o.t_end = std::stod(argv[1]);
  char method[64] = "rk4";
  check_petsc(PetscOptionsGetInt(nullptr, nullptr, "-cells", &o.cells, nullptr));
  check_petsc(PetscOptionsGetReal(nullptr, nullptr, "-lag", &o.lag, nullptr));
  check_petsc(PetscOptionsGetReal(nullptr, nullptr, "-dt", &o.dt, nullptr));
  check_petsc(PetscOptionsGetString(nullptr, nullptr, "-method", method, sizeof method, nullptr));
  o.method = method;
  return o;
}

void run(const Options& o) {
  const double base_rss = peak_rss_mib();
  Grid grid(PETSC_COMM_WORLD, line_grid(o.cells, kSpacing));
  DelayedStencil system(grid, {kCourant * kSpacing * kSpacing / o.dt, kCoupling, o.lag});
  IntegratorSettings settings;
  settings.dt = o.dt;
  settings.t_end = o.t_end;
  settings.method = o.method;
  std::unique_ptr<Integrator> integrator = find_integrator_backend("petsc")->make(system, settings);
  Vec u = nullptr;
  check_petsc(DMCreateGlobalVector(system.dm(), &u));
  const double setup_rss = peak_rss_mib();
  const auto start = std::chrono::steady_clock::now();
  const RunStats stats = integrator->run(u, {});
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  VecDestroy(&u);
  PetscPrintf(PETSC_COMM_WORLD,
              "%s\n",
              fmt::format("t_end_s={:g} steps={} cells={} lag_s={:g} dt_s={:g} method={} base_rss_mib={:.1f} "
                          "setup_rss_mib={:.1f} peak_rss_mib={:.1f} wall_s={:.2f}",
                          o.t_end, stats.steps, o.cells, o.lag, o.dt, o.method, base_rss, setup_rss,
                          peak_rss_mib(), wall)
                  .c_str());
}

}  // namespace

int main(int argc, char** argv) {
  try {
    PetscSession petsc(&argc, &argv);
    run(read_options(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_history_memory: %s\n", e.what());
    return 1;
  }
  return 0;
}
