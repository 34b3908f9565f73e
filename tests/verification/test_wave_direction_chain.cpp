// fw_bw_log_ratio (postprocess/wave_direction.h) of the 8-layer predictive-coding chain
// driven by a 10 Hz sinusoid, against the steady response of its transfer function.
//
// Expected value. Driven at the bottom by sin(w t), the chain settles to
// y_L(t) = Im(H_L e^{i w t}) (pc_transfer, docs/theory.md); the same map sampled at the
// run's D over the run's window, through wave_direction, is the expected ratio
// (0.4976: the forward quadrant holds e^0.4976 = 1.64 times the backward power).
//
// Tolerance. What the run adds to the steady map:
//  - the switch-on transient, a sum of free modes decaying at least as fast as the least
//    damped one, gamma = -Re lambda_8 = 0.365 /s. At the onset the free response cancels
//    the driven one (the chain starts at rest), so its amplitude relative to the driven
//    response is ~1 there and its power fraction over [t_s, t_s + T] is at most
//    e^{-2 gamma t_s} (1 - e^{-2 gamma T}) / (2 gamma T). Added to the quadrants in any
//    proportion it moves ln(P_fw/P_bw) by at most that fraction times
//    (P_fw + P_bw) / P_bw = 1 + e^{ratio};
//  - rk4's amplitude error per layer, |w dt|^4 / 120 relative, at most twice that on a
//    power and twice again on the log of a ratio of powers.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdio>
#include <numbers>

#include "models/predictive_coding.h"
#include "postprocess/wave_direction.h"
#include "tests/support/run_deck.h"

namespace nf {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;

SimulationResult run_driven(const std::string& at, double t_start, double t_end) {
  return test::run_deck_text(test::deck_text("pc_chain.yaml"),
                             {"input.type=sinusoid", "input.frequency=10", "input.onset=0", "input.at=" + at,
                              "time.t_end=" + std::to_string(t_end), "analysis.t_start=" + std::to_string(t_start),
                              "time.method=rk4", "time.dt=0.001", "output.vtk=false", "output.hdf5=false"},
                             PETSC_COMM_WORLD, "wave_direction_" + at);
}

TEST(ChainWaveDirection, DrivenAtTheBottomMatchesTheTransferFunction) {
  const double t_start = 16, window = 5, dt = 0.001, w = kTwoPi * 10;
  const SimulationResult r = run_driven("bottom", t_start, t_start + window);
  ASSERT_TRUE(r.wave.log_ratio) << r.wave.reason;
  ASSERT_EQ(r.wave.segments, 1u);
  // The run's samples: t0 (the first step at or after t_start) + n D.
  std::size_t first = 0;
  while (r.probe_times[first] < t_start) ++first;
  const double t0 = r.probe_times[first], d = r.wave.sample_interval_s;
  const PcParams p;  // the defaults are pc_chain.yaml's parameters
  std::vector<std::vector<double>> steady(p.layers, std::vector<double>(r.wave.samples));
  for (int layer = 1; layer <= p.layers; ++layer) {
    const std::complex<double> h = pc_transfer(p, w, layer);
    for (std::size_t n = 0; n < r.wave.samples; ++n)
      steady[layer - 1][n] = std::imag(h * std::polar(1.0, w * (t0 + d * static_cast<double>(n))));
  }
  const WaveDirection expected = wave_direction(steady);
  ASSERT_TRUE(expected.log_ratio);
  const double gamma = -pc_dominant_mode(p).rate.real();
  const double transient = std::exp(-2 * gamma * t_start) * (1 - std::exp(-2 * gamma * window)) / (2 * gamma * window);
  const double step = 4 * std::pow(w * dt, 4) / 120;
  const double tolerance = transient * (1 + std::exp(*expected.log_ratio)) + step;
  std::printf("driven at the bottom, 10 Hz, window [%g, %g] s: fw_bw_log_ratio %.9f, transfer function %.9f, "
              "tolerance %.2g\n",
              t_start, t_start + window, *r.wave.log_ratio, *expected.log_ratio, tolerance);
  EXPECT_NEAR(*r.wave.log_ratio, *expected.log_ratio, tolerance);
  EXPECT_GT(*r.wave.log_ratio, 0.0);
  EXPECT_EQ(r.summary["fw_bw_log_ratio"].get<double>(), *r.wave.log_ratio);
  EXPECT_EQ(r.summary["fw_bw_direction"], r.wave.direction);
}

// Driven at the top the wave runs down the chain (the phase-lag test in
// test_predictive_coding.cpp finds -68..-102 deg per layer): the backward quadrant wins.
TEST(ChainWaveDirection, DrivenAtTheTopIsBackward) {
  const SimulationResult r = run_driven("top", 6, 11);
  ASSERT_TRUE(r.wave.log_ratio) << r.wave.reason;
  std::printf("driven at the top, 10 Hz: fw_bw_log_ratio %.6f\n", *r.wave.log_ratio);
  EXPECT_LT(*r.wave.log_ratio, 0.0);
}

}  // namespace
}  // namespace nf
