// Reaction-diffusion runs do not depend on the rank count: the shipped decks run on
// every rank of the world communicator (2 or more) against the same deck run on rank 0
// alone, the implicit diffusion solves included.
//   1D: a direct solve (PETSc's LU alone, MUMPS across ranks) of the M-matrix s I - L,
//     so the fields agree to round-off: 1e-12 of max |u| after ~200 steps.
//   2D: conjugate gradients with multigrid to a relative residual of 1e-8 per stage;
//     the smoother's split differs with the ranks, so the fields agree to the solve's
//     tolerance: 1e-8 per stage, accumulated over the steps, 1e-6 of max |u| asserted.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tests/support/run_deck.h"

namespace nf {
namespace {

void expect_rank_independent(const std::string& deck, const std::vector<std::string>& overrides, double tolerance,
                             const std::string& tag) {
  std::vector<std::string> o = overrides;
  o.insert(o.end(), {"output.vtk=false", "output.hdf5=false"});
  const auto runs = test::run_on_all_and_alone(test::deck_text(deck), o, tag);
  if (!runs.alone) return;
  const test::StateDifference d = test::final_state_difference(runs);
  std::printf("%s: largest difference %.2e of max |u| %.3f\n", tag.c_str(), d.largest, d.scale);
  ASSERT_GT(d.scale, 0.5);  // the front is there
  EXPECT_LT(d.largest, tolerance * d.scale);
  ASSERT_TRUE(runs.all.front_speed && runs.alone->front_speed);
  EXPECT_NEAR(*runs.all.front_speed, *runs.alone->front_speed, tolerance * std::abs(*runs.alone->front_speed));
}

TEST(ReactionDiffusionRanks, NagumoFrontDirectSolve) {
  expect_rank_independent("nagumo_front_1d.yaml", {"time.t_end=10"}, 1e-12, "nagumo_1d");
}

TEST(ReactionDiffusionRanks, HutchinsonFisherFrontDirectSolve) {
  expect_rank_independent("fisher_kpp_1d.yaml", {"time.t_end=10", "model.delay=0.37"}, 1e-12, "hutchinson_1d");
}

TEST(ReactionDiffusionRanks, NagumoPlanarFront2dMultigrid) {
  expect_rank_independent("nagumo_front_1d.yaml",
                          {"time.t_end=5", "mesh.cells=[129,17]", "mesh.length=[32,4]",
                           "mesh.boundary=[neumann,neumann]", "initial.position=8"},
                          1e-6, "nagumo_2d");
}

}  // namespace
}  // namespace nf
