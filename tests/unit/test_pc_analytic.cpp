// The predictive-coding model's analytical results (docs/theory.md) against figures
// computed independently in 30-digit arithmetic. These check the formulas;
// the verification tests then check the solver against the formulas.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "models/predictive_coding.h"
#include "solvers/stability/complex_roots.h"

namespace nf {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;
constexpr double kDeg = 180 / std::numbers::pi;

PcParams chain(double feedback_delay) {
  PcParams p;  // N = 8, dT = 12 ms, tau = 17 ms, tau_D = 200 ms
  p.feedback_delay = feedback_delay;
  return p;
}

TEST(PcAnalytic, LeastDampedChainModes) {
  // chain modes: lambda = -3.648657e-4 + 8.175839e-2 i per ms (db = dT); -1.677678e-3 + 4.564756e-2 i (db = 0).
  const PredictedMode delayed = pc_dominant_mode(chain(0.012));
  EXPECT_NEAR(delayed.rate.real(), -0.3648657, 1e-6);
  EXPECT_NEAR(delayed.rate.imag(), 81.75839, 1e-4);
  EXPECT_EQ(delayed.label, "mode j = 8");
  const PredictedMode undelayed = pc_dominant_mode(chain(0.0));
  EXPECT_NEAR(undelayed.rate.real(), -1.677678, 1e-5);
  EXPECT_NEAR(undelayed.rate.imag(), 45.64756, 1e-4);
  EXPECT_EQ(undelayed.label, "mode j = 1");
}

TEST(PcAnalytic, TwoLevelLambertWAgreesWithRootFinder) {
  PcParams p;
  p.layers = 1;
  const auto w0 = pc_two_level_root(p, 0);
  // two levels: -4.60679 + 65.69922 i per s, 10.4564 Hz (tau_D = 200 ms).
  EXPECT_NEAR(w0.real(), -4.60679, 1e-5);
  EXPECT_NEAR(w0.imag() / kTwoPi, 10.4564, 1e-4);
  const auto found = pc_dominant_mode(p).rate;
  EXPECT_NEAR(std::abs(found - w0), 0.0, 1e-9 * std::abs(w0));
  p.tau_d = std::numeric_limits<double>::infinity();
  EXPECT_NEAR(pc_two_level_root(p, 0).imag() / kTwoPi, 10.0866, 1e-4);  // no decay
}

TEST(PcAnalytic, TransferFunctionAtTenHertz) {
  // transfer function, db = dT, f = 10 Hz: |H_1| = 2.65218 at -85.74 deg, |H_8| = 3821.75 at -670.79 deg.
  const PcParams p = chain(0.012);
  const double w = kTwoPi * 10;
  const auto h1 = pc_transfer(p, w, 1), h8 = pc_transfer(p, w, 8);
  EXPECT_NEAR(std::abs(h1), 2.65218, 1e-5);
  EXPECT_NEAR(std::remainder(std::arg(h1) * kDeg + 85.74, 360.0), 0.0, 0.01);
  EXPECT_NEAR(std::abs(h8), 3821.75, 0.01);
  EXPECT_NEAR(std::remainder(std::arg(h8) * kDeg + 670.79, 360.0), 0.0, 0.01);
  // db = 0: |H_8| = 6096.16 at -797.50 deg.
  const auto h8u = pc_transfer(chain(0.0), w, 8);
  EXPECT_NEAR(std::abs(h8u), 6096.16, 0.01);
  EXPECT_NEAR(std::remainder(std::arg(h8u) * kDeg + 797.50, 360.0), 0.0, 0.01);
}

TEST(PcAnalytic, RingGrowthAtQuarterPi) {
  // ring: growth 19.664 /s (db = dT) and 21.110 /s (db = 0) at q = pi/4.
  for (auto [db, growth] : {std::pair{0.012, 19.664}, std::pair{0.0, 21.110}}) {
    PcParams p = chain(db);
    p.periodic = true;
    const PredictedMode m = pc_dominant_mode(p);
    // On the 8-ring q = pi/2 grows fastest; check q = pi/4 directly too.
    EXPECT_EQ(m.label, "wavenumber q = 2 pi 2/8");
    EXPECT_NEAR(m.rate.real(), db > 0 ? 22.366 : 22.609, 1e-3);
    const auto q4 = rightmost_root([&](std::complex<double> l) { return pc_lattice_function(p, std::numbers::pi / 4, l); },
                                   [&](std::complex<double> l) { return pc_lattice_derivative(p, std::numbers::pi / 4, l); },
                                   {-300, 300, -600, 600, 40, 80});
    EXPECT_NEAR(q4.real(), growth, 1e-3);
  }
}

// Critical tau where the least-damped root crosses the imaginary axis, by bisection.
double critical_tau(PcParams p, double lo, double hi) {
  for (int i = 0; i < 30; ++i) {  // bracket 6e-3 s / 2^30 ~ 6e-12 s
    p.tau = 0.5 * (lo + hi);
    (pc_dominant_mode(p).rate.real() > 0 ? lo : hi) = p.tau;
  }
  return 0.5 * (lo + hi);
}

TEST(PcAnalytic, HopfBoundaries) {
  // Two-level, no decay: tau_c = 4 dT/pi (exact), f = 1/(8 dT).
  PcParams two;
  two.layers = 1;
  two.tau_d = std::numeric_limits<double>::infinity();
  EXPECT_NEAR(critical_tau(two, 0.010, 0.020), 4 * 0.012 / std::numbers::pi, 1e-9);
  two.tau_d = 0.2;  // two levels: 14.5627 ms
  EXPECT_NEAR(critical_tau(two, 0.010, 0.020), 0.0145627, 1e-7);
  // Chain, chain modes: 16.789 ms (db = dT, j = 8); 16.096 ms (db = 0, j = 1).
  EXPECT_NEAR(critical_tau(chain(0.012), 0.014, 0.020), 0.016789, 1e-6);
  EXPECT_NEAR(critical_tau(chain(0.0), 0.014, 0.020), 0.016096, 1e-6);
}

}  // namespace
}  // namespace nf
