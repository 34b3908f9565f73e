// Reaction-diffusion fronts against their closed forms, run through the shipped decks
// (input_decks/nagumo_front_1d.yaml, fisher_kpp_1d.yaml) with the assembled implicit
// diffusion (petsc arkimex3).
//   Nagumo: c = sqrt(2 D) (1/2 - a) and the profile 1 / (1 + exp(xi / sqrt(2 D)))
//     (Fife & McLeod 1977). The front is pushed and attracts step data exponentially:
//     fitted over t in [40, 80] s its speed is within 1e-6 of c with the deck's
//     fourth-order stencil at h = 0.05 m (the second-order one is 3e-5 slow).
//   Fisher-KPP from step data: pulled, x(t) = 2 sqrt(D r) t - (3/2) sqrt(D/r) ln t + ...
//     (Bramson 1983); the fit removes the log and the t^-1/2, t^-1 transients.
//   Fisher-KPP from the Ablowitz-Zeppetella wave (initial.type travelling_wave): it is
//     an exact solution, u = (1 + (sqrt 2 - 1) exp(z sqrt(r/D) / sqrt 6))^-2,
//     z = x - 5 sqrt(D r / 6) t, so it keeps its shape and speed with no transient.
//   Delayed growth r u(t - tau)(1 - u): c* the double root of
//     D mu^2 - c mu + r exp(-mu c tau) = 0 (Wu & Zou 2001).
//   Hutchinson r u (1 - u(t - tau)): u = 1 loses stability at r tau = pi/2; the
//     homogeneous perturbation v obeys v' = -r v(t - tau), lambda tau = W_0(-r tau).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "postprocess/matrix_pencil.h"
#include "solvers/stability/lambert_w.h"
#include "tests/support/run_deck.h"

namespace nf {
namespace {

SimulationResult run_deck(const std::string& deck, std::vector<std::string> overrides) {
  overrides.insert(overrides.end(), {"output.vtk=false", "output.hdf5=false"});
  return test::run_deck_text(test::deck_text(deck), overrides, PETSC_COMM_WORLD, "reaction_diffusion");
}

// The x (m) where u falls through 1/2, linear between cell centres (i + 1/2) h.
double half_crossing(const std::vector<double>& u, double h) {
  for (std::size_t i = u.size() - 1; i > 0; --i)
    if (u[i - 1] >= 0.5 && u[i] < 0.5) return (static_cast<double>(i) - 0.5 + (u[i - 1] - 0.5) / (u[i - 1] - u[i])) * h;
  return NAN;
}

struct NagumoCase {
  double diffusion, a, length;
  int cells;
};

class NagumoFront : public ::testing::TestWithParam<NagumoCase> {};

TEST_P(NagumoFront, SpeedAndProfileMatchExactFront) {
  const auto [d, a, length, cells] = GetParam();
  const double c = std::sqrt(2 * d) * (0.5 - a);
  const auto r = run_deck("nagumo_front_1d.yaml", {fmt::format("model.diffusion={}", d), fmt::format("model.a={}", a),
                                                   fmt::format("mesh.length=[{}]", length),
                                                   fmt::format("mesh.cells=[{}]", cells), "time.t_end=80"});
  ASSERT_TRUE(r.front_speed.has_value());
  std::printf("Nagumo D %g a %g: %.8f m/s, exact %.8f m/s, rel %.2e\n", d, a, *r.front_speed, c, *r.front_speed / c - 1);
  EXPECT_NEAR(*r.front_speed / c, 1.0, 1e-4);
  EXPECT_NEAR(r.summary["predicted"]["front_speed"].get<double>(), c, 1e-12);

  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  if (rank != 0) return;
  const double h = length / cells, x0 = half_crossing(r.final_state, h);
  ASSERT_TRUE(std::isfinite(x0));
  double worst = 0;
  for (std::size_t i = 0; i < r.final_state.size(); ++i) {
    const double xi = (static_cast<double>(i) + 0.5) * h - x0;
    if (std::abs(xi) < 15 * std::sqrt(2 * d))  // the front, away from the walls' exponentially small images
      worst = std::max(worst, std::abs(r.final_state[i] - 1 / (1 + std::exp(xi / std::sqrt(2 * d)))));
  }
  std::printf("  profile: largest |u - exact| %.2e\n", worst);
  EXPECT_LT(worst, 1e-4);
}

INSTANTIATE_TEST_SUITE_P(Nagumo, NagumoFront,
                         ::testing::Values(NagumoCase{1, 0.25, 80, 1600}, NagumoCase{4, 0.05, 200, 4000},
                                           NagumoCase{0.25, 0.45, 40, 800}),
                         [](const auto& info) { return fmt::format("case_{}", info.index); });

TEST(FisherKppFront, PulledSpeedFromStepDataMatchesSpreadingSpeed) {
  const auto r = run_deck("fisher_kpp_1d.yaml", {});
  ASSERT_TRUE(r.front_speed.has_value());
  std::printf("Fisher-KPP D = r = 1: %.8f m/s, 2 sqrt(D r) = 2, rel %.2e\n", *r.front_speed, *r.front_speed / 2 - 1);
  EXPECT_NEAR(*r.front_speed / 2, 1.0, 1e-3);
  EXPECT_DOUBLE_EQ(r.summary["front_drift"]["log_shift"].get<double>(), 1.5);
}

// Fourth-order stencil at h = 0.05 m and arkimex3 at dt = 0.05 s: the discrete wave's
// speed is within 2e-6 of 5 sqrt(D r / 6), so over 30 s its position moves by < 1e-4 m,
// and the profile stays within 1e-4 (|u'| <= 0.2 /m) of the exact one.
TEST(FisherKppFront, AblowitzZeppetellaWaveKeepsShapeAndSpeed) {
  const double d = 1, r = 1, t_end = 30, start = 20, c = 5 * std::sqrt(d * r / 6);
  const auto run = run_deck("fisher_kpp_1d.yaml", {"initial.type=travelling_wave", fmt::format("initial.position={}", start),
                                                   "model.stencil_order=4", fmt::format("time.t_end={}", t_end)});
  ASSERT_TRUE(run.front_speed.has_value());
  std::printf("Ablowitz-Zeppetella: %.8f m/s, exact %.8f m/s, rel %.2e\n", *run.front_speed, c, *run.front_speed / c - 1);
  EXPECT_NEAR(*run.front_speed / c, 1.0, 1e-5);
  EXPECT_NEAR(run.summary["predicted"]["front_speed"].get<double>(), c, 1e-12);
  EXPECT_FALSE(run.summary.contains("front_drift"));  // an exact wave has none
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  if (rank != 0) return;
  const double h = 150.0 / 3000;
  double worst = 0;
  for (std::size_t i = 0; i < run.final_state.size(); ++i) {
    const double z = (static_cast<double>(i) + 0.5) * h - start - c * t_end;
    const double e = (std::sqrt(2.0) - 1) * std::exp(z * std::sqrt(r / d) / std::sqrt(6.0));
    worst = std::max(worst, std::abs(run.final_state[i] - 1 / ((1 + e) * (1 + e))));
  }
  std::printf("  profile: largest |u - exact| %.2e\n", worst);
  EXPECT_LT(worst, 1e-4);
}

struct DelayedGrowthCase {
  double tau, speed;  // s; c* at D = r = 1 (m/s), the double root found independently
};

class DelayedGrowthFront : public ::testing::TestWithParam<DelayedGrowthCase> {};

TEST_P(DelayedGrowthFront, MinimalSpeedMatchesDoubleRoot) {
  const auto [tau, speed] = GetParam();
  const auto r = run_deck("fisher_kpp_1d.yaml", {fmt::format("model.delay={}", tau), "model.delay_form=growth"});
  ASSERT_TRUE(r.front_speed.has_value());
  const double predicted = r.summary["predicted"]["front_speed"].get<double>();
  std::printf("delayed growth tau %g: %.6f m/s, c* %.7f (model %.7f), rel %.2e\n", tau, *r.front_speed, speed, predicted,
              *r.front_speed / speed - 1);
  EXPECT_NEAR(predicted, speed, 1e-6);
  EXPECT_NEAR(*r.front_speed / speed, 1.0, 1e-2);
}

INSTANTIATE_TEST_SUITE_P(FisherKpp, DelayedGrowthFront,
                         ::testing::Values(DelayedGrowthCase{0.5, 1.4721992}, DelayedGrowthCase{1, 1.2548604},
                                           DelayedGrowthCase{2, 1.0329688}),
                         [](const auto& info) { return fmt::format("tau_{}", info.index); });

// The homogeneous rate about u = 1, fitted to (u - 1) at probe 0 after 20 s: the
// oscillating mode (Im lambda > 0) of largest amplitude. The noiseless pencil also
// resolves the constant offset and the quadratic term's harmonic 2 lambda (~1e-10).
std::complex<double> homogeneous_rate(const SimulationResult& r, double dt) {
  const auto first = std::lower_bound(r.probe_times.begin(), r.probe_times.end(), 20.0) - r.probe_times.begin();
  const auto stride = static_cast<std::size_t>(std::lround(0.1 / dt));
  std::vector<double> v;
  for (auto k = static_cast<std::size_t>(first); k < r.probe_times.size(); k += stride)
    v.push_back(r.probe_signals.at(0)[k] - 1);
  const double spacing = r.probe_times[first + stride] - r.probe_times[first];
  const auto modes = fit_matrix_pencil({v}, spacing, 1e-12, 6);
  std::complex<double> rate(NAN, NAN);
  double largest = 0;
  for (const auto& m : modes)
    if (m.rate.imag() > 0 && std::abs(m.amplitude.at(0)) > largest) {
      largest = std::abs(m.amplitude[0]);
      rate = m.rate;
    }
  return rate;
}

// r tau = (pi/2)(1 -+ 1e-3): Re lambda = -+4.5e-4 /s at r = 1. The perturbation 1e-5
// keeps the Hopf's cubic term (~1e-10 /s) far below that, and arkimex3 at dt = 0.01 s
// moves lambda by ~dt^3 |lambda|^4 = 1e-6 /s at most: 5e-6 /s is asserted.
TEST(HutchinsonUniformState, LosesStabilityAtHalfPi) {
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  const double dt = 0.01;
  for (const double side : {-1.0, 1.0}) {
    const double tau = M_PI / 2 * (1 + side * 1e-3);
    const std::complex<double> predicted = lambert_w(-tau) / tau;
    const auto r = run_deck("fisher_kpp_1d.yaml",
                            {fmt::format("model.delay={}", tau), "mesh.cells=[8]", "mesh.length=[8]",
                             "initial.position=100", "initial.amplitude=0.99999", "time.t_end=200",
                             fmt::format("time.dt={}", dt)});
    if (rank != 0) continue;
    const std::complex<double> measured = homogeneous_rate(r, dt);
    std::printf("Hutchinson r tau = %.6f: growth %+.6e /s, W_0 %+.6e /s; angular frequency %.9f, %.9f rad/s\n", tau,
                measured.real(), predicted.real(), measured.imag(), predicted.imag());
    EXPECT_EQ(measured.real() > 0, side > 0);
    EXPECT_NEAR(measured.real(), predicted.real(), 5e-6);
    EXPECT_NEAR(measured.imag(), predicted.imag(), 5e-6);
  }
}

}  // namespace
}  // namespace nf
