// Field noise does not depend on the rank count: its knots are keyed by (seed, global
// cell, knot), so the field on every rank and on rank 0 alone agree exactly, and so
// does a short Amari run driven by it (1e-12), in 1D and in 2D. The fields are read
// back from the runs' final states: an Amari field that never fires (threshold 100)
// integrates the noise alone, tau u' = -u + I; with firing (threshold 0.25, a front)
// the coupling enters too.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/run_deck.h"

namespace nf {
namespace {

void expect_rank_independent(std::vector<std::string> overrides, const std::string& tag) {
  overrides.insert(overrides.end(), {"output.vtk=false", "output.hdf5=false",
                                     "model.input={type: noise, std: 0.3, seed: 17, knot_spacing: 0.1}",
                                     "time.dt=0.05", "time.t_end=1"});
  const auto runs = test::run_on_all_and_alone(test::deck_text("amari_front_1d.yaml"), overrides, tag);
  if (!runs.alone) return;
  const SimulationResult& all = runs.all;
  const SimulationResult& one = *runs.alone;
  ASSERT_EQ(all.final_state.size(), one.final_state.size());
  double size = 0;
  for (std::size_t i = 0; i < one.final_state.size(); ++i) {
    ASSERT_NEAR(all.final_state[i], one.final_state[i], 1e-12) << "cell " << i;
    size = std::max(size, std::abs(one.final_state[i]));
  }
  EXPECT_GT(size, 0.01) << "the noise reached the field";
}

TEST(FieldInputRanks, NoiseAloneOnALine) {
  expect_rank_independent({"mesh.cells=[200]", "mesh.length=[20]", "initial.type=rest", "model.threshold=100"},
                          "noise_1d");
}

TEST(FieldInputRanks, NoiseWithAFrontOnAPlane) {
  expect_rank_independent({"mesh.cells=[40,24]", "mesh.length=[20,12]", "mesh.boundary=[bounded,periodic]",
                           "model.kernel.sigma=0.5"},
                          "noise_2d");
}

}  // namespace
}  // namespace nf
