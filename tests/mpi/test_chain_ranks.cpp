// The answer does not depend on the rank count: the chain (open and periodic) run on
// every rank of the world communicator (2 or more) against the same deck run
// separately on rank 0 alone.
// Every per-node operation is local and the delayed values come from each rank's own
// history plus the DM's ghost exchange, so the fields agree to round-off (1e-12).
#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/run_deck.h"

namespace nf {
namespace {

void expect_rank_independent(const std::vector<std::string>& overrides, const std::string& tag) {
  const auto runs = test::run_on_all_and_alone(test::deck_text("pc_chain.yaml"), overrides, tag);
  if (!runs.alone) return;
  const SimulationResult& all = runs.all;
  const SimulationResult& one = *runs.alone;
  ASSERT_EQ(all.final_state.size(), one.final_state.size());
  double scale = 1;
  for (double v : one.final_state) scale = std::max(scale, std::abs(v));
  for (std::size_t i = 0; i < one.final_state.size(); ++i)
    EXPECT_NEAR(all.final_state[i], one.final_state[i], 1e-12 * scale) << "cell " << i;
  ASSERT_EQ(all.probe_times.size(), one.probe_times.size());
  // The fit sees the same signals to round-off; its conditioning keeps f to 1e-9.
  const double f_one = one.summary["frequency_hz"];
  EXPECT_NEAR(all.summary["frequency_hz"].get<double>(), f_one, 1e-9 * std::max(1.0, f_one));
}

TEST(RankIndependence, OpenChain) {
  expect_rank_independent({"time.t_end=0.5", "model.delay=0.0123", "output.vtk_every=0.05"}, "open");
}

TEST(RankIndependence, PeriodicRing) {
  expect_rank_independent({"time.t_end=0.3", "model.boundary=periodic", "initial.type=random", "initial.amplitude=1e-3",
                           "output.vtk_every=0.05"},
                          "ring");
}

}  // namespace
}  // namespace nf
