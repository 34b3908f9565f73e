// The 1D Amari field per node and step, beside bench/amari_numpy.py (acceptance
// figures: neural fields, 1D).
//   tau du/dt = -u + w * H(u - theta),  w(x) = exp(-|x|/sigma) / (2 sigma),
// sigma = 1 m, theta = 0.25, tau = 1 s, on a periodic line of 65 536 cells of h = 0.05 m
// (20 cells per sigma), sub-cell Heaviside (firing.h), PETSc TS rk4, dt = 0.05 s, a front
// at a tenth of the line. The solver path of a deck (amari_deck -> build_problem -> the
// PETSc backend). Each repetition runs a fresh integrator for steps + 1 steps and times
// accepted steps 1..steps + 1 between barriers. Prints the median ns per node-step and
// sum_i u_i at the last step, which amari_numpy.py prints too (the same method: the
// two agree to round-off).
//
// Run: bench_amari_1d [-cells N (65536)] [-steps K (20)] [-repetitions M (7)] [-firing F]
#include <fmt/format.h>
#include <petscsys.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "base/petsc_error.h"
#include "bench/amari_deck.h"
#include "bench/bench_support.h"
#include "problem/build_problem.h"

namespace {

using namespace nf;
using namespace nf::bench;

constexpr double kSpacing = 0.05;  // m

// sum_i u_i at one step.
class SumAtStep final : public StepObserver {
 public:
  explicit SumAtStep(PetscInt step) : step_(step) {}
  void observe(const StepState& s) override {
    if (s.step == step_) check_petsc(VecSum(s.u, &sum));
  }
  double sum = 0;

 private:
  PetscInt step_;
};

struct Timing {
  double seconds_per_step = 0;
  double sum = 0;
};

Timing run_once(const DelaySystem& system, const IntegratorSettings& settings, PetscInt steps) {
  std::unique_ptr<Integrator> integrator = find_integrator_backend("petsc")->make(system, settings);
  Vec u = nullptr;
  check_petsc(DMCreateGlobalVector(system.dm(), &u));
  StepClock clock(PetscObjectComm(reinterpret_cast<PetscObject>(system.dm())), 1, steps + 1);
  SumAtStep sum(steps + 1);
  StepObserver* observers[] = {&clock, &sum};
  try {
    integrator->run(u, observers);
  } catch (...) {
    VecDestroy(&u);
    throw;
  }
  VecDestroy(&u);
  if (!clock.complete()) throw std::runtime_error("the run ended before its last timed step");
  return {clock.seconds() / static_cast<double>(clock.steps()), sum.sum};
}

void run() {
  PetscInt cells = 65536, steps = 20, repetitions = 7;
  check_petsc(PetscOptionsGetInt(nullptr, nullptr, "-cells", &cells, nullptr));
  check_petsc(PetscOptionsGetInt(nullptr, nullptr, "-steps", &steps, nullptr));
  check_petsc(PetscOptionsGetInt(nullptr, nullptr, "-repetitions", &repetitions, nullptr));
  char firing[64] = "heaviside";
  check_petsc(PetscOptionsGetString(nullptr, nullptr, "-firing", firing, sizeof firing, nullptr));
  AmariCase c;
  c.cells = {cells};
  c.length = kSpacing * static_cast<double>(cells);
  c.boundary = "periodic";
  c.firing = firing;
  c.steps = steps + 1;
  const Deck deck = amari_deck(c);
  const std::unique_ptr<Problem> problem = build_problem(deck, PETSC_COMM_WORLD);
  const IntegratorSettings settings = integrator_settings(deck);
  run_once(*problem, settings, steps);  // warm-up
  std::vector<double> s;
  double sum = 0;
  for (PetscInt r = 0; r < repetitions; ++r) {
    const Timing t = run_once(*problem, settings, steps);
    s.push_back(t.seconds_per_step);
    sum = t.sum;
  }
  PetscMPIInt ranks = 1;
  MPI_Comm_size(PETSC_COMM_WORLD, &ranks);
  const double ns = median(s) * 1e9 / static_cast<double>(cells);
  PetscPrintf(PETSC_COMM_WORLD, "%s\n",
              fmt::format("impl=neurofield ranks={} cells={} firing={} steps={} repetitions={} s_per_step={:.6e} "
                          "ns_per_node_step={:.3f} min_ns={:.3f} max_ns={:.3f} sum_u={:.12e}",
                          ranks, cells, firing, steps, repetitions, median(s), ns,
                          *std::min_element(s.begin(), s.end()) * 1e9 / static_cast<double>(cells),
                          *std::max_element(s.begin(), s.end()) * 1e9 / static_cast<double>(cells), sum)
                  .c_str());
}

}  // namespace

int main(int argc, char** argv) {
  try {
    PetscSession petsc(&argc, &argv);
    run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_amari_1d: %s\n", e.what());
    return 1;
  }
  return 0;
}
