// The spiral tip finder (postprocess/spiral_tip.h, spiral_tip_observer.h) on analytic
// pairs of fields whose level sets meet at a known point.
#include "postprocess/spiral_tip.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "base/petsc_error.h"
#include "meshes/grid.h"
#include "postprocess/spiral_tip_observer.h"

namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;

// Corner values (0,0), (1,0), (0,1), (1,1) of f on the square of side h at (x0, y0).
template <class F>
std::array<double, 4> corners(F f, double x0, double y0, double h) {
  return {f(x0, y0), f(x0 + h, y0), f(x0, y0 + h), f(x0 + h, y0 + h)};
}

// The tip (m) of fields a, b on a grid of squares of side h covering [0, 1]^2: the
// first root found over all squares.
template <class A, class B>
std::array<double, 2> tip_on_grid(A a, B b, double h) {
  const int n = static_cast<int>(std::lround(1 / h));
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      const auto ca = corners(a, i * h, j * h, h), cb = corners(b, i * h, j * h, h);
      if (!nf::may_hold_intersection(ca, cb)) continue;
      const nf::SquareRoots r = nf::bilinear_intersections(ca, cb);
      if (r.count > 0) return {(i + r.points[0][0]) * h, (j + r.points[0][1]) * h};
    }
  return {NAN, NAN};
}

// Bilinear interpolation reproduces linear fields, so the tip of two independent
// linear fields is found to round-off wherever it falls in a square.
TEST(SpiralTip, LinearFieldsToRoundOff) {
  for (double x0 : {0.213, 0.5, 0.777})
    for (double y0 : {0.1, 0.4501, 0.93}) {
      auto a = [=](double x, double y) { return 0.7 * (x - x0) + 0.3 * (y - y0); };
      auto b = [=](double x, double y) { return -0.2 * (x - x0) + 0.9 * (y - y0); };
      const auto tip = tip_on_grid(a, b, 0.05);
      EXPECT_NEAR(tip[0], x0, 1e-13) << x0 << " " << y0;
      EXPECT_NEAR(tip[1], y0, 1e-13) << x0 << " " << y0;
    }
}

// A square holding two roots: a = s t - 0.06 (a hyperbola), b = s + t - 0.5 meet at
// s, t = (0.5 -+ sqrt(0.25 - 0.24)) / 2 = 0.2 and 0.3, both inside; bilinear a is exact.
TEST(SpiralTip, TwoRootsInOneSquare) {
  const nf::SquareRoots r = nf::bilinear_intersections({-0.06, -0.06, -0.06, 0.94}, {-0.5, 0.5, 0.5, 1.5});
  ASSERT_EQ(r.count, 2u);
  for (const auto& p : r.points) {
    EXPECT_NEAR(p[0] + p[1], 0.5, 1e-14);
    EXPECT_NEAR(p[0] * p[1], 0.06, 1e-14);
  }
}

// a = (x - x0) + k (y - y0)^2 and b = (y - y0) + k (x - x0)^2 meet at (x0, y0), where
// their Jacobian is the identity. Bilinear interpolation of a misses it by
// k (y - y_j)(y - y_j+1), at most k h^2/4, and b alike, so the tip lies within
// sqrt(2) k h^2/4 of (x0, y0) to first order, and with the same offset within its
// square at every h the error falls as h^2: observed order 2 +- 0.15 over h = 1/10,
// 1/20, 1/40, 1/80.
TEST(SpiralTip, CurvedLevelSetsConvergeAtSecondOrder) {
  constexpr double k = 0.8;
  std::vector<double> errors;
  for (double h : {0.1, 0.05, 0.025, 0.0125}) {
    const double x0 = 0.5 + 0.37 * h, y0 = 0.5 + 0.61 * h;  // the same place within its square
    auto a = [=](double x, double y) { return (x - x0) + k * (y - y0) * (y - y0); };
    auto b = [=](double x, double y) { return (y - y0) + k * (x - x0) * (x - x0); };
    const auto tip = tip_on_grid(a, b, h);
    const double error = std::hypot(tip[0] - x0, tip[1] - y0);
    EXPECT_LE(error, std::sqrt(2.0) * k * h * h / 4 * 1.05) << h;
    errors.push_back(error);
  }
  for (std::size_t n = 1; n < errors.size(); ++n) EXPECT_NEAR(std::log2(errors[n - 1] / errors[n]), 2.0, 0.15) << n;
}

// A tip rotating rigidly on a circle of radius rho about (xc, yc) at angular velocity
// omega: a = (x - c(t)) . e(t), b = (x - c(t)) . e_perp(t), c(t) = centre + rho e(t),
// e(t) = (cos omega t, sin omega t). Both fields are linear in x, so each step's tip
// is exact; sampled uniformly over 4 whole turns its mean position is the centre, its
// angle about it is omega t + const, and the fitted period is 2 pi / omega to
// round-off (1e-9 relative).
TEST(SpiralTipObserver, RigidRotationGivesItsPeriod) {
  nf::GridSpec spec;
  spec.cells = {40, 30};
  spec.spacing = {0.5, 0.5};
  spec.boundary = {nf::Boundary::bounded, nf::Boundary::bounded};
  spec.component_names = {"u", "w"};
  nf::Grid grid(PETSC_COMM_WORLD, spec);
  const nf::TipLevels levels{0.2, -0.1};
  nf::SpiralTipObserver observer(grid, levels);
  const double xc = 10.3, yc = 7.1, rho = 2.5, omega = kTwoPi / 11.0;  // period 11 s
  nf::OwnedVec u;
  nf::check_petsc(DMCreateGlobalVector(grid.dm(), u.out()));
  const nf::Patch& p = grid.patch();
  const int steps = 440;
  const double dt = 0.1;  // 44 s: 4 turns
  for (int n = 0; n < steps; ++n) {
    const double t = n * dt, ex = std::cos(omega * t), ey = std::sin(omega * t);
    const double cx = xc + rho * ex, cy = yc + rho * ey;
    PetscScalar* a = nullptr;
    nf::check_petsc(VecGetArray(u, &a));
    for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
      for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i) {
        const double dx = (i + 0.5) * 0.5 - cx, dy = (j + 0.5) * 0.5 - cy;
        a[p.owned(i, j, 0, 0)] = levels.u + dx * ex + dy * ey;
        a[p.owned(i, j, 0, 1)] = levels.w - dx * ey + dy * ex;
      }
    nf::check_petsc(VecRestoreArray(u, &a));
    observer.observe({t, n, u});
    const double error = std::hypot(observer.x().back() - cx, observer.y().back() - cy);
    ASSERT_LE(error, 1e-12) << t;
  }
  const nf::RotationFit fit = observer.rotation(0.0);
  ASSERT_TRUE(fit.found);
  EXPECT_NEAR(fit.period, 11.0, 1e-9 * 11.0);
  EXPECT_EQ(fit.sense, 1);
  EXPECT_NEAR(fit.turns, (steps - 1) * dt / 11.0, 1e-9);
}

}  // namespace
