// Refined runs (ctest label "long", not in the default test command): the same
// analytical checks as tests/verification at finer steps and longer windows, with
// tolerances tightened accordingly.
//   ctest --preset release -L long
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdio>
#include <numbers>

#include <fmt/format.h>

#include "models/predictive_coding.h"
#include "tests/support/run_deck.h"

namespace nf {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;

// The 8-layer chain's least-damped mode (the rightmost root of its
// characteristic function, docs/theory.md) at
// dt = 0.25 ms over 12 s. rk4 shifts a root by about |lambda| (|lambda| dt)^4 / 120:
// for the dominant mode (|lambda| dt ~ 0.02) ~1e-9 relative; the matrix-pencil fit,
// with the faster modes gone by t_start = 3 s, adds ~1e-8. Frequency within 1e-7
// relative and growth within 1e-4 /s: 10^4 and 500 times tighter than the default
// suite's.
TEST(RefinedChain, LeastDampedModeToSevenDigits) {
  for (double db : {0.012, 0.0}) {
    const auto r = test::run_deck_text(
        test::deck_text("pc_chain.yaml"),
        {fmt::format("model.feedback_delay={}", db), "time.dt=0.00025", "time.t_end=12", "analysis.t_start=3",
         "output.vtk=false", "output.hdf5=false"},
        PETSC_COMM_WORLD, "refined_chain");
    PcParams p;
    p.feedback_delay = db;
    const PredictedMode predicted = pc_dominant_mode(p);
    const double f = std::abs(predicted.rate.imag()) / kTwoPi;
    ASSERT_TRUE(r.measured.found);
    EXPECT_NEAR(r.measured.frequency_hz, f, 1e-7 * f) << db;
    EXPECT_NEAR(r.measured.growth_rate_per_s, predicted.rate.real(), 1e-4) << db;
    std::printf("refined chain, feedback delay %g s: %.9f Hz, %+.8f /s; eq. (1.3) %.9f Hz, %+.8f /s\n", db,
                r.measured.frequency_hz, r.measured.growth_rate_per_s, f, predicted.rate.real());
  }
}

// The two-level model against its Lambert-W root (docs/theory.md) over
// a grid of delays, time constants and decays around the paper's values, damped and
// growing, at dt = 0.25 ms. Each run lasts long enough for about 25 periods or 12
// e-foldings, whichever is shorter. Same error budget as above: 1e-6 relative in
// frequency, 1e-3 /s in growth.
TEST(RefinedTwoLevel, LambertWOverAParameterGrid) {
  int runs = 0;
  for (double delay : {0.008, 0.012, 0.016})
    for (double tau : {0.012, 0.017, 0.025})
      for (double tau_d : {0.1, 0.2, std::numeric_limits<double>::infinity()}) {
        PcParams p;
        p.layers = 1;
        p.delay = p.feedback_delay = delay;
        p.tau = tau;
        p.tau_d = tau_d;
        const std::complex<double> w0 = pc_two_level_root(p, 0);
        const double f = std::abs(w0.imag()) / kTwoPi;
        const double t_end = std::clamp(std::min(25 / f, 12 / std::abs(w0.real())), 1.0, 4.0);
        const auto r = test::run_deck_text(
            test::deck_text("pc_two_level.yaml"),
            {fmt::format("model.delay={}", delay), fmt::format("model.tau={}", tau),
             std::isinf(tau_d) ? "model.tau_d=.inf" : fmt::format("model.tau_d={}", tau_d), "time.dt=0.00025",
             fmt::format("time.t_end={}", t_end), "analysis.t_start=0.15", "output.vtk=false",
             "output.hdf5=false"},
            PETSC_COMM_WORLD, "refined_two_level");
        ASSERT_TRUE(r.measured.found) << delay << " " << tau << " " << tau_d;
        EXPECT_NEAR(r.measured.frequency_hz, f, 1e-6 * f) << delay << " " << tau << " " << tau_d;
        EXPECT_NEAR(r.measured.growth_rate_per_s, w0.real(), 1e-3) << delay << " " << tau << " " << tau_d;
        std::printf("two-level %g %g %g: %.8f Hz %+.6f /s; Lambert W %.8f Hz %+.6f /s\n", delay, tau, tau_d,
                    r.measured.frequency_hz, r.measured.growth_rate_per_s, f, w0.real());
        ++runs;
      }
  EXPECT_EQ(runs, 27);
}

}  // namespace
}  // namespace nf
