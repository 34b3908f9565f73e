// The predictive-coding continuum does not depend on the rank count: the shipped decks
// (the 1D hierarchy and the hierarchy x one lateral axis, both driven at the bottom),
// shortened, run on every rank of the world communicator (2 or more) against the same
// deck run separately on rank 0 alone. The kernels go through the FFT convolution,
// whose split over the ranks changes only the transforms' round-off, so the final
// fields agree to 1e-12 of max |y|.
// The fit sees the same probe signals but for that round-off, eps relative to their
// largest value. A shortened run's window holds the switch-on transient, and its fit is
// far less well conditioned than the chain's (tests/mpi/test_chain_ranks.cpp): its
// windows spread by ~1 Hz and ~10 /s. Its bound is the matrix pencil's: it keeps the
// singular values above 1e-9 of the largest (postprocess/oscillation_fit.cpp), so to
// first order the pencil's eigenvalues z = e^{lambda dt_s} move by at most eps / 1e-9,
// and the rates lambda by that over the sample interval dt_s.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>

#include "tests/support/run_deck.h"

namespace nf {
namespace {

void expect_rank_independent(const std::string& deck, const std::string& tag) {
  const auto runs = test::run_on_all_and_alone(test::deck_text(deck),
                                               {"time.t_end=0.5", "output.vtk=false", "output.hdf5=false"}, tag);
  if (!runs.alone) return;
  const test::StateDifference d = test::final_state_difference(runs);
  ASSERT_GT(d.scale, 0.01);  // the driven response is there
  EXPECT_LE(d.largest, 1e-12 * d.scale) << tag;
  std::printf("%s: largest |2 ranks - 1 rank| %.2e of max |y| %.3e\n", tag.c_str(), d.largest / d.scale, d.scale);
  const SimulationResult& all = runs.all;
  const SimulationResult& one = *runs.alone;
  ASSERT_TRUE(one.measured.found);
  ASSERT_TRUE(all.measured.found);
  ASSERT_EQ(all.probe_signals.size(), one.probe_signals.size());
  double signal = 0, difference = 0;
  for (std::size_t c = 0; c < one.probe_signals.size(); ++c) {
    ASSERT_EQ(all.probe_signals[c].size(), one.probe_signals[c].size());
    for (std::size_t k = 0; k < one.probe_signals[c].size(); ++k) {
      signal = std::max(signal, std::abs(one.probe_signals[c][k]));
      difference = std::max(difference, std::abs(all.probe_signals[c][k] - one.probe_signals[c][k]));
    }
  }
  const double eps = std::max(difference / signal, std::numeric_limits<double>::epsilon());
  const double rate_tol = eps / 1e-9 / one.summary["fit"]["sample_interval_s"].get<double>();  // 1/s
  const double f = one.summary["frequency_hz"], g = one.summary["growth_rate_per_s"];
  EXPECT_NEAR(all.summary["frequency_hz"].get<double>(), f, rate_tol / (2 * std::numbers::pi));
  EXPECT_NEAR(all.summary["growth_rate_per_s"].get<double>(), g, rate_tol);
  EXPECT_EQ(all.summary["direction"], one.summary["direction"]);
  std::printf("%s: 1 rank %.12f Hz, %+.12f /s; 2 ranks %.12f Hz, %+.12f /s; probe round-off %.1e, "
              "bound %.1e Hz, %.1e /s\n",
              tag.c_str(), f, g, all.summary["frequency_hz"].get<double>(), all.summary["growth_rate_per_s"].get<double>(),
              eps, rate_tol / (2 * std::numbers::pi), rate_tol);
}

TEST(PcContinuumRanks, Hierarchy1D) { expect_rank_independent("pc_continuum.yaml", "pc_continuum"); }

TEST(PcContinuumRanks, HierarchyLateral2D) { expect_rank_independent("pc_continuum_2d.yaml", "pc_continuum_2d"); }

}  // namespace
}  // namespace nf
