// When the chain's measured mode can be set beside the predicted one, and what
// summary.json says when it cannot: a free response agrees within the fit's spread
// and rk4's step error; a driven run, a transient-dominated window (64 layers) and a
// run with no mode at all say why not; a grid of 65 layers still has default probes.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>

#include <fmt/format.h>

#include "tests/support/rate_tolerance.h"
#include "tests/support/run_deck.h"

namespace nf {
namespace {

SimulationResult run_chain(std::vector<std::string> overrides, const std::string& tag) {
  overrides.insert(overrides.end(), {"output.vtk=false", "output.hdf5=false"});
  return test::run_deck_text(test::deck_text("pc_chain.yaml"), overrides, PETSC_COMM_WORLD, tag);
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The free 8-layer chain: the comparison applies and agrees, the difference within its
// tolerance, which holds at least rk4's error on the root at dt = 1 ms.
TEST(ChainComparison, FreeResponseAgreesWithinFitSpreadAndStepError) {
  const auto r = run_chain({"time.t_end=15"}, "comparison_free");
  ASSERT_TRUE(r.predicted && r.measured.found);
  ASSERT_TRUE(r.comparison.applies()) << r.comparison.not_applicable;
  const double rk4 = test::fixed_step_rate_tolerance(r.predicted->rate, 0.001, 4);
  EXPECT_GE(r.comparison.growth_tolerance_per_s, rk4);
  EXPECT_LE(std::abs(r.comparison.growth_difference_per_s), r.comparison.growth_tolerance_per_s);
  EXPECT_LE(std::abs(r.comparison.frequency_difference_hz), r.comparison.frequency_tolerance_hz);
  EXPECT_EQ(r.summary["comparison"]["agrees"], true);
  ASSERT_TRUE(r.measured.growth_uncertainty_per_s.has_value());
  // Windows of one free response agree far below rk4's error on the rate.
  EXPECT_LT(*r.measured.growth_uncertainty_per_s, rk4);
  EXPECT_EQ(r.measured.windows, 4);
}

// Sinusoidal drive at 10 Hz: the steady response is at the drive's frequency (1e-3, as
// the driven-chain test), not the free mode's, and the comparison says it does not apply.
TEST(ChainComparison, DrivenRunIsNotComparedWithTheFreeMode) {
  const auto r = run_chain({"input.type=sinusoid", "input.frequency=10", "time.t_end=6"}, "comparison_driven");
  ASSERT_TRUE(r.measured.found);
  EXPECT_NEAR(r.measured.frequency_hz / 10.0, 1.0, 1e-3);
  EXPECT_FALSE(r.comparison.applies());
  EXPECT_TRUE(has(r.comparison.not_applicable, "driven")) << r.comparison.not_applicable;
  EXPECT_EQ(r.summary["comparison"]["applies"], false);
  EXPECT_TRUE(r.summary["comparison"]["agrees"].is_null());
}

// 64 layers: the eigenvectors grow by sqrt(tau_D/tau) = 3.4 per layer and the transient
// is still sorting itself out over 1.5-6 s; its fitted growth (> 0) exceeds the
// rightmost root (< 0), which no asymptotic response of a linear system can. The
// windows disagree by more than 1e-3 of |lambda| and the comparison does not apply.
TEST(ChainComparison, TransientDominatedWindowIsNotCompared) {
  const auto r = run_chain({"model.layers=64", "time.t_end=6"}, "comparison_transient");
  ASSERT_TRUE(r.predicted && r.measured.found);
  EXPECT_LT(r.predicted->rate.real(), 0.0);
  EXPECT_GT(r.measured.growth_rate_per_s, r.predicted->rate.real());
  ASSERT_TRUE(r.measured.growth_uncertainty_per_s.has_value());
  EXPECT_GT(*r.measured.growth_uncertainty_per_s, 1e-3 * std::abs(r.predicted->rate));
  EXPECT_FALSE(r.comparison.applies());
  EXPECT_TRUE(has(r.comparison.not_applicable, "transient dominated")) << r.comparison.not_applicable;
}

// No drive and rest: the signals are exactly zero, so no mode; summary.json writes null
// and the reason, not 0.
TEST(ChainComparison, NoModeWritesNullAndAReason) {
  const auto r = run_chain({"input.type=none", "time.t_end=1"}, "comparison_none");
  EXPECT_FALSE(r.measured.found);
  EXPECT_TRUE(r.summary["frequency_hz"].is_null());
  EXPECT_TRUE(r.summary["growth_rate_per_s"].is_null());
  EXPECT_TRUE(r.summary["phase_lag_deg_per_layer"].is_null());
  EXPECT_FALSE(r.summary["no_mode_reason"].get<std::string>().empty());
  EXPECT_EQ(r.summary["comparison"]["applies"], false);
}

// 65 layers, more than the 64 layers probed everywhere: every second layer by default
// (evenly spaced, as the 2D-FFT direction needs), 0, 2, ..., 64: 33 probes.
TEST(ChainComparison, LargeChainHasEvenlySpacedDefaultProbes) {
  const auto r = run_chain({"model.layers=65", "time.t_end=0.5"}, "comparison_probes");
  ASSERT_EQ(r.probe_signals.size(), 33u);
  EXPECT_TRUE(r.summary["fw_bw_log_ratio"].is_number()) << r.summary["fw_bw_reason"];
  EXPECT_EQ(r.probe_times.size(), 501u);  // 500 steps of 1 ms and t = 0
}

}  // namespace
}  // namespace nf
