// The comparison of a measured mode with a predicted one (problem/mode_comparison.h) and
// the fit's refusals (postprocess/oscillation_fit.h), on synthetic inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>

#include "postprocess/oscillation_fit.h"
#include "problem/mode_comparison.h"

namespace nf {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;

OscillationSummary measured(double f, double g, double spread) {
  OscillationSummary m;
  m.found = true;
  m.frequency_hz = f;
  m.growth_rate_per_s = g;
  m.frequency_uncertainty_hz = spread;
  m.growth_uncertainty_per_s = spread;
  m.windows = 4;
  return m;
}

// rk4 at dt = 1 ms on lambda = -0.365 + 2 pi 13.01 i: |lambda| |lambda dt|^4 / 120 = 3.0e-5 /s.
const StepError kRk4{false, 4, 0.001, 0, 0, 0};
const PredictedMode kRoot{{-0.365, kTwoPi * 13.01}, "mode j = 8"};

TEST(OscillationComparison, ToleranceIsThreeSpreadsPlusStepError) {
  const double spread = 1e-5;
  const double step = kRk4.on_rate(kRoot.rate);
  EXPECT_NEAR(step, std::pow(std::abs(kRoot.rate), 5) * 1e-12 / 120, 1e-12 * step);
  const auto c = compare_modes(measured(13.01, -0.365, spread), kRoot, "", kRk4);
  ASSERT_TRUE(c.applies());
  EXPECT_NEAR(c.growth_tolerance_per_s, 3 * spread + step, 1e-15);
  EXPECT_NEAR(c.frequency_tolerance_hz, 3 * spread + step / kTwoPi, 1e-15);
}

// Half the tolerance off agrees; twice the tolerance off is flagged.
TEST(OscillationComparison, DisagreementBeyondTheToleranceIsFlagged) {
  const double spread = 1e-5, tol = 3 * spread + kRk4.on_rate(kRoot.rate);
  EXPECT_EQ(compare_modes(measured(13.01, -0.365 + 0.5 * tol, spread), kRoot, "", kRk4).agrees, true);
  const auto c = compare_modes(measured(13.01, -0.365 + 2 * tol, spread), kRoot, "", kRk4);
  EXPECT_EQ(c.agrees, false);
  EXPECT_NEAR(c.growth_difference_per_s, 2 * tol, 1e-12);
}

TEST(OscillationComparison, DrivenAndSpreadWindowsDoNotApply) {
  EXPECT_FALSE(compare_modes(measured(13.01, -0.365, 0), kRoot, "driven", kRk4).applies());
  // A spread of 1e-2 |lambda| is ten times the transient bound of 1e-3 |lambda|.
  const auto c = compare_modes(measured(13.01, -0.365, 1e-2 * std::abs(kRoot.rate)), kRoot, "", kRk4);
  EXPECT_FALSE(c.applies());
  EXPECT_FALSE(c.agrees.has_value());
}

// A non-finite sample after t_start: no mode, and the reason, not an exception.
TEST(OscillationComparison, NonFiniteSignalsGiveNoModeWithAReason) {
  std::vector<double> t(200), y(200);
  for (std::size_t k = 0; k < t.size(); ++k) {
    t[k] = 1e-3 * static_cast<double>(k);
    y[k] = std::cos(kTwoPi * 13 * t[k]);
  }
  y[150] = std::numeric_limits<double>::quiet_NaN();
  const auto m = measure_oscillation(t, {y}, {{0, 0, 0}}, 0.0);
  EXPECT_FALSE(m.found);
  EXPECT_NE(m.no_mode_reason.find("not finite"), std::string::npos) << m.no_mode_reason;
}

// A 40 Hz mode sampled at 1 ms over 60 s: 600 samples by plain stride (0.1 s, Nyquist
// 5 Hz) would fold it to 0 Hz; the fit keeps 8 samples per period and finds it to the
// pencil's precision (noise-free data: 1e-9 relative).
TEST(OscillationComparison, FastModeOverALongRunIsNotAliased) {
  const std::size_t n = 60001;
  std::vector<double> t(n), y(n);
  for (std::size_t k = 0; k < n; ++k) {
    t[k] = 1e-3 * static_cast<double>(k);
    y[k] = std::exp(-0.2 * t[k]) * std::cos(kTwoPi * 40 * t[k] + 0.3);
  }
  const auto m = measure_oscillation(t, {y}, {{0, 0, 0}}, 0.0);
  ASSERT_TRUE(m.found) << m.no_mode_reason;
  EXPECT_NEAR(m.frequency_hz, 40.0, 40.0 * 1e-9);
  EXPECT_NEAR(m.growth_rate_per_s, -0.2, 1e-7);
}

}  // namespace
}  // namespace nf
