// Dynamic instabilities of homogeneous states with distance-dependent delays, simulated
// with delay rings, against the exact polynomial dispersion relation (docs/theory.md,
// homogeneous states; F.M. Atay & A. Hutt, SIAM J Appl Math 65:644-666 (2005)):
//   (1 + d/dt)^2 u = int K(x - y) S(u(y, t - |x - y|/c)) dy + I,   c = 1 m/s,
// sigmoid S with threshold 0 and gain g = S'(0) = beta/4, u0 = 0 the state.
//  - Bulk Hopf (case C): K = -(1/2) e^{-|x|}, I = 1/2 (less the kernel's part beyond half
//    the 20 m ring, so that u0 = 0 exactly). At k = 0, (1 + lambda)^3 = -g:
//    g_c = 8, omega_c = sqrt 3 rad/s.
//  - Wave instability (case D): K = (1/4) e^{-|x|/2} - (1/2) e^{-|x|} (balanced inverse
//    Mexican hat, K^(0) = 0; I cancels the part beyond half the ring): g_c = 24.382575, k_c = 1.784046 rad/m,
//    omega_c = 1.616278 rad/s, on a ring of 11 critical wavelengths.
// Runs at g = 0.95 and 1.05 g_c. Asserted: the sign of the measured growth rate on both
// sides, the growth rate within 10 % of the predicted one (a rate ~6e-3 /s measured over
// 40 s of 1e-4 perturbations), and the frequency within 1e-3 relative of the predicted
// one. The discretisation errors are far below: h = 0.05 m, one ring per
// cell, each cell read at its own mean delay (lag spread h/c within a cell: relative
// O((lambda h/c)^2/24) = 3e-4 in the symbol), the source constant per cell
// (sinc(kh/2), 3e-4 in case D; applied to the prediction), rk4 at dt = 0.05 s.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numbers>

#include <fmt/format.h>

#include "models/homogeneous_stability.h"
#include "tests/support/run_deck.h"

namespace nf {
namespace {

constexpr double kPi = std::numbers::pi;

std::string deck(const std::string& kernel, double gain, double input, int cells, double length) {
  return fmt::format(R"(model:
  type: amari
  kernel: {kernel}
  firing: sigmoid
  threshold: 0
  steepness: {beta:.17g}
  input: {input:.17g}
  synapse_order: 2
  tau: 1.0
  conduction_velocity: 1.0
  delay_method: rings
mesh:
  cells: [{cells}]
  length: [{length:.17g}]
  boundary: [periodic]
time:
  t_end: 40
  dt: 0.05
  integrator: petsc
  method: rk4
output:
  vtk: false
  hdf5: false
  probes: [[0], [3], [17]]
analysis:
  t_start: 10
)",
                     fmt::arg("kernel", kernel), fmt::arg("beta", 4 * gain), fmt::arg("input", input),
                     fmt::arg("cells", cells), fmt::arg("length", length));
}

struct InstabilityCase {
  const char* name;
  double ratio;  // g / g_c
  bool wave;     // case D (else C)
};

class DelayedInstability : public ::testing::TestWithParam<InstabilityCase> {};

TEST_P(DelayedInstability, GrowthSignAndFrequencyMatchDispersionRelation) {
  const InstabilityCase c = GetParam();
  DelayedField field;
  field.synapse = {2, 1.0};
  field.velocity = 1.0;
  double gain = 0, k = 0, sinc = 1;
  std::string text;
  std::vector<std::string> overrides;
  if (c.wave) {
    field.kernel = {{TermShape::exponential, 1.0, 2.0}, {TermShape::exponential, -1.0, 1.0}};
    const CriticalPoint critical = critical_point(field, 4.0);
    ASSERT_NEAR(critical.gain, 24.382575, 1e-5);
    gain = c.ratio * critical.gain;
    k = critical.wavenumber;
    const double length = 11 * 2 * kPi / k;
    const int cells = 775;
    const double h = length / cells;
    sinc = std::sin(k * h / 2) / (k * h / 2);
    // I = -S(0) x (the kernel's integral over one period), so that u0 = 0 on the ring.
    const double integral = std::exp(-length / 2) - std::exp(-length / 4);
    text = deck("{type: exp_difference, a_e: 1, sigma_e: 2, a_i: 1, sigma_i: 1}", gain, -0.5 * integral, cells,
                length);
    overrides = {"initial.type=mode", "initial.amplitude=1e-4", fmt::format("initial.wavenumber={:.17g}", k)};
  } else {
    field.kernel = {{TermShape::exponential, -1.0, 1.0}};
    gain = c.ratio * 8;
    text = deck("{type: exponential, a: -1, sigma: 1}", gain, 0.5 * (1 - std::exp(-10.0)), 400, 20);
    overrides = {"initial.type=mode", "initial.amplitude=1e-4", "initial.wavenumber=0"};
  }
  const std::complex<double> lambda = rightmost_rate(field, gain * sinc, k);
  const auto r = test::run_deck_text(text, overrides, PETSC_COMM_WORLD, c.name);
  ASSERT_TRUE(r.measured.found);
  const double f = std::abs(lambda.imag()) / (2 * kPi);
  std::printf("%s: growth %+.6e /s (predicted %+.6e), frequency %.7f Hz (predicted %.7f, rel %.2e)\n", c.name,
              r.measured.growth_rate_per_s, lambda.real(), r.measured.frequency_hz, f,
              r.measured.frequency_hz / f - 1);
  EXPECT_EQ(r.measured.growth_rate_per_s > 0, c.ratio > 1);
  EXPECT_NEAR(r.measured.growth_rate_per_s, lambda.real(), 0.1 * std::abs(lambda.real()));
  EXPECT_NEAR(r.measured.frequency_hz / f, 1.0, 1e-3);
}

INSTANTIATE_TEST_SUITE_P(
    Rings, DelayedInstability,
    ::testing::Values(InstabilityCase{"bulk_hopf_below", 0.95, false}, InstabilityCase{"bulk_hopf_above", 1.05, false},
                      InstabilityCase{"wave_below", 0.95, true}, InstabilityCase{"wave_above", 1.05, true}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace nf
