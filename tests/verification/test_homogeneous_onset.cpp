// Onset of instability of homogeneous states, simulated, against the dispersion
// relations (docs/theory.md, homogeneous states; VERIFICATION section 4), no delay.
//
// Amari, wizard hat (case A: g_c = 1, k_c = 1) on a ring of 8 critical wavelengths,
// sigmoid firing with theta = 0 so u0 = 0 and g = S'(0) = beta/4: the k_c mode grows at
// lambda = (g w^(k_c) - 1)/tau. The grid convolution takes the source constant per cell,
// which multiplies w^ by sinc(kh/2) = 1 - (kh)^2/24 + O(h^4) (solvers/convolution/
// fft_convolution.h), so the measured rate may differ from the continuum lambda by
//   g w^(k) (kh)^2/24 / tau   (leading order; 4.2e-4 /s at kh = pi/32),
// plus rk4's rate error (tests/support/rate_tolerance.h; 1e-9 /s here). The tolerance is
// twice that leading term; beside it, the rate with the sinc factor applied must agree
// to a tenth of it.
//
// Wilson-Cowan, exponential kernels, tau_E = 1 s, tau_I = 2 s, w_II = 0, theta = 0 and
// inputs I_a that make (0, 0) the state: at k = 0, trace (w_EE g_E - 1) - 1/2 crosses 0
// at w_EE g_E = 3/2 with frequency sqrt((w_EI g_I w_IE g_E - 1/2)/2) = 1 rad/s: a bulk
// Hopf (at m = 2 it moves to w_EE = 0.5729490, 0.556 rad/s). Runs at w_EE = (1 +- 0.05)
// times it. The k = 0 mode has no spatial error (the cell weights sum to the kernel's
// integral); a k != 0 mode (damped, oscillatory) carries the sinc factor above on every
// kernel, i.e. on M(k); the sigmoid's cubic term moves the rate by the amplitude squared
// (below). Frequencies: 1e-3 relative (VERIFICATION 4c/4d); rates: the rk4
// bound plus twice the rate shift the sinc factor makes, and within a tenth of that shift
// of the rate with the factor applied.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numbers>

#include <fmt/format.h>

#include "models/homogeneous_stability.h"
#include "tests/support/rate_tolerance.h"
#include "tests/support/run_deck.h"

namespace nf {
namespace {

constexpr double kPi = std::numbers::pi;

// --- Amari: Turing onset ---------------------------------------------------------------
struct OnsetCase {
  double gain_ratio;  // g / g_c
  int order = 1;      // m: (1 + tau d/dt)^m u = input, the same onset (Atay & Hutt)
};

class TuringOnset : public ::testing::TestWithParam<OnsetCase> {};

TEST_P(TuringOnset, GrowthOfCriticalModeMatchesDispersionRelation) {
  const double g = GetParam().gain_ratio * 1.0, kc = 1.0, cells = 512, length = 16 * kPi, dt = 0.05;
  const double h = length / cells, what = 4 * kc * kc / std::pow(1 + kc * kc, 2);
  const auto r = test::run_deck_text(
      test::deck_text("turing_1d.yaml"),
      {fmt::format("model.steepness={}", 4 * g), fmt::format("model.synapse_order={}", GetParam().order),
       "initial.type=mode", "initial.amplitude=1e-4",
       fmt::format("initial.wavenumber={:.17g}", kc), fmt::format("mesh.cells=[{}]", cells), "time.t_end=40",
       fmt::format("time.dt={}", dt), "output.probes=[[0], [5], [11], [100]]", "analysis.predicted_mode_limit=1000",
       "output.vtk=false", "output.hdf5=false"},
      PETSC_COMM_WORLD, "turing_onset");
  const SynapticResponse synapse{GetParam().order, 1.0};
  const double lambda = undelayed_rate(synapse, g * what).real();
  const double sinc = std::sin(kc * h / 2) / (kc * h / 2), lambda_h = undelayed_rate(synapse, g * what * sinc).real();
  const double spatial = std::abs(lambda_h - lambda);  // g w^ (kh)^2/24 to leading order at m = 1
  const double tol = 2 * spatial + test::fixed_step_rate_tolerance(lambda, dt, 4);
  ASSERT_TRUE(r.measured.found);
  ASSERT_TRUE(r.predicted.has_value());
  std::printf("Turing onset m = %d, g = %.3f g_c: measured %+.6e /s, continuum %+.6e /s, with sinc %+.6e /s, tol %.2e\n",
              GetParam().order, GetParam().gain_ratio, r.measured.growth_rate_per_s, lambda, lambda_h, tol);
  EXPECT_EQ(r.measured.growth_rate_per_s > 0, GetParam().gain_ratio > 1);
  EXPECT_NEAR(r.measured.growth_rate_per_s, lambda, tol);
  EXPECT_NEAR(r.measured.growth_rate_per_s, lambda_h, 0.1 * spatial);
  EXPECT_NEAR(r.predicted->rate.real(), lambda, 1e-12);  // the model's fastest grid mode is k_c
  EXPECT_NEAR(r.measured.frequency_hz, 0.0, 1e-9);
}

INSTANTIATE_TEST_SUITE_P(WizardHat, TuringOnset,
                         ::testing::Values(OnsetCase{0.95}, OnsetCase{1.05}, OnsetCase{0.95, 2}, OnsetCase{1.05, 2}),
                         [](const auto& info) {
                           return fmt::format("{}_m{}", info.param.gain_ratio < 1 ? "below" : "above", info.param.order);
                         });

// --- Wilson-Cowan: bulk Hopf -------------------------------------------------------------
// (0, 0) is the state when I_E = -(w_EE - w_EI)/2, I_I = -(w_IE - w_II)/2 (f(0) = 1/2).
std::string wilson_cowan_deck(double w_ee, int order) {
  return fmt::format(R"(model:
  type: wilson_cowan
  kernel_ee: {{type: exponential, sigma: 1.0}}
  kernel_ei: {{type: exponential, sigma: 2.0}}
  kernel_ie: {{type: exponential, sigma: 1.5}}
  kernel_ii: {{type: exponential, sigma: 1.0}}
  w_ee: {w_ee}
  w_ei: 2.5
  w_ie: 1.0
  w_ii: 0
  tau_e: 1.0
  tau_i: 2.0
  gain_e: 4
  gain_i: 4
  input_e: {input_e}
  input_i: -0.5
  synapse_order: {order}
mesh:
  cells: [256]
  length: [80]
  boundary: [periodic]
time:
  t_end: 40
  dt: 0.02
  integrator: petsc
  method: rk4
output:
  vtk: false
  hdf5: false
  probes: [[0], [7], [30]]
analysis:
  predicted_mode_limit: 1000
)",
                     fmt::arg("w_ee", w_ee), fmt::arg("input_e", -(w_ee - 2.5) / 2), fmt::arg("order", order));
}

// The bulk-Hopf strength: w_EE at which Re lambda(k = 0) = 0, by bisection on the
// dispersion relation (3/2 at m = 1; 0.5729490 at m = 2).
double hopf_strength(int order) {
  double lo = 0.1, hi = 3;
  while (hi - lo > 1e-14) {
    const double mid = 0.5 * (lo + hi);
    const auto l = two_population_roots({order, 1.0}, {order, 0.5}, {mid, -2.5, 1.0, 0.0}).front();
    (l.real() > 0 ? hi : lo) = mid;
  }
  return 0.5 * (lo + hi);
}

struct HopfCase {
  double ratio;      // w_EE / its bulk-Hopf value (g_E = 1)
  int mode;          // n: k = 2 pi n/L
  int order = 1;     // m
};

class WilsonCowanHopf : public ::testing::TestWithParam<HopfCase> {};

TEST_P(WilsonCowanHopf, ModeMatchesDispersionRelation) {
  const auto c = GetParam();
  const double w_ee = c.ratio * hopf_strength(c.order);
  const double length = 80, cells = 256, h = length / cells, dt = 0.02, k = 2 * kPi * c.mode / length;
  const auto r = test::run_deck_text(wilson_cowan_deck(w_ee, c.order),
                                     {"initial.type=mode", "initial.amplitude=1e-4",
                                      fmt::format("initial.wavenumber={:.17g}", k),
                                      fmt::format("time.t_end={}", c.order == 1 ? 40 : 60)},
                                     PETSC_COMM_WORLD, "wc_hopf");
  // M(k) = [[w_EE K_EE g_E, -w_EI K_EI g_I], [w_IE K_IE g_E, 0]], K^ = 1/(1 + s^2 k^2), g = 1.
  const auto K = [k](double s) { return 1 / (1 + s * s * k * k); };
  const std::array<double, 4> m{w_ee * K(1.0), -2.5 * K(2.0), 1.0 * K(1.5), 0.0};
  const SynapticResponse e{c.order, 1.0}, i{c.order, 0.5};
  const std::complex<double> lambda = two_population_roots(e, i, m).front();
  // Every kernel's symbol carries the same sinc(kh/2): M scaled by it.
  const double sinc = c.mode == 0 ? 1.0 : std::sin(k * h / 2) / (k * h / 2);
  const std::complex<double> lambda_h =
      two_population_roots(e, i, {m[0] * sinc, m[1] * sinc, m[2] * sinc, m[3] * sinc}).front();
  const double spatial = std::abs(lambda_h.real() - lambda.real()), rk4 = test::fixed_step_rate_tolerance(lambda, dt, 4);
  // The sigmoid's cubic term: f'(u) = (beta/4)(1 - beta^2 u^2/4 + ...), so a mode of
  // amplitude A lowers the mean gain by beta^2 A^2/8 relative; the rate moves by that
  // times d lambda/d ln g (M scaled by 1 + eps).
  const double eps = 1e-6, t_end = c.order == 1 ? 40 : 60, amplitude = 1e-4 * std::exp(std::max(0.0, lambda.real()) * t_end);
  const double dlambda = std::abs(two_population_roots(e, i, {m[0] * (1 + eps), m[1] * (1 + eps), m[2] * (1 + eps),
                                                             m[3] * (1 + eps)}).front().real() - lambda.real()) / eps;
  const double nonlinear = 16.0 * amplitude * amplitude / 8 * dlambda;  // beta = 4
  const double tol = rk4 + nonlinear + 2 * spatial;
  ASSERT_TRUE(r.measured.found);
  std::printf("Wilson-Cowan m = %d, w_EE %.6f, k %.4f: measured %+.6e /s, %.8f Hz; predicted %+.6e /s, %.8f Hz; "
              "with sinc %+.6e /s\n",
              c.order, w_ee, k, r.measured.growth_rate_per_s, r.measured.frequency_hz, lambda.real(),
              lambda.imag() / (2 * kPi), lambda_h.real());
  EXPECT_NEAR(r.measured.growth_rate_per_s, lambda.real(), tol);
  EXPECT_NEAR(r.measured.growth_rate_per_s, lambda_h.real(), rk4 + nonlinear + 0.1 * spatial);
  EXPECT_NEAR(r.measured.frequency_hz / (std::abs(lambda.imag()) / (2 * kPi)), 1.0, 1e-3);
  if (c.mode == 0) {
    EXPECT_EQ(r.measured.growth_rate_per_s > 0, c.ratio > 1);
    ASSERT_TRUE(r.predicted.has_value());  // the model's prediction: the bulk mode is the fastest
    EXPECT_NEAR(std::abs(r.predicted->rate - std::complex<double>(lambda.real(), std::abs(lambda.imag()))), 0, 1e-12);
  }
}

INSTANTIATE_TEST_SUITE_P(BulkHopf, WilsonCowanHopf,
                         ::testing::Values(HopfCase{0.95, 0}, HopfCase{1.05, 0}, HopfCase{1.05, 3},
                                           HopfCase{0.95, 0, 2}, HopfCase{1.05, 0, 2}, HopfCase{1.05, 3, 2}),
                         [](const auto& info) {
                           return fmt::format("{}_k{}_m{}", info.param.ratio < 1 ? "below" : "above", info.param.mode,
                                              info.param.order);
                         });

}  // namespace
}  // namespace nf
