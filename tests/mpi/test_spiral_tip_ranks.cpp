// The spiral tip and its period do not depend on the rank count: the shipped 2D spiral
// deck, coarsened to 2 m cells and shortened to 120 s (three turns from t = 40 s), on
// every rank of the world communicator against rank 0 alone. The tip finder itself is
// exact across splits (postprocess/spiral_tip_observer.h); the fields differ only by the
// round-off of the CG reductions (1e-8 relative tolerance, the same on every split up to
// the order of the sums), which the neutral rotation phase carries along without growth,
// so the period and the core agree to 1e-8 relative.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/run_deck.h"

namespace nf {
namespace {

TEST(SpiralTipRanks, PeriodAndCoreAgree) {
  const auto runs = test::run_on_all_and_alone(
      test::deck_text("fhn_spiral_2d.yaml"),
      {"mesh.cells=[41,41]", "mesh.length=[82,82]", "time.t_end=120", "analysis.t_start=40", "output.vtk=false",
       "output.hdf5=false"},
      "fhn_spiral_ranks");
  if (!runs.alone) return;
  const nlohmann::json& all = runs.all.summary;
  const nlohmann::json& one = runs.alone->summary;
  ASSERT_TRUE(one["spiral_period"].is_number());
  ASSERT_TRUE(all["spiral_period"].is_number());
  const double period = one["spiral_period"].get<double>();
  EXPECT_NEAR(all["spiral_period"].get<double>(), period, 1e-8 * period);
  for (int a = 0; a < 2; ++a)
    EXPECT_NEAR(all["spiral"]["centre"][a].get<double>(), one["spiral"]["centre"][a].get<double>(), 1e-8 * 82);
  EXPECT_EQ(all["spiral"]["points"].get<std::size_t>(), one["spiral"]["points"].get<std::size_t>());
}

}  // namespace
}  // namespace nf
