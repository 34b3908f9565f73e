// The FitzHugh-Nagumo spiral of input_decks/fhn_spiral_2d.yaml (ctest label "long"):
// its rotation period, from the tip trajectory (postprocess/spiral_tip.h), changes by
// less than 2% between h = 1 m (81 x 81 cells) and h = 0.5 m (161 x 161) on the same
// 81 m square at dt = 0.2 s. The second-order Laplacian's error in the period falls as
// h^2, so the coarse period is within about 4/3 of that change of the converged one.
//   ctest --preset release -L long -R fhn
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "tests/support/run_deck.h"

namespace nf {
namespace {

double spiral_period(int cells) {
  const auto r = test::run_deck_text(test::deck_text("fhn_spiral_2d.yaml"),
                                     {fmt::format("mesh.cells=[{},{}]", cells, cells), "output.vtk=false",
                                      "output.hdf5=false"},
                                     PETSC_COMM_WORLD, "fhn_spiral");
  EXPECT_TRUE(r.summary["spiral_period"].is_number()) << cells;
  // At least 3 turns fitted after t_start = 60 s: the fit is not a fragment.
  EXPECT_GE(r.summary["spiral"]["turns"].get<double>(), 3.0) << cells;
  std::printf("FHN spiral on %d x %d cells: period %.6f s over %.2f turns, centre (%.3f, %.3f) m, %.1f s wall\n",
              cells, cells, r.summary["spiral_period"].get<double>(), r.summary["spiral"]["turns"].get<double>(),
              r.summary["spiral"]["centre"][0].get<double>(), r.summary["spiral"]["centre"][1].get<double>(),
              r.stats.wall_seconds);
  return r.summary["spiral_period"].is_number() ? r.summary["spiral_period"].get<double>() : NAN;
}

TEST(FitzhughNagumoSpiral, PeriodConvergedToTwoPercent) {
  const double coarse = spiral_period(81), fine = spiral_period(161);
  std::printf("FHN spiral period: %.6f s (h = 1 m), %.6f s (h = 0.5 m), change %.3f%%\n", coarse, fine,
              100 * std::abs(coarse / fine - 1));
  EXPECT_LT(std::abs(coarse / fine - 1), 0.02);
}

}  // namespace
}  // namespace nf
