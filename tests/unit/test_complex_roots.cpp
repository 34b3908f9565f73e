// Lambert W on all branches and Newton root finding for analytic (delay) characteristic
// functions. Reference values of W are from mpmath 1.3 lambertw at 25 digits.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "solvers/stability/complex_roots.h"
#include "solvers/stability/lambert_w.h"

namespace {

using cd = std::complex<double>;
using nf::lambert_w;

constexpr double kPi = std::numbers::pi;
constexpr double kE = std::numbers::e;
constexpr double kEps = 2.220446049250313e-16;

double rel_err(cd got, cd want) { return std::abs(got - want) / std::abs(want); }

// Points r e^{i theta} with theta at least pi/16 away from the branch cut on the negative
// real axis, so that each branch is unambiguous.
std::vector<cd> grid_off_cuts() {
  std::vector<cd> points;
  for (const double r : {1e-6, 1e-2, 0.3, 1.0, 2.5, 10.0, 1e3, 1e8}) {
    for (int j = 0; j < 16; ++j) points.push_back(std::polar(r, -kPi + (j + 0.5) * kPi / 8.0));
  }
  return points;
}

// W e^W = z to 1e-13 relative: forming w e^w from a w that is exact to rounding costs about
// (|w| + 3) eps, and |w| < 40 on this grid.
TEST(LambertW, SatisfiesDefiningEquationOnAllBranches) {
  for (const cd z : grid_off_cuts()) {
    for (int k = -2; k <= 2; ++k) {
      const cd w = lambert_w(z, k);
      EXPECT_LT(rel_err(w * std::exp(w), z), 1e-13) << "z = " << z << ", k = " << k;
    }
  }
}

// Branch k is the region (2k-1) pi < Im w + arg w <= (2k+1) pi (Corless et al. 1996,
// sec. 4); off the cut the margin to either bound is >= pi/16 - rounding.
TEST(LambertW, LandsInTheImageRegionOfItsBranch) {
  for (const cd z : grid_off_cuts()) {
    for (int k = -2; k <= 2; ++k) {
      const cd w = lambert_w(z, k);
      const double s = w.imag() + std::arg(w);
      EXPECT_GT(s, (2 * k - 1) * kPi + kPi / 32) << "z = " << z << ", k = " << k;
      EXPECT_LT(s, (2 * k + 1) * kPi - kPi / 32) << "z = " << z << ", k = " << k;
    }
  }
}

// W_{-k}(conj z) = conj W_k(z) off the cuts; both sides are rounding-level solutions of
// the same equation, whose condition number |1/(1 + W)| is below 3 on this grid.
TEST(LambertW, ConjugateSymmetryBetweenBranches) {
  for (const cd z : grid_off_cuts()) {
    for (int k = -2; k <= 2; ++k) {
      const cd w = lambert_w(z, k);
      EXPECT_LT(rel_err(lambert_w(std::conj(z), -k), std::conj(w)), 1e-14)
          << "z = " << z << ", k = " << k;
    }
  }
}

// Well-conditioned values (|z W'/W| = 1/|1 + W| <= 1.6): 4 eps relative.
TEST(LambertW, MatchesReferenceValues) {
  struct Case {
    cd z;
    int k;
    cd w;
  };
  const std::vector<Case> cases = {
      {1.0, 0, 0.5671432904097838},
      {-1.0, 0, {-0.3181315052047641, 1.3372357014306895}},
      {-1.0, -1, {-0.3181315052047641, -1.3372357014306895}},
      {-0.2, -1, -2.5426413577735265},
      {-0.2, 0, -0.25917110181907377},
      {-0.2, 1, {-3.7223204849231652, 7.3872302105745931}},
      {1.0, 1, {-1.5339133197935745, 4.3751851530618984}},
      {{1.0, 2.0}, 2, {-1.6869138779375397, 11.962631435322813}},
      {{-3.0, -0.5}, -2, {-1.5228808890706149, -13.862601664769812}},
      {{0.0, 1e3}, -1, {5.0422257292756579, -4.0372309274867589}},
  };
  for (const Case& c : cases) {
    EXPECT_LT(rel_err(lambert_w(c.z, c.k), c.w), 4 * kEps) << "z = " << c.z << ", k = " << c.k;
  }
}

TEST(LambertW, RealBranchesAreExactlyReal) {
  for (const double x : {-0.36, -0.2, -1e-3, 0.5, 1e3}) EXPECT_EQ(lambert_w(x, 0).imag(), 0.0);
  for (const double x : {-0.36, -0.2, -1e-3, -1e-200}) EXPECT_EQ(lambert_w(x, -1).imag(), 0.0);
  EXPECT_EQ(lambert_w(cd(-0.2, -0.0), -1), lambert_w(cd(-0.2, 0.0), -1));
}

// On (-1/e, 0), W_0 = -1 + p - p^2/3 + ..., p = sqrt(2(e x + 1)), rises from -1 to 0 with
// dW/dp in (0, 1], so a step dx moves W by at most sqrt(2 e dx) (sqrt is 1/2-Hoelder).
TEST(LambertW, PrincipalRealBranchIsContinuousOnMinusInvEToZero) {
  const int n = 2000;
  const double dx = std::exp(-1.0) / n;
  double previous = -1.0;
  for (int i = 1; i < n; ++i) {
    const double w = lambert_w(-std::exp(-1.0) + i * dx, 0).real();
    EXPECT_GT(w, previous) << "i = " << i;
    EXPECT_LE(w - previous, std::sqrt(2.0 * kE * dx)) << "i = " << i;
    previous = w;
  }
  EXPECT_NEAR(previous, 0.0, 2.0 * dx);  // W_0(x) = x + O(x^2)
  // Near the branch point W = -1 +- p - p^2/3 + O(p^3) (Corless et al. eq. 4.22), W_0 with +,
  // W_{-1} with -. x = -fl(1/e) + 2^-40 is exact, and 1/e - fl(1/e) = -1.2428753672788363e-17, so
  // x + 1/e is known to ~1e-33; p ~ 2.2e-6, the p^3 term ~ 2e-18, rounding in W ~ 1e-16.
  const double delta = std::ldexp(1.0, -40);
  const double x = -0.36787944117144233 + delta;
  const double p = std::sqrt(2.0 * kE * (delta - 1.2428753672788363e-17));
  EXPECT_NEAR(lambert_w(x, 0).real(), -1.0 + p - p * p / 3.0, 1e-15);
  EXPECT_NEAR(lambert_w(x, -1).real(), -1.0 - p - p * p / 3.0, 1e-15);
}

TEST(LambertW, RejectsSingularAndNonFiniteArguments) {
  EXPECT_EQ(lambert_w(0.0, 0), cd(0.0));
  EXPECT_THROW(lambert_w(0.0, 1), std::invalid_argument);
  EXPECT_THROW(lambert_w(cd(std::nan(""), 0.0), 0), std::invalid_argument);
}

// (z - 1)(z + 2)(z - 0.5 - 3i)(z - 0.5 + 3i): simple roots with |f'| >= 9 and rounding in f
// of ~eps |z|^4 ~ 2e-14, so each root is determined to ~1e-15.
cd quartic(cd z) { return (z - 1.0) * (z + 2.0) * (z - cd(0.5, 3.0)) * (z - cd(0.5, -3.0)); }
cd quartic_derivative(cd z) {
  const cd a = z - 1.0, b = z + 2.0, c = z - cd(0.5, 3.0), d = z - cd(0.5, -3.0);
  return b * c * d + a * c * d + a * b * d + a * b * c;
}

TEST(FindRoots, FindsAllRootsOfAQuarticSortedByRealPart) {
  const nf::RootSearchBox box{-3.0, 2.0, -4.0, 4.0};
  const std::vector<cd> expected = {1.0, {0.5, 3.0}, {0.5, -3.0}, -2.0};
  for (const nf::ComplexFunction& df : {nf::ComplexFunction(quartic_derivative), nf::ComplexFunction()}) {
    const std::vector<cd> roots = nf::find_roots(quartic, df, box);
    ASSERT_EQ(roots.size(), expected.size());
    for (std::size_t i = 0; i < roots.size(); ++i) EXPECT_LT(std::abs(roots[i] - expected[i]), 1e-12);
  }
}

// Two-level predictive-coding loop, in seconds: g(lambda) = lambda + 1/tD + e^{-2 lambda dT}/tau.
// With lambda = w/(2 dT) - 1/tD, g = 0 becomes w e^w = -(2 dT/tau) e^{2 dT/tD}, so the roots
// are lambda_k = W_k(-(2 dT/tau) e^{2 dT/tD})/(2 dT) - 1/tD (Corless et al. 1996, sec. 1).
struct DelayLoop {
  double dT = 0.012;   // s, one-way conduction delay
  double tau = 0.017;  // s, prediction-error time constant
  double tD = 0.2;     // s, decay time constant; infinity drops the 1/tD term

  double decay() const { return std::isinf(tD) ? 0.0 : 1.0 / tD; }  // 1/s
  cd g(cd lambda) const { return lambda + decay() + std::exp(-2.0 * lambda * dT) / tau; }
  cd dg(cd lambda) const { return 1.0 - (2.0 * dT / tau) * std::exp(-2.0 * lambda * dT); }
  cd root(int k) const {
    return lambert_w(-(2.0 * dT / tau) * std::exp(2.0 * dT * decay()), k) / (2.0 * dT) - decay();
  }
  nf::ComplexFunction f() const { return [*this](cd l) { return g(l); }; }
  nf::ComplexFunction df() const { return [*this](cd l) { return dg(l); }; }
};

double hertz(cd lambda) { return lambda.imag() / (2.0 * kPi); }

// 1e-10 relative: Newton stops at |step| < 1e-13 (1 + |lambda|) and |g'| ~ 1-10 at the
// roots; the remaining margin absorbs rounding in g, ~eps |lambda|.
TEST(DelayCharacteristic, RightmostRootIsThePrincipalLambertBranch) {
  const DelayLoop loop;
  const nf::RootSearchBox box{-200.0, 50.0, 0.0, 2.0 * kPi * 60.0};
  const cd lambda = nf::rightmost_root(loop.f(), loop.df(), box);
  EXPECT_LT(rel_err(lambda, loop.root(0)), 1e-10);
  EXPECT_LT(rel_err(nf::rightmost_root(loop.f(), {}, box), loop.root(0)), 1e-10);
  EXPECT_NEAR(hertz(lambda), 10.4564, 1e-4 * 10.4564);  // published figure, 4 decimals
}

TEST(DelayCharacteristic, WithoutDecayTheRootIsW0OfMinusTwoDtOverTau) {
  DelayLoop loop;
  loop.tD = std::numeric_limits<double>::infinity();
  const nf::RootSearchBox box{-200.0, 50.0, 0.0, 2.0 * kPi * 60.0};
  const cd lambda = nf::rightmost_root(loop.f(), loop.df(), box);
  EXPECT_LT(rel_err(lambda, lambert_w(-2.0 * loop.dT / loop.tau, 0) / (2.0 * loop.dT)), 1e-10);
  EXPECT_NEAR(hertz(lambda), 10.0866, 1e-4 * 10.0866);
}

// For k >= 0, Im W_k + arg W_k = (2k + 1) pi with arg W_k in (0, pi), so Im lambda_k lies in
// (2k pi, (2k + 1) pi)/(2 dT). The box Im in [10, 700] 1/s (accepted up to [-59, 769])
// holds k = 0, 1, 2 and excludes conj(lambda_0) (Im -65.7) and lambda_3 (Im 845.6).
TEST(DelayCharacteristic, FindsExactlyTheLambertBranchesInABox) {
  const DelayLoop loop;
  const nf::RootSearchBox box{-200.0, 50.0, 10.0, 700.0};
  const std::vector<cd> roots = nf::find_roots(loop.f(), loop.df(), box);
  ASSERT_EQ(roots.size(), 3u);
  for (int k = 0; k < 3; ++k) EXPECT_LT(rel_err(roots[k], loop.root(k)), 1e-10) << "k = " << k;
  EXPECT_NEAR(roots[1].real(), -71.29, 0.005);    // 1/s
  EXPECT_NEAR(roots[1].imag(), 318.70, 0.005);    // 1/s
  EXPECT_NEAR(hertz(roots[1]), 50.72, 1e-4 * 50.72);
}

TEST(RightmostRoot, ThrowsNamingTheBoxWhenThereIsNoRoot) {
  const nf::ComplexFunction exp_z = [](cd z) { return std::exp(z); };
  const nf::RootSearchBox box{-1.0, 1.0, -1.0, 1.0, 8, 8};
  try {
    nf::rightmost_root(exp_z, exp_z, box);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("Re z in [-1, 1], Im z in [-1, 1]"), std::string::npos)
        << e.what();
  }
}

TEST(NewtonRoot, PolishesFromANearbyStartAndThrowsWithoutARoot) {
  const DelayLoop loop;
  const cd root = nf::newton_root(loop.f(), loop.df(), loop.root(1) + cd(5.0, -5.0));
  EXPECT_LT(rel_err(root, loop.root(1)), 1e-12);  // tol 1e-14 (1 + |lambda|) plus rounding
  const nf::ComplexFunction exp_z = [](cd z) { return std::exp(z); };
  EXPECT_THROW(nf::newton_root(exp_z, exp_z, 0.0), std::runtime_error);
}

TEST(FindRoots, RejectsBadInput) {
  const nf::ComplexFunction f = quartic;
  EXPECT_THROW(nf::find_roots(f, {}, {1.0, 1.0, 0.0, 1.0}), std::invalid_argument);
  EXPECT_THROW(nf::find_roots(f, {}, {0.0, 1.0, 0.0, 1.0, 0, 4}), std::invalid_argument);
  EXPECT_THROW(nf::find_roots(f, {}, {0.0, 1.0, 0.0, 1.0}, 0.0), std::invalid_argument);
  EXPECT_THROW(nf::find_roots({}, {}, {0.0, 1.0, 0.0, 1.0}), std::invalid_argument);
}

}  // namespace
