// The answer does not depend on the rank count with the wave method: an Amari front
// with a distance-dependent delay (model.delay_method wave), its transport fields
// appended to the state and exchanged through the grid's ghost cells (stencil 2),
// on a bounded and on a periodic line and on a plane, run on every rank (2 or more) and on rank 0
// alone. The fields (u, psi_R, psi_L; u, phi, chi) agree to round-off (1e-12), and so do the front
// speeds measured from them.
#include <gtest/gtest.h>

#include "tests/support/run_deck.h"

namespace nf {
namespace {

void expect_rank_independent(const std::vector<std::string>& overrides, std::size_t entries, const std::string& tag) {
  std::vector<std::string> o = {"output.vtk=false", "model.conduction_velocity=1.5", "model.delay_method=wave",
                                "mesh.cells=[300]", "mesh.length=[30]", "time.t_end=4"};
  o.insert(o.end(), overrides.begin(), overrides.end());
  const auto runs = test::run_on_all_and_alone(test::deck_text("amari_front_1d.yaml"), o, tag);
  if (!runs.alone) return;
  const SimulationResult& all = runs.all;
  const SimulationResult& one = *runs.alone;
  ASSERT_EQ(all.final_state.size(), one.final_state.size());
  ASSERT_EQ(one.final_state.size(), entries);
  for (std::size_t i = 0; i < one.final_state.size(); ++i)
    ASSERT_NEAR(all.final_state[i], one.final_state[i], 1e-12) << "entry " << i;
  ASSERT_TRUE(one.front_speed.has_value());
  EXPECT_NEAR(*all.front_speed, *one.front_speed, 1e-10);
}

TEST(WaveCouplingRanks, BoundedLine) { expect_rank_independent({}, 3 * 300, "wave_bounded"); }

TEST(WaveCouplingRanks, PeriodicLine) {
  expect_rank_independent({"mesh.boundary=[periodic]"}, 3 * 300, "wave_periodic");
}

// The telegraph fields phi, chi with the 5-point Laplacian across the ranks' seams.
TEST(WaveCouplingRanks, PlaneWithPeriodicAxis) {
  expect_rank_independent({"mesh.cells=[48,24]", "mesh.length=[24,12]", "mesh.boundary=[bounded,periodic]",
                           "time.t_end=3", "time.dt=0.1", "model.kernel.sigma=0.5"},
                          3 * 48 * 24, "wave_2d");
}

}  // namespace
}  // namespace nf
