// Predictive-coding continuum (models/predictive_coding_continuum.h) against its
// analytical results: a seeded mode of the periodic hierarchy against the rightmost
// root of the dispersion relation (pc_continuum_root), the second-order convergence of
// the cell-integrated kernels, the input below xi = 0 against the uniform steady
// state it must hold, and the sigma -> 0 limit on one cell per layer against the chain
// (its characteristic root and its run, driven at the bottom and at the top), and a
// periodic lateral axis against the 1D hierarchy. Every prediction is computed from the
// formula at the run's parameters, not copied.
//
// The discrete symbol. y is constant on cells of size dx = 1/cells_per_layer and each
// kernel is integrated exactly over the source cell, so the weights are the samples at
// the cell spacing of w * box_dx (box_dx the indicator of a cell over dx). By Poisson
// summation their symbol is
//   W_d(q) = sum_n w^(q + 2 pi n/dx) sinc((q + 2 pi n/dx) dx/2),   sinc(s) = sin(s)/s.
// The n = 0 term is w^(q) sinc(q dx/2) = w^(q) (1 - (q dx)^2/24 + O((q dx)^4)); the
// others (aliases) are below A = 2 e^{-sigma^2 ((2 pi/dx - |q|)^2 - q^2)/2} of it.
// The sinc multiplies the Gaussian damping e^{-sigma^2 q^2/2}, so without the aliases
// the grid's root is the continuum root at the width
//   sigma_d^2 = sigma^2 - 2 ln(sinc(q dx/2))/q^2 = sigma^2 + dx^2/12 + O(dx^4),
// and its distance from the continuum root falls as dx^2 (discrete_root below).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <cstdio>
#include <limits>
#include <numbers>

#include <fmt/format.h>

#include "models/predictive_coding.h"
#include "models/predictive_coding_continuum.h"
#include "solvers/stability/complex_roots.h"
#include "tests/support/rate_tolerance.h"
#include "tests/support/run_deck.h"

namespace nf {
namespace {

using cd = std::complex<double>;
constexpr double kTwoPi = 2 * std::numbers::pi;
constexpr double kDt = 0.001;  // s, every run's rk4 step

double frequency_of(cd l) { return std::abs(l.imag()) / kTwoPi; }

// The largest |a - b| over every probe and step of two runs with the same probes and
// steps, and the largest |b| (its scale).
std::pair<double, double> signal_gap(const SimulationResult& a, const SimulationResult& b) {
  double largest = 0, scale = 0;
  for (std::size_t c = 0; c < b.probe_signals.size(); ++c)
    for (std::size_t k = 0; k < b.probe_times.size(); ++k) {
      scale = std::max(scale, std::abs(b.probe_signals[c][k]));
      largest = std::max(largest, std::abs(a.probe_signals[c][k] - b.probe_signals[c][k]));
    }
  return {largest, scale};
}

// The root on the grid of `cells` cells per layer, aliases left out.
cd discrete_root(PcContinuumParams p, double q, int cells) {
  const double s = q / (2.0 * cells);
  p.kernel_width = std::sqrt(p.kernel_width * p.kernel_width - 2 * std::log(std::sin(s) / s) / (q * q));
  return pc_continuum_root(p, q, 0);
}

// How far the aliases may move the grid's root: the shift of the root when ln W_d
// moves by A (header), that is sigma_d^2 by 2 A/q^2.
double alias_shift(PcContinuumParams p, double q, int cells) {
  const double far = kTwoPi * cells - std::abs(q), sigma = p.kernel_width;
  const double a = 2 * std::exp(-0.5 * sigma * sigma * (far * far - q * q));
  const cd r = discrete_root(p, q, cells);
  p.kernel_width = std::sqrt(sigma * sigma + 2 * a / (q * q));
  return std::abs(discrete_root(p, q, cells) - r);
}

struct ModeCase {
  int layers, m;        // q = 2 pi m / layers
  double sigma, h, db;  // layers, layers, s
  int cells;            // per layer
  const char* name;
};

std::vector<std::string> periodic_mode_overrides(const ModeCase& c, double q, int cells, double dt) {
  return {fmt::format("model.layers={}", c.layers), "model.boundary=periodic",
          fmt::format("model.kernel_width={}", c.sigma), fmt::format("model.spacing={}", c.h),
          fmt::format("model.feedback_delay={}", c.db), fmt::format("model.cells_per_layer={}", cells),
          "input.type=none", "initial.type=mode", "initial.amplitude=1e-3",
          fmt::format("initial.wavenumber={:.17g}", q), "time.t_end=1.5", "analysis.t_start=0.5", "time.method=rk4",
          fmt::format("time.dt={}", dt), "output.vtk=false", "output.hdf5=false",
          // The summary's own prediction is the rightmost over every grid wavenumber, not
          // the seeded one: the test computes its root itself and skips those searches.
          "analysis.predicted_mode_limit=0"};
}

PcContinuumParams continuum_params(const ModeCase& c) {
  PcContinuumParams p;
  p.layers = c.layers;
  p.periodic = true;
  p.kernel_width = c.sigma;
  p.spacing = c.h;
  p.feedback_delay = c.db;
  p.cells_per_layer = c.cells;
  return p;
}

// --- periodic hierarchy: a seeded mode against the dispersion relation --------------
// The measured growth rate and frequency must lie within 1e-3 relative of the
// continuum root. Two errors enter: the grid's, the root shift of the symbol error
// (q dx)^2/24, and rk4's (tests/support/rate_tolerance.h, ~1e-6 /s at 1 ms). With
// 16 cells per layer, (q dx)^2/24 <= 2.3e-4 for these q <= 2 pi 3/16; the roots here
// move by 1.0 to 2.7 times the symbol's relative error (from the grid's root), at most
// 2.3e-4 relative, so the grid takes at most a quarter of the budget (asserted first).
// (sigma = 1 on 20 layers: a periodic hierarchy must hold twice the kernels' reach,
// h + 7.5 sigma.)
class PeriodicMode : public ::testing::TestWithParam<ModeCase> {};

TEST_P(PeriodicMode, PeriodicModeMatchesDispersionRelation) {
  const ModeCase c = GetParam();
  const double q = kTwoPi * c.m / c.layers;
  const PcContinuumParams p = continuum_params(c);
  const cd root = pc_continuum_root(p, q, 0), grid = discrete_root(p, q, c.cells);
  constexpr double kRelative = 1e-3;
  ASSERT_LE(std::abs(grid.real() - root.real()), 0.25 * kRelative * std::abs(root.real()));
  ASSERT_LE(std::abs(frequency_of(grid) - frequency_of(root)), 0.25 * kRelative * frequency_of(root));
  ASSERT_LE(test::fixed_step_rate_tolerance(root, kDt, 4), 0.01 * kRelative * std::abs(root.real()));
  const auto r = test::run_deck_text(test::deck_text("pc_continuum.yaml"),
                                     periodic_mode_overrides(c, q, c.cells, kDt), PETSC_COMM_WORLD, "pc_mode");
  ASSERT_TRUE(r.measured.found);
  std::printf("%s, q = 2 pi %d/%d, sigma %g, h %g, db %g s, %d cells/layer: measured %+.6f /s, %.6f Hz; "
              "continuum root %+.6f /s, %.6f Hz (rel. %.1e, %.1e); grid's root %+.6f /s, %.6f Hz\n",
              c.name, c.m, c.layers, c.sigma, c.h, c.db, c.cells, r.measured.growth_rate_per_s,
              r.measured.frequency_hz, root.real(), frequency_of(root),
              std::abs(r.measured.growth_rate_per_s / root.real() - 1),
              std::abs(r.measured.frequency_hz / frequency_of(root) - 1), grid.real(), frequency_of(grid));
  EXPECT_NEAR(r.measured.growth_rate_per_s, root.real(), kRelative * std::abs(root.real()));
  EXPECT_NEAR(r.measured.frequency_hz, frequency_of(root), kRelative * frequency_of(root));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PeriodicMode,
    ::testing::Values(ModeCase{16, 2, 0.5, 1.0, 0.0, 16, "undelayed"}, ModeCase{16, 2, 0.5, 1.0, 0.012, 16, "delayed"},
                      ModeCase{16, 3, 0.3, 1.5, 0.0, 16, "narrow_far"}, ModeCase{20, 1, 1.0, 1.5, 0.012, 16, "wide_far"},
                      ModeCase{16, 1, 0.3, 2.0, 0.006, 16, "narrow_farther"}),
    [](const auto& info) { return std::string(info.param.name); });

// --- grid convergence at fixed sigma --------------------------------------------------
// sigma = 0.5, q = pi/4, 2 to 16 cells per layer: the grid's error in the growth rate
// and the frequency falls as dx^2 (the header's sigma_d), so successive errors give
// order 2. From 2 cells on, the O(dx^4) part moves the order by a few 1e-3 and the
// aliases (A = 6e-8 at 2 cells) by less: both far inside 0.15. Each measured rate must moreover be the
// grid's root (the sinc symbol) to rk4's error bound plus the aliases' shift. rk4's
// bound (1.5e-6 /s at 1 ms) is below 1e-3 of the finest grid's error (asserted), so it
// does not move the orders; its actual error is smaller still: halving dt at 16 cells
// moves the rate by 8.1e-8 /s and 2.6e-8 Hz, and leaves it 5e-9 /s from the grid's root.
TEST(GridConvergence, GrowthAndFrequencyConvergeAtSecondOrder) {
  const ModeCase c{16, 2, 0.5, 1.0, 0.012, 0, "grid"};
  const double q = kTwoPi * c.m / c.layers;
  const PcContinuumParams p = continuum_params(c);
  const cd root = pc_continuum_root(p, q, 0);
  const double rk4 = test::fixed_step_rate_tolerance(root, kDt, 4);
  std::vector<double> growth_error, frequency_error;
  for (int cells : {2, 4, 8, 16}) {
    const auto r = test::run_deck_text(test::deck_text("pc_continuum.yaml"), periodic_mode_overrides(c, q, cells, kDt),
                                       PETSC_COMM_WORLD, "pc_grid");
    ASSERT_TRUE(r.measured.found);
    const cd grid = discrete_root(p, q, cells);
    const double tol = rk4 + alias_shift(p, q, cells);
    EXPECT_NEAR(r.measured.growth_rate_per_s, grid.real(), tol) << cells << " cells";
    EXPECT_NEAR(r.measured.frequency_hz, frequency_of(grid), test::frequency_tolerance(tol)) << cells << " cells";
    growth_error.push_back(std::abs(r.measured.growth_rate_per_s - root.real()));
    frequency_error.push_back(std::abs(r.measured.frequency_hz - frequency_of(root)));
    std::printf("%2d cells/layer: measured %+.9f /s, %.9f Hz; grid's root %+.9f /s, %.9f Hz (tolerance %.1e /s); "
                "error against the continuum %.3e /s, %.3e Hz\n",
                cells, r.measured.growth_rate_per_s, r.measured.frequency_hz, grid.real(), frequency_of(grid), tol,
                growth_error.back(), frequency_error.back());
  }
  ASSERT_LE(rk4, 1e-3 * growth_error.back());
  ASSERT_LE(test::frequency_tolerance(rk4), 1e-3 * frequency_error.back());
  for (std::size_t k = 0; k + 1 < growth_error.size(); ++k) {
    const double growth_order = std::log2(growth_error[k] / growth_error[k + 1]);
    const double frequency_order = std::log2(frequency_error[k] / frequency_error[k + 1]);
    std::printf("observed order %d -> %d cells/layer: growth %.4f, frequency %.4f\n", 2 << k, 4 << k, growth_order,
                frequency_order);
    EXPECT_NEAR(growth_order, 2.0, 0.15);
    EXPECT_NEAR(frequency_order, 2.0, 0.15);
  }
}

// --- the chain limit -------------------------------------------------------------------
// One cell per layer, h = 1, sigma = 0.02: w_ff puts on the cell one layer below all but
// eps = erfc(0.5/(sigma sqrt 2)) of its mass (the rest on the neighbours), w_fb the same
// above, and the bottom cell receives Phi(0.5/sigma) = 1 - eps/2 of the input (the
// others at most eps/2). eps ~ 1e-137: the equations are the chain's to far below
// round-off, so the runs of pc_chain.yaml (impulse at the bottom) with either model
// type differ by round-off only. Each step's rhs is the same few terms summed in a
// different order, a few ulps (4 eps) of the largest |y| apart; every mode of the chain
// is damped, so over the run's steps these add up at most linearly: the bound is
// steps x 4 eps of the largest probe value (5.3e-12 for 6000 steps).
class ChainLimit : public ::testing::TestWithParam<double> {};

TEST_P(ChainLimit, ModeAndSignalsMatchTheChain) {
  const double db = GetParam(), sigma = 0.02;
  const double eps = std::erfc(0.5 / (sigma * std::numbers::sqrt2));
  ASSERT_LT(eps, 1e-100);
  const std::vector<std::string> common = {fmt::format("model.feedback_delay={}", db), "time.method=rk4",
                                           fmt::format("time.dt={}", kDt), "output.vtk=false", "output.hdf5=false"};
  const std::string text = test::deck_text("pc_chain.yaml");
  const auto chain = test::run_deck_text(text, common, PETSC_COMM_WORLD, "chain");
  std::vector<std::string> o = common;
  o.insert(o.end(), {"model.type=predictive_coding_continuum", fmt::format("model.kernel_width={}", sigma),
                     "model.cells_per_layer=1", "model.spacing=1"});
  const auto continuum = test::run_deck_text(text, o, PETSC_COMM_WORLD, "continuum");
  PcParams cp;
  cp.feedback_delay = db;
  const cd root = pc_dominant_mode(cp).rate;
  ASSERT_TRUE(continuum.measured.found);
  std::printf("chain limit, db %g s: continuum %.6f Hz, %+.6f /s; chain's root %.6f Hz, %+.6f /s (rel. %.1e, %.1e)\n",
              db, continuum.measured.frequency_hz, continuum.measured.growth_rate_per_s, frequency_of(root),
              root.real(), std::abs(continuum.measured.frequency_hz / frequency_of(root) - 1),
              std::abs(continuum.measured.growth_rate_per_s / root.real() - 1));
  EXPECT_NEAR(continuum.measured.growth_rate_per_s, root.real(), 1e-3 * std::abs(root.real()));
  EXPECT_NEAR(continuum.measured.frequency_hz, frequency_of(root), 1e-3 * frequency_of(root));
  ASSERT_EQ(continuum.probe_signals.size(), chain.probe_signals.size());
  ASSERT_EQ(continuum.probe_times.size(), chain.probe_times.size());
  const auto [largest, scale] = signal_gap(continuum, chain);
  std::printf("  probe signals: largest |continuum - chain| %.2e of the largest |y| %.3e\n", largest / scale, scale);
  ASSERT_GT(scale, 0.0);
  const double bound = static_cast<double>(chain.stats.steps) * 4 * std::numeric_limits<double>::epsilon();
  std::printf("  round-off bound (%ld steps x 4 eps) %.2e\n", static_cast<long>(chain.stats.steps), bound);
  ASSERT_GT(chain.stats.steps, 1000);
  EXPECT_LE(largest, bound * scale);
}

INSTANTIATE_TEST_SUITE_P(FeedbackDelay, ChainLimit, ::testing::Values(0.012, 0.0),
                         [](const auto& info) { return info.param > 0 ? "delayed" : "undelayed"; });

// --- the bottom input: a uniform steady state --------------------------------------
// Below xi = 0 the hierarchy sees y = I (the chain's y_0), so with I = 1 and tau_D = inf
// (no top-down term) y = 1 everywhere is a steady state: x = (w_ff * 1) - 1 = 0 in every
// cell if the input's mass Phi((h - xi_i)/sigma) and the cells' weights add up to the
// kernel's mass below the top, L. The mass beyond the top, Phi((xi_i - L - h)/sigma) <=
// Phi(-(h + dx/2)/sigma) = 2e-16 here, is all it lacks. A bottom mass taken anywhere but
// at the cell's centre, or of the wrong sign, leaves the cells near xi = h off by
// ~phi(0) dx/(2 sigma) ~ 0.2.
// From rest a step I = H(t) relaxes to it. The kernel puts only Phi(-(h - dx/2)/sigma) =
// 3e-12 of its mass on a cell's own or higher cells, so to that order each cell is
// driven by lower ones only, a cascade about L/h + 1 = 3 levels deep: the deviation is a
// sum of t^k e^{lambda t}, k <= 2 (terms of higher k carry products of weights below
// 1e-4), over the roots of one cell's lambda + e^{-2 lambda dT}/tau = 0, the rightmost
// at Re lambda = -3.16 /s. The deviation at 15 s is then at most its value at 5 s times
// (15/5)^2 e^{10 Re lambda} (~1e-17), plus the steps' round-off, at most steps x 4 eps
// (as for the chain limit), 1.3e-11.
TEST(BottomInput, UniformStateIsSteady) {
  const PcParams cell;  // tau, dT of the decks
  const cd lambda = rightmost_root([&](cd l) { return l + std::exp(-2.0 * l * cell.delay) / cell.tau; },
                                   [&](cd l) { return 1.0 - 2.0 * cell.delay / cell.tau * std::exp(-2.0 * l * cell.delay); },
                                   {-100, 100, -300, 300, 40, 40});
  ASSERT_LT(lambda.real(), -3.0);
  auto deviation = [](double t_end, PetscInt* steps) {
    const auto r = test::run_deck_text(
        test::deck_text("pc_continuum.yaml"),
        {"model.layers=3", "model.tau_d=.inf", "model.kernel_width=0.2", "model.spacing=1.5", "model.cells_per_layer=4",
         "input.type=step", "input.amplitude=1", fmt::format("time.t_end={}", t_end), "analysis.t_start=1",
         "time.method=rk4", fmt::format("time.dt={}", kDt), "output.vtk=false", "output.hdf5=false"},
        PETSC_COMM_WORLD, "pc_steady");
    double d = 0;
    for (double y : r.final_state) d = std::max(d, std::abs(y - 1));
    EXPECT_EQ(r.final_state.size(), 12u);
    *steps = r.stats.steps;
    return d;
  };
  PetscInt steps = 0;
  const double early = deviation(5, &steps), late = deviation(15, &steps);
  const double transient = early * 9 * std::exp(10 * lambda.real());
  const double roundoff = static_cast<double>(steps) * 4 * std::numeric_limits<double>::epsilon();
  std::printf("uniform steady state: max |y - 1| %.2e at 5 s, %.2e at 15 s; bound %.2e (transient %.1e from "
              "Re lambda = %.4f /s, round-off %.1e)\n",
              early, late, transient + roundoff, transient, lambda.real(), roundoff);
  EXPECT_LE(late, transient + roundoff);
}

// The input at the top enters both models the same way (I(t) added to dy/dt of the top
// layer): the chain limit driven there by a 10 Hz sinusoid, probe signals against the
// chain's to the same round-off bound.
TEST(ChainLimitTop, SignalsMatchTheChain) {
  const std::vector<std::string> common = {"input.type=sinusoid", "input.frequency=10", "input.at=top",
                                           "time.t_end=3", "analysis.t_start=1", "time.method=rk4",
                                           fmt::format("time.dt={}", kDt), "output.vtk=false", "output.hdf5=false"};
  const std::string text = test::deck_text("pc_chain.yaml");
  const auto chain = test::run_deck_text(text, common, PETSC_COMM_WORLD, "chain_top");
  std::vector<std::string> o = common;
  o.insert(o.end(), {"model.type=predictive_coding_continuum", "model.kernel_width=0.02", "model.cells_per_layer=1",
                     "model.spacing=1"});
  const auto continuum = test::run_deck_text(text, o, PETSC_COMM_WORLD, "continuum_top");
  ASSERT_EQ(continuum.probe_signals.size(), chain.probe_signals.size());
  ASSERT_EQ(continuum.probe_times.size(), chain.probe_times.size());
  const auto [largest, scale] = signal_gap(continuum, chain);
  const double bound = static_cast<double>(chain.stats.steps) * 4 * std::numeric_limits<double>::epsilon();
  std::printf("chain limit, driven at the top: largest |continuum - chain| %.2e of the largest |y| %.3e; bound %.2e\n",
              largest / scale, scale, bound);
  ASSERT_GT(scale, 0.0);
  EXPECT_LE(largest, bound * scale);
  EXPECT_EQ(continuum.measured.direction, chain.measured.direction);
}

// --- a periodic lateral axis ----------------------------------------------------------
// With a uniform input and a periodic lateral axis every lateral column sees the same
// drive, and the lateral kernel's cell weights sum to its mass within half the axis,
// 1 - 2 Phi(-L_x/(2 l)) = 1 - 2 Phi(-16) (~1e-57): each column is the 1D hierarchy of
// the same parameters, to the steps' round-off (steps x 4 eps of the largest |y|).
TEST(LateralAxis, UniformInputGivesTheHierarchyInEveryColumn) {
  const std::vector<std::string> common = {"time.t_end=1", "time.method=rk4", fmt::format("time.dt={}", kDt),
                                           "output.vtk=false", "output.hdf5=false"};
  const auto one = test::run_deck_text(test::deck_text("pc_continuum.yaml"), common, PETSC_COMM_WORLD, "pc_1d");
  std::vector<std::string> o = common;
  o.insert(o.end(), {"model.lateral_boundary=[periodic]", "model.input_width=0"});
  const auto two = test::run_deck_text(test::deck_text("pc_continuum_2d.yaml"), o, PETSC_COMM_WORLD, "pc_2d");
  const std::size_t n_xi = one.final_state.size();
  ASSERT_EQ(n_xi, 32u);
  ASSERT_EQ(two.final_state.size(), 64 * n_xi);
  double scale = 0, largest = 0;
  for (double y : one.final_state) scale = std::max(scale, std::abs(y));
  for (std::size_t j = 0; j < 64; ++j)
    for (std::size_t i = 0; i < n_xi; ++i)
      largest = std::max(largest, std::abs(two.final_state[i + n_xi * j] - one.final_state[i]));
  const double bound = static_cast<double>(one.stats.steps) * 4 * std::numeric_limits<double>::epsilon();
  std::printf("periodic lateral axis, uniform input: largest |column - 1D| %.2e of max |y| %.3e; bound %.2e\n",
              largest / scale, scale, bound);
  ASSERT_GT(scale, 0.0);
  EXPECT_LE(largest, bound * scale);
}

}  // namespace
}  // namespace nf
