// Parallel speed-up of a delayed 2D explicit stencil (acceptance figure 3).
//   u_t = D lap_h u - a u(x, y, t - tau) on a bounded 512 x 512 grid,
// h = 1 mm, dt = 1e-4 s, D dt (2/h^2) = 0.2, a = 10 1/s, tau = 5.5 dt (every delayed
// read interpolates), rk4 fixed step. Each repetition builds a fresh integrator, runs
// 75 steps and times accepted steps 25..75 (all delayed reads from the store), with
// a barrier and MPI_Wtime at both ends. Prints the best of the repetitions.
//
// Run: mpiexec -n R bench_parallel_stencil [-cells N] [-repetitions K] [PETSc options]
// Prints (rank 0) one line of key=value pairs; speed-up = s_per_step(1) / s_per_step(R).
#include <fmt/format.h>
#include <petscsys.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <limits>

#include "bench/bench_support.h"
#include "bench/delayed_stencil.h"
#include "base/petsc_error.h"

namespace {

using namespace nf;
using namespace nf::bench;

constexpr double kDt = 1e-4;        // s
constexpr double kSpacing = 1e-3;   // m
constexpr double kCourant = 0.2;    // D dt (1/hx^2 + 1/hy^2)
constexpr double kCoupling = 10;    // 1/s
constexpr double kLagSteps = 5.5;   // tau / dt
constexpr PetscInt kFirst = 25, kLast = 75;

void run() {
  PetscInt cells = 512, repetitions = 3;
  check_petsc(PetscOptionsGetInt(nullptr, nullptr, "-cells", &cells, nullptr));
  check_petsc(PetscOptionsGetInt(nullptr, nullptr, "-repetitions", &repetitions, nullptr));
  Grid grid(PETSC_COMM_WORLD, rectangle_grid(cells, cells, kSpacing));
  DelayedStencil system(grid, {kCourant * kSpacing * kSpacing / (2 * kDt), kCoupling, kLagSteps * kDt});
  IntegratorSettings settings;
  settings.dt = kDt;
  settings.t_end = kLast * kDt;
  settings.method = "rk4";
  double best = std::numeric_limits<double>::infinity();
  PetscInt steps = 0;
  for (PetscInt r = 0; r < repetitions; ++r) {
    const WindowTiming w = time_window(system, settings, kFirst, kLast);
    best = std::min(best, w.seconds);
    steps = w.steps;
  }
  PetscMPIInt ranks = 1;
  MPI_Comm_size(PETSC_COMM_WORLD, &ranks);
  const double nodes = static_cast<double>(cells) * static_cast<double>(cells);
  PetscPrintf(PETSC_COMM_WORLD, "%s\n",
              fmt::format("ranks={} cells={}x{} steps={} repetitions={} s_per_step={:.6e} ns_per_node_step={:.3f}",
                          ranks, cells, cells, steps, repetitions, best / static_cast<double>(steps),
                          best * 1e9 / (static_cast<double>(steps) * nodes))
                  .c_str());
}

}  // namespace

int main(int argc, char** argv) {
  try {
    PetscSession petsc(&argc, &argv);
    run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_parallel_stencil: %s\n", e.what());
    return 1;
  }
  return 0;
}
