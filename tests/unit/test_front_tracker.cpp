// Front and bump measurements on a line of cells (postprocess/front_tracker.h), checked
// against exact profiles sampled at cell centres x_i = origin + (i + 1/2) h.
#include "postprocess/front_tracker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "tests/support/front_profiles.h"

namespace {

using nf::test::TanhFront;
using nf::test::gaussian_width_bound;
using nf::test::tanh_crossing_bound;
const double kGaussianLevel = nf::test::gaussian_edge_level();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <class F>
std::vector<double> sample(F u, std::size_t n, double origin, double h) {
  std::vector<double> line(n);
  for (std::size_t i = 0; i < n; ++i) line[i] = u(origin + (static_cast<double>(i) + 0.5) * h);
  return line;
}

// Level 0.3 sits off the inflection point (at 0.5 the odd fourth derivative vanishes
// and the error is of higher order), so this measures the generic error.
constexpr double kLevel = 0.3;
const TanhFront kFront{1.5, 0.37, 0.25};

// The largest crossing error over 41 times t = 0, 0.05, .., 2 (the front crosses 15
// cells of 0.05 m, so many sub-cell offsets) on [0, 4] m with n cells.
double largest_crossing_error(std::size_t n) {
  const double h = 4.0 / static_cast<double>(n);
  double worst = 0;
  for (int k = 0; k <= 40; ++k) {
    const double t = 0.05 * k;
    const auto line = sample([&](double x) { return kFront(x, t); }, n, 0.0, h);
    const auto x = nf::last_crossing(line, kLevel, 0.0, h);
    if (!x) return kNaN;
    worst = std::max(worst, std::abs(*x - kFront.position(kLevel, t)));
  }
  return worst;
}

TEST(LastCrossing, MovingTanhFrontWithinTheCubicInterpolationBound) {
  // h = 0.05, w = 5h: the bound is 5.5e-5 m; the largest error 4.4e-5 m.
  const double error = largest_crossing_error(80);
  const double bound = tanh_crossing_bound(kFront, kLevel, 0.05);
  EXPECT_LT(error, bound);
  EXPECT_GT(error, 0.5 * bound);  // the bound is sharp: it is the cubic's own error
}

TEST(LastCrossing, ErrorIsFourthOrderUnderRefinement) {
  double previous = largest_crossing_error(80);
  for (std::size_t n : {160, 320, 640}) {
    const double error = largest_crossing_error(n);
    EXPECT_NEAR(std::log2(previous / error), 4.0, 0.3) << n << " cells";
    previous = error;
  }
}

TEST(LastCrossing, OneSidedCubicAtTheStartOfTheLine) {
  // The crossing between cells 0 and 1 uses cells 0..3: C = 1 in the bound.
  const double h = 0.05;
  for (double offset : {0.1, 0.4, 0.8}) {
    const TanhFront f{(0.5 + offset) * h - 0.25 * std::atanh(1 - 2 * kLevel), 0, 0.25};
    const auto line = sample([&](double x) { return f(x, 0); }, 40, 0.0, h);
    const auto x = nf::last_crossing(line, kLevel, 0.0, h);
    ASSERT_TRUE(x);
    EXPECT_LT(std::abs(*x - f.position(kLevel, 0)), tanh_crossing_bound(f, kLevel, h, 1.0)) << offset;
  }
}

TEST(LastCrossing, PicksTheLargestFallingCrossingAndItsMirror) {
  // Two falling edges (at 1 m and 3 m) and rising ones at 0.5 m and 2 m.
  const double h = 0.01;
  auto u = [](double x) { return 0.5 * (std::tanh((x - 0.5) / 0.05) - std::tanh((x - 1) / 0.05) +
                                        std::tanh((x - 2) / 0.05) - std::tanh((x - 3) / 0.05)); };
  const auto line = sample(u, 400, 0.0, h);
  const auto last = nf::last_crossing(line, 0.5, 0.0, h);
  const auto first = nf::first_rising_crossing(line, 0.5, 0.0, h);
  ASSERT_TRUE(last && first);
  // Each edge is a tanh of width 0.05 m = 5h; the other edges add < 1e-13 there.
  const double bound = tanh_crossing_bound({0, 0, 0.05}, 0.5, h);
  EXPECT_NEAR(*last, 3.0, bound);
  EXPECT_NEAR(*first, 0.5, bound);
  // The mirror: the first rising crossing of the reversed line is L minus the last falling.
  std::vector<double> reversed(line.rbegin(), line.rend());
  const auto mirrored = nf::first_rising_crossing(reversed, 0.5, 0.0, h);
  ASSERT_TRUE(mirrored);
  EXPECT_NEAR(*mirrored, 4.0 - *last, 1e-12);
}

TEST(LastCrossing, NoneWithoutAFallAndNaNNeverCrosses) {
  EXPECT_FALSE(nf::last_crossing(std::vector<double>{0.1, 0.2, 0.6, 0.9}, 0.5, 0, 1));
  EXPECT_FALSE(nf::last_crossing(std::vector<double>{1, kNaN, 0, kNaN}, 0.5, 0, 1));
  // Two cells: the straight line, crossing at 1/4 of the way from x = 0.5 to 1.5.
  const auto x = nf::last_crossing(std::vector<double>{1.0, 0.0}, 0.75, 0, 1);
  ASSERT_TRUE(x);
  EXPECT_DOUBLE_EQ(*x, 0.75);
}

// --- speed fit -------------------------------------------------------------------

// Non-uniform times, as from adaptive steps: t_k = 10 (k/N)^1.5 s.
std::vector<double> uneven_times(int count) {
  std::vector<double> t(count);
  for (int k = 0; k < count; ++k) t[k] = 10 * std::pow(static_cast<double>(k) / (count - 1), 1.5);
  return t;
}

TEST(FitFrontSpeed, ExactForLinearPositions) {
  const auto t = uneven_times(60);
  std::vector<double> x;
  for (double tk : t) x.push_back(0.3 + 1.7 * tk);
  const auto fit = nf::fit_front_speed(t, x, 2.0);
  ASSERT_TRUE(fit.found);
  EXPECT_NEAR(fit.speed, 1.7, 1e-10);
  EXPECT_NEAR(fit.intercept, 0.3, 1e-10);
  EXPECT_LT(fit.rms_residual, 1e-12);
  EXPECT_EQ(fit.points, static_cast<std::size_t>(std::count_if(t.begin(), t.end(), [](double tk) { return tk >= 2; })));
}

TEST(FitFrontSpeed, TransientBiasIsBoundedByItsRateAtTheStart) {
  // x = x0 + c t + A e^{-t}. The least-squares slope is a weighted mean of the chord
  // slopes (x_j - x_i)/(t_j - t_i) (weights (t_j - t_i)^2 > 0), each the derivative at
  // some t >= t_start: the bias lies in (-A e^{-t_start}, 0).
  const double c = 0.8, A = 0.5;
  const auto t = uneven_times(200);
  std::vector<double> x;
  for (double tk : t) x.push_back(0.1 + c * tk + A * std::exp(-tk));
  double previous_bias = 1;
  for (double t_start : {1.0, 3.0, 6.0}) {
    const auto fit = nf::fit_front_speed(t, x, t_start);
    ASSERT_TRUE(fit.found);
    const double bias = fit.speed - c;
    EXPECT_LT(bias, 0) << t_start;
    EXPECT_GT(bias, -A * std::exp(-t_start)) << t_start;
    EXPECT_LT(std::abs(bias), std::abs(previous_bias)) << t_start;
    previous_bias = bias;
  }
}

TEST(FitFrontSpeed, SkipsMissingPositionsAndNeedsEightPoints) {
  std::vector<double> t, x;
  for (int k = 0; k < 12; ++k) {
    t.push_back(0.1 * k);
    x.push_back(k % 3 == 0 ? kNaN : 2.0 - 0.5 * t.back());  // 8 found, 4 missing
  }
  auto fit = nf::fit_front_speed(t, x, 0.0);
  ASSERT_TRUE(fit.found);
  EXPECT_EQ(fit.points, 8u);
  EXPECT_NEAR(fit.speed, -0.5, 1e-12);
  fit = nf::fit_front_speed(t, x, 0.15);  // 7 left
  EXPECT_FALSE(fit.found);
  EXPECT_EQ(fit.points, 7u);
  EXPECT_THROW(nf::fit_front_speed(t, std::vector<double>(3), 0.0), std::invalid_argument);
}

// --- relaxation ----------------------------------------------------------------------

// x = 2 + 0.1 e^{lambda t} on dt = 0.05: the centred differences are exactly
// (sinh(lambda dt)/dt)(x - 2), so the fit returns that rate and x* = 2 to round-off.
TEST(FitRelaxation, ExponentialGivesTheCentredDifferenceRate) {
  const double dt = 0.05;
  for (const double lambda : {-0.2, 2.5}) {
    std::vector<double> t, x;
    for (int k = 0; k < 100; ++k) {
      t.push_back(dt * k);
      x.push_back(k == 7 ? kNaN : 2.0 + 0.1 * std::exp(lambda * t.back()));
    }
    const auto fit = nf::fit_relaxation(t, x, 0.5);
    ASSERT_TRUE(fit.found);
    EXPECT_EQ(fit.points, 89u);  // t_k >= 0.5 with finite neighbours: k = 10 .. 98
    EXPECT_NEAR(fit.rate, std::sinh(lambda * dt) / dt, 1e-9 * std::abs(lambda));
    EXPECT_NEAR(fit.equilibrium, 2.0, 1e-9);
    EXPECT_NEAR(fit.r_squared, 1.0, 1e-12);
  }
}

// x = 3 + 0.5 t + 0.01 sin(7 t): a steady drift with a wobble; dx/dt does not follow x.
TEST(FitRelaxation, SteadyMotionExplainsLittle) {
  std::vector<double> t, x;
  for (int k = 0; k < 400; ++k) {
    t.push_back(0.05 * k);
    x.push_back(3 + 0.5 * t.back() + 0.01 * std::sin(7 * t.back()));
  }
  const auto fit = nf::fit_relaxation(t, x, 0);
  ASSERT_TRUE(fit.found);
  EXPECT_LT(fit.r_squared, 0.01);  // the wobble's rate is uncorrelated with the drift: r^2 ~ 1/points
}

TEST(FitRelaxation, NoneForAConstantOrShortSeries) {
  const std::vector<double> t = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  EXPECT_FALSE(nf::fit_relaxation(t, std::vector<double>(12, 1.5), 0).found);
  EXPECT_FALSE(nf::fit_relaxation(t, t, 4).found);  // 7 points t = 4 .. 10
  EXPECT_THROW(nf::fit_relaxation(t, std::vector<double>(3), 0), std::invalid_argument);
}

// --- bump width --------------------------------------------------------------------

// u = exp(-x^2/2) at level e^{-1/2}: edges at +-1, width 2 (bound: tests/support/front_profiles.h).
TEST(BumpWidth, GaussianAtItsInflectionLevel) {
  const double h = 0.01;
  const auto line = sample([](double x) { return std::exp(-x * x / 2); }, 1000, -5.0, h);
  const auto width = nf::bump_width(line, kGaussianLevel, -5.0, h);
  ASSERT_TRUE(width);
  EXPECT_NEAR(*width, 2.0, gaussian_width_bound(h));  // 2.4e-9 m
  EXPECT_NEAR(*width, 2.0, 1e-6);
}

TEST(BumpWidth, PeriodicLineWrapsTheBumpRoundTheEnds) {
  // A line [0, 10) m with the bump centred at 0.2 m: its run of cells spans both ends.
  const double h = 0.01, L = 10, centre = 0.2;
  auto u = [&](double x) {
    const double d = std::remainder(x - centre, L);
    return std::exp(-d * d / 2);
  };
  const auto line = sample(u, 1000, 0.0, h);
  const auto width = nf::bump_width(line, kGaussianLevel, 0.0, h, nf::Boundary::periodic);
  ASSERT_TRUE(width);
  EXPECT_NEAR(*width, 2.0, gaussian_width_bound(h));
  // Bounded, the same run reaches the first cell: no width.
  EXPECT_FALSE(nf::bump_width(line, kGaussianLevel, 0.0, h, nf::Boundary::bounded));
}

TEST(BumpWidth, NoneWhenTheBumpIsNotWhollyOnTheLine) {
  EXPECT_FALSE(nf::bump_width(std::vector<double>{0, 1, 2, 3, 4, 5}, 2.5, 0, 1));              // a front
  EXPECT_FALSE(nf::bump_width(std::vector<double>{0, 1, 2, 1, 0, 0}, 2.5, 0, 1));              // below level
  EXPECT_FALSE(nf::bump_width(std::vector<double>{3, 4, 5, 4, 3}, 2.5, 0, 1, nf::Boundary::periodic));  // all above
  EXPECT_FALSE(nf::bump_width(std::vector<double>{0, 1, kNaN, 1, 0}, 0.5, 0, 1));
}

// --- radius --------------------------------------------------------------------------

TEST(ActiveRadius, InvertsTheBallMeasure) {
  const double r = 0.7, pi = std::numbers::pi;
  EXPECT_NEAR(nf::active_radius(2 * r, 1), r, 1e-15);
  EXPECT_NEAR(nf::active_radius(pi * r * r, 2), r, 1e-15);
  EXPECT_NEAR(nf::active_radius(4 * pi * r * r * r / 3, 3), r, 1e-15);
  EXPECT_THROW(nf::active_radius(1.0, 4), std::invalid_argument);
  EXPECT_THROW(nf::active_radius(-1.0, 2), std::invalid_argument);
}

}  // namespace
