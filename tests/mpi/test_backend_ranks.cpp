// Every time-integration backend gives the same field on any number of ranks: the
// chain (dT = 12.3 ms, not a multiple of dt) run on every rank of the world
// communicator (2 or more) against the same deck run separately on rank 0 alone, for PETSc TS, ARKODE
// (explicit and IMEX) and CVODE.
// Fixed steps: the step sequence does not depend on the ranks and each per-node
// operation is local; only reductions (norms and dot products of Newton and GMRES,
// summed in another order) differ, in the last bits: the fields agree to 1e-12
// relative, in the same number of steps.
// CVODE (adaptive): the WRMS norms behind its decisions are global reductions too.
// The step size changes only when the proposed ratio leaves a dead band (CVODE keeps
// h for ratios below 1.5), so last-bit differences leave the step times bitwise equal
// until one decision (a step ratio or an order change at its threshold) falls on
// different sides; from there the two runs are two different step sequences that
// both meet the tolerance, and their fields differ by up to the sum of their global
// errors. CVODE's BDF global error is measured at about rtol in
// test_sundials_backends (3.0e-8 at rtol 1e-8 on y' = -y(t - 1)); allowing 10 rtol
// per run, the fields must agree to 20 rtol relative (at rtol 1e-9: 2e-8).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "tests/support/run_deck.h"

namespace nf {
namespace {

struct BackendCase {
  const char* tag;
  std::vector<std::string> overrides;
  double tolerance;   // relative to the largest |u| of the final state
  bool fixed_steps;   // the same step sequence on any number of ranks
};

class BackendRanks : public ::testing::TestWithParam<BackendCase> {};

TEST_P(BackendRanks, FinalStateDoesNotDependOnRanks) {
  std::vector<std::string> overrides = {"time.t_end=0.3", "model.delay=0.0123", "output.vtk=false",
                                        "output.hdf5=false"};
  overrides.insert(overrides.end(), GetParam().overrides.begin(), GetParam().overrides.end());
  const std::string tag = GetParam().tag;
  const auto runs = test::run_on_all_and_alone(test::deck_text("pc_chain.yaml"), overrides, tag);
  if (!runs.alone) return;
  const SimulationResult& all = runs.all;
  const SimulationResult& one = *runs.alone;
  int size = 1;
  MPI_Comm_size(PETSC_COMM_WORLD, &size);
  ASSERT_EQ(all.final_state.size(), one.final_state.size());
  if (GetParam().fixed_steps) EXPECT_EQ(all.stats.steps, one.stats.steps);
  double scale = 1e-300, difference = 0;
  for (double v : one.final_state) scale = std::max(scale, std::abs(v));
  for (std::size_t i = 0; i < one.final_state.size(); ++i) {
    difference = std::max(difference, std::abs(all.final_state[i] - one.final_state[i]));
    EXPECT_NEAR(all.final_state[i], one.final_state[i], GetParam().tolerance * scale) << tag << ", cell " << i;
  }
  std::size_t same = 0;
  while (same < std::min(all.probe_times.size(), one.probe_times.size()) &&
         all.probe_times[same] == one.probe_times[same])
    ++same;
  std::printf("%s on %d ranks: %d steps (%d on one), identical step times up to step %zu (t = %.6g), "
              "max |difference| %.3e (scale %.3e)\n",
              tag.c_str(), size, static_cast<int>(all.stats.steps), static_cast<int>(one.stats.steps), same,
              same < one.probe_times.size() ? one.probe_times[same] : -1.0, difference, scale);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, BackendRanks,
    ::testing::Values(BackendCase{"petsc_rk4", {"time.integrator=petsc", "time.method=rk4"}, 1e-12, true},
                      BackendCase{"arkode_rk4", {"time.integrator=arkode", "time.method=rk4"}, 1e-12, true},
                      BackendCase{"arkode_ark3", {"time.integrator=arkode", "time.method=ark3"}, 1e-12, true},
                      BackendCase{"cvode_bdf",
                                  {"time.integrator=cvode", "time.method=bdf", "time.rtol=1e-9", "time.atol=1e-12"},
                                  20 * 1e-9, false}),
    [](const auto& info) { return std::string(info.param.tag); });

}  // namespace
}  // namespace nf
