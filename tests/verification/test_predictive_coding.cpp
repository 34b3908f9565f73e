// Predictive-coding chain against its analytical results (docs/verification.md, the
// chain): the measured least-damped mode of the free response against the rightmost
// root of the characteristic equation of its Dirichlet modes, the two-level model
// against Lambert W, the driven chain against its transfer function, and the ring
// against the lattice dispersion relation. Every prediction is computed from the
// formula at the run's parameters, not copied; every rate tolerance is the rk4 error
// at the run's step (tests/support/rate_tolerance.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numbers>

#include <fmt/format.h>

#include "models/predictive_coding.h"
#include "solvers/stability/complex_roots.h"
#include "tests/support/rate_tolerance.h"
#include "tests/support/run_deck.h"

namespace nf {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;

double frequency_of(std::complex<double> l) { return std::abs(l.imag()) / kTwoPi; }

// The fitted mode against a root, within rk4's error on that root at step dt (the fit
// itself adds nothing visible: its error falls 16-fold per halving of dt with rk4).
void expect_mode_near(const OscillationSummary& measured, std::complex<double> root, double dt) {
  const double tol = test::fixed_step_rate_tolerance(root, dt, 4);
  EXPECT_NEAR(measured.growth_rate_per_s, root.real(), tol);
  EXPECT_NEAR(measured.frequency_hz, frequency_of(root), test::frequency_tolerance(tol));
  std::printf("  |growth error| %.2e /s, |frequency error| %.2e Hz; rk4 bound at dt = %g s: %.2e /s, %.2e Hz\n",
              std::abs(measured.growth_rate_per_s - root.real()), std::abs(measured.frequency_hz - frequency_of(root)),
              dt, tol, test::frequency_tolerance(tol));
}

PcParams chain_params(double feedback_delay) {
  PcParams p;
  p.feedback_delay = feedback_delay;
  return p;
}

// --- free response of the 8-layer open chain -------------------------------------
struct ChainCase {
  double feedback_delay;  // s
};

class ChainFreeResponse : public ::testing::TestWithParam<ChainCase> {};

TEST_P(ChainFreeResponse, LeastDampedModeMatchesCharacteristicEquation) {
  const double db = GetParam().feedback_delay;
  const auto r = test::run_deck_text(test::deck_text("pc_chain.yaml"),
                                     {fmt::format("model.feedback_delay={}", db), "time.method=rk4",
                                      "time.dt=0.001", "output.vtk=false", "output.hdf5=false"},
                                     PETSC_COMM_WORLD, "chain_free");
  const PredictedMode predicted = pc_dominant_mode(chain_params(db));
  ASSERT_TRUE(r.measured.found);
  std::printf("chain, feedback delay %g s: measured %.6f Hz, %+.6f /s; characteristic root %.6f Hz, %+.6f /s\n", db,
              r.measured.frequency_hz, r.measured.growth_rate_per_s, frequency_of(predicted.rate),
              predicted.rate.real());
  expect_mode_near(r.measured, predicted.rate, 0.001);
}

INSTANTIATE_TEST_SUITE_P(FeedbackDelay, ChainFreeResponse,
                         ::testing::Values(ChainCase{0.012}, ChainCase{0.0}),
                         [](const auto& info) { return info.param.feedback_delay > 0 ? "delayed" : "undelayed"; });

// --- two-level model: Lambert W ----------------------------------------------------
struct TwoLevelCase {
  double delay, tau, tau_d;  // s
};

class TwoLevel : public ::testing::TestWithParam<TwoLevelCase> {};

TEST_P(TwoLevel, ImpulseResponseMatchesLambertW) {
  const auto c = GetParam();
  const auto r = test::run_deck_text(test::deck_text("pc_two_level.yaml"),
                                     {fmt::format("model.delay={}", c.delay), fmt::format("model.tau={}", c.tau),
                                      std::isinf(c.tau_d) ? "model.tau_d=.inf" : fmt::format("model.tau_d={}", c.tau_d),
                                      "time.method=rk4", "time.dt=0.0005", "output.vtk=false", "output.hdf5=false"},
                                     PETSC_COMM_WORLD, "two_level");
  PcParams p;
  p.layers = 1;
  p.delay = p.feedback_delay = c.delay;
  p.tau = c.tau;
  p.tau_d = c.tau_d;
  const std::complex<double> w0 = pc_two_level_root(p, 0);
  ASSERT_TRUE(r.measured.found);
  std::printf("two-level, delay %g s, tau %g s, tau_d %g s: measured %.6f Hz, %+.6f /s; Lambert W %.6f Hz, %+.6f /s\n",
              c.delay, c.tau, c.tau_d, r.measured.frequency_hz, r.measured.growth_rate_per_s, frequency_of(w0),
              w0.real());
  expect_mode_near(r.measured, w0, 0.0005);
}

INSTANTIATE_TEST_SUITE_P(Parameters, TwoLevel,
                         ::testing::Values(TwoLevelCase{0.012, 0.017, 0.2},
                                           TwoLevelCase{0.012, 0.017, std::numeric_limits<double>::infinity()},
                                           TwoLevelCase{0.010, 0.020, 0.1}, TwoLevelCase{0.0123, 0.015, 0.5}));

// --- driven chain: transfer function -------------------------------------------------
// y_0 = sin(w t) gives y_L -> |H_L| sin(w t + arg H_L) once the free response (slowest
// decay 0.365 /s) has died out; project onto sin and cos over whole periods at the end.
TEST(DrivenChain, SteadyResponseMatchesTransferFunction) {
  const double f = 10.0, t_end = 30.0;
  const auto r = test::run_deck_text(test::deck_text("pc_chain.yaml"),
                                     {"input.type=sinusoid", fmt::format("input.frequency={}", f), "input.onset=0",
                                      fmt::format("time.t_end={}", t_end), "output.vtk=false", "output.hdf5=false"},
                                     PETSC_COMM_WORLD, "driven");
  const PcParams p = chain_params(0.012);
  const double w = kTwoPi * f;
  const double window = 1.0;  // s, ten periods
  for (int layer = 1; layer <= p.layers; ++layer) {
    const auto& y = r.probe_signals[layer - 1];
    double s = 0, co = 0;
    std::size_t n = 0;
    for (std::size_t k = 0; k + 1 < r.probe_times.size(); ++k) {
      const double t = r.probe_times[k];
      if (t < t_end - window - 1e-9) continue;
      s += y[k] * std::sin(w * t);
      co += y[k] * std::cos(w * t);
      ++n;
    }
    const std::complex<double> measured = 2.0 * std::complex<double>(s, co) / static_cast<double>(n);
    const std::complex<double> h = pc_transfer(p, w, layer);
    // The leftover transient is e^{-0.365 * 29} ~ 3e-5 of its start: 1e-3 relative in
    // H holds, so 1e-3 in |H| and 1e-3 rad in arg H.
    EXPECT_NEAR(std::abs(measured), std::abs(h), 1e-3 * std::abs(h)) << "layer " << layer;
    const double phase_error = std::remainder(std::arg(measured) - std::arg(h), kTwoPi) * 180 / std::numbers::pi;
    EXPECT_NEAR(phase_error, 0.0, 1e-3 * 180 / std::numbers::pi) << "layer " << layer;
    std::printf("driven chain, layer %d: |H| measured %.6e, transfer function %.6e (rel. %.1e); phase error %+.4f deg\n",
                layer, std::abs(measured), std::abs(h), std::abs(std::abs(measured) / std::abs(h) - 1), phase_error);
  }
}

// --- periodic ring: lattice dispersion relation --------------------------------------
class Ring : public ::testing::TestWithParam<double> {};

TEST_P(Ring, ModeGrowsAtLatticeRate) {
  const double db = GetParam();
  const double q = std::numbers::pi / 4;
  const auto r = test::run_deck_text(test::deck_text("pc_chain.yaml"),
                                     {"model.boundary=periodic", fmt::format("model.feedback_delay={}", db),
                                      "input.type=none", "initial.type=mode", fmt::format("initial.wavenumber={}", q),
                                      "initial.amplitude=1e-3", "time.t_end=1.2", "analysis.t_start=0.4",
                                      "time.method=rk4", "time.dt=0.001", "output.vtk=false", "output.hdf5=false"},
                                     PETSC_COMM_WORLD, "ring");
  PcParams p = chain_params(db);
  p.periodic = true;
  const auto root = rightmost_root([&](std::complex<double> l) { return pc_lattice_function(p, q, l); },
                                   [&](std::complex<double> l) { return pc_lattice_derivative(p, q, l); },
                                   {-300, 300, -600, 600, 40, 80});
  ASSERT_TRUE(r.measured.found);
  std::printf("ring q = pi/4, feedback delay %g s: measured %+.6f /s, %.6f Hz; lattice root %+.6f /s, %.6f Hz\n", db,
              r.measured.growth_rate_per_s, r.measured.frequency_hz, root.real(), frequency_of(root));
  expect_mode_near(r.measured, root, 0.001);
}

INSTANTIATE_TEST_SUITE_P(FeedbackDelay, Ring, ::testing::Values(0.012, 0.0));

}  // namespace
}  // namespace nf

namespace nf {
namespace {

// Driving the bottom makes the phase lag grow with the layer (a forward wave); driving
// the top reverses it. The steady 10 Hz response is the least
// damped component of the fit (growth 0 against -0.365 /s for the free modes). For the
// bottom drive its per-layer lag is the weighted circular mean of arg H_L - arg H_{L+1}
// from the transfer function, weights min(|H_L|, |H_{L+1}|) as in the summary; pair lags lie in
// 68..102 deg either way.
class DrivenDirection : public ::testing::TestWithParam<const char*> {};

TEST_P(DrivenDirection, PhaseLagSignGivesDirection) {
  const std::string at = GetParam();
  const auto r = test::run_deck_text(test::deck_text("pc_chain.yaml"),
                                     {"input.type=sinusoid", "input.frequency=10", "input.onset=0", "input.at=" + at,
                                      "time.t_end=12", "analysis.t_start=6", "time.method=rk4", "time.dt=0.001",
                                      "output.vtk=false", "output.hdf5=false"},
                                     PETSC_COMM_WORLD, "direction");
  ASSERT_TRUE(r.measured.found);
  // The steady response is the mode lambda = 2 pi i 10 /s, exact but for time stepping.
  expect_mode_near(r.measured, {0.0, kTwoPi * 10}, 0.001);
  EXPECT_EQ(r.measured.direction, at == "bottom" ? "forward" : "backward");
  EXPECT_GT(std::abs(r.measured.phase_lag_deg_per_layer), 68.0);
  EXPECT_LT(std::abs(r.measured.phase_lag_deg_per_layer), 102.0);
  if (at != "bottom") return;
  const PcParams p = chain_params(0.012);
  std::complex<double> sum = 0;
  for (int layer = 1; layer < p.layers; ++layer) {
    const auto h0 = pc_transfer(p, kTwoPi * 10, layer), h1 = pc_transfer(p, kTwoPi * 10, layer + 1);
    sum += std::min(std::abs(h0), std::abs(h1)) * std::polar(1.0, std::arg(h0) - std::arg(h1));
  }
  // Each layer's H to 1e-3 relative (as in the driven-chain test): a pair's lag to 2e-3 rad.
  EXPECT_NEAR(r.measured.phase_lag_deg_per_layer, std::arg(sum) * 180 / std::numbers::pi, 2e-3 * 180 / std::numbers::pi);
  std::printf("driven at the bottom, 10 Hz: phase lag %.4f deg/layer, transfer function %.4f\n",
              r.measured.phase_lag_deg_per_layer, std::arg(sum) * 180 / std::numbers::pi);
}

INSTANTIATE_TEST_SUITE_P(InputSite, DrivenDirection, ::testing::Values("bottom", "top"));

}  // namespace
}  // namespace nf
