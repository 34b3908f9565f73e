// The answer does not depend on the rank count with delay rings: an Amari field with a
// distance-dependent delay, in 1D and 2D, run on every rank (2 or more) and on rank 0
// alone. The rings' spectra, the stored records and their reads are each rank's own
// slab of the FFTW-MPI layout; the fields agree to round-off (1e-12), and so do the
// front speeds measured from them.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/run_deck.h"

namespace nf {
namespace {

void expect_rank_independent(const std::vector<std::string>& overrides, const std::string& tag) {
  std::vector<std::string> o = overrides;
  o.insert(o.end(), {"output.vtk=false", "model.conduction_velocity=1.5", "model.delay_method=rings"});
  const auto runs = test::run_on_all_and_alone(test::deck_text("amari_front_1d.yaml"), o, tag);
  if (!runs.alone) return;
  const SimulationResult& all = runs.all;
  const SimulationResult& one = *runs.alone;
  ASSERT_EQ(all.final_state.size(), one.final_state.size());
  for (std::size_t i = 0; i < one.final_state.size(); ++i)
    ASSERT_NEAR(all.final_state[i], one.final_state[i], 1e-12) << "cell " << i;
  ASSERT_TRUE(one.front_speed.has_value());
  EXPECT_NEAR(*all.front_speed, *one.front_speed, 1e-10);
}

TEST(DelayRingsRanks, Line) {
  expect_rank_independent({"mesh.cells=[300]", "mesh.length=[30]", "time.t_end=4"}, "rings_1d");
}

TEST(DelayRingsRanks, PlaneWithPeriodicAxis) {
  expect_rank_independent({"mesh.cells=[48,24]", "mesh.length=[24,12]", "mesh.boundary=[bounded,periodic]",
                           "time.t_end=3", "model.kernel.sigma=0.5"},
                          "rings_2d");
}

}  // namespace
}  // namespace nf
