// The front observer (postprocess/front_observer.h) fed exact states: a tanh front moving
// along x in 1D and 2D, a disc of growing radius in 2D, and Gaussian bumps. Every rank
// count must reproduce, to round-off, what the serial measurements of the same values
// give (a reference computed here from the whole line or grid), and those must lie
// within the sampling bounds of the exact positions and speeds.
#include "postprocess/front_observer.h"

#include <gtest/gtest.h>
#include <petscvec.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "base/petsc_error.h"
#include "base/petsc_handles.h"
#include "meshes/grid.h"
#include "postprocess/front_tracker.h"
#include "tests/support/front_profiles.h"

namespace {

using nf::test::TanhFront;
constexpr double kSame = 1e-12;  // m: the same numbers, whatever the ranks

// u(x, y, z, t) of component `component`; the other component holds 1 - u, a decoy.
using Profile = std::function<double(double x, double y, double z, double t)>;

double centre(PetscInt i, double h) { return (static_cast<double>(i) + 0.5) * h; }

struct Field {
  nf::Grid grid;
  nf::OwnedVec u;
  explicit Field(const nf::GridSpec& spec) : grid(PETSC_COMM_WORLD, spec) {
    nf::check_petsc(DMCreateGlobalVector(grid.dm(), u.out()));
  }
  double h(int axis) const { return grid.spec().spacing[axis]; }

  // The centre of cell (i, j, k); 0 along axes the grid lacks.
  double at(int axis, PetscInt i) const { return axis < grid.dimension() ? centre(i, h(axis)) : 0.0; }
  double value(const Profile& f, PetscInt i, PetscInt j, PetscInt k, double t) const {
    return f(at(0, i), at(1, j), at(2, k), t);
  }

  void fill(const Profile& f, double t, PetscInt component) {
    const nf::Patch& p = grid.patch();
    PetscScalar* a = nullptr;
    nf::check_petsc(VecGetArray(u, &a));
    for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
      for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
        for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i) {
          const double v = value(f, i, j, k, t);
          for (PetscInt c = 0; c < p.dof; ++c) a[p.owned(i, j, k, c)] = c == component ? v : 1 - v;
        }
    nf::check_petsc(VecRestoreArray(u, &a));
  }

  // Feeds the observer the profile at every time, then finishes it.
  void run(nf::FrontObserver& observer, const Profile& f, const std::vector<double>& times, PetscInt component) {
    for (std::size_t s = 0; s < times.size(); ++s) {
      fill(f, times[s], component);
      observer.observe({times[s], static_cast<PetscInt>(s), u});
    }
    observer.finish();
  }

  // The serial reference: the observed line (j = N1/2, k = N2/2) and the active measure.
  std::vector<double> line(const Profile& f, double t) const {
    const nf::Patch& p = grid.patch();
    std::vector<double> v(p.global[0]);
    for (PetscInt i = 0; i < p.global[0]; ++i) v[i] = value(f, i, p.global[1] / 2, p.global[2] / 2, t);
    return v;
  }
  double active_measure(const Profile& f, double t, double level) const {
    const nf::Patch& p = grid.patch();
    double cells = 0;
    for (PetscInt k = 0; k < p.global[2]; ++k)
      for (PetscInt j = 0; j < p.global[1]; ++j)
        for (PetscInt i = 0; i < p.global[0]; ++i) cells += value(f, i, j, k, t) >= level;
    for (double spacing : grid.spec().spacing) cells *= spacing;
    return cells;
  }
};

// Uneven steps, as adaptive ones: t_k = dt k + 0.4 dt sin k (increasing).
std::vector<double> uneven_times(int count, double dt) {
  std::vector<double> t;
  for (int k = 0; k < count; ++k) t.push_back(dt * k + 0.4 * dt * std::sin(k));
  return t;
}

// Positions and measures against the serial reference; positions within `bound` of
// `exact`. Returns how many crossings lay in the interval (cells i, i+1) = (N0/2 - 1, N0/2),
// where 2 ranks split axis 0.
int check_series(const Field& field, const nf::FrontObserver& observer, const Profile& f, double level,
                 const std::function<double(double)>& exact, double bound) {
  int straddling = 0;
  const double h = field.h(0);
  const double split = centre(field.grid.patch().global[0] / 2, h);
  for (std::size_t s = 0; s < observer.times().size(); ++s) {
    const double t = observer.times()[s];
    const auto line = field.line(f, t);
    const auto reference = nf::last_crossing(line, level, 0.0, h);
    EXPECT_TRUE(reference) << "t = " << t;
    if (!reference) continue;
    EXPECT_NEAR(observer.positions()[s], *reference, kSame) << "t = " << t;
    EXPECT_NEAR(observer.positions()[s], exact(t), bound) << "t = " << t;
    EXPECT_NEAR(observer.measures()[s], field.active_measure(f, t, level), kSame) << "t = " << t;
    straddling += *reference > split - h && *reference < split;
  }
  return straddling;
}

TEST(FrontObserver, PlanarFrontIn1D) {
  // 200 cells of 0.01 m, w = 5h, c = 0.5 m/s: the front crosses the middle at t ~ 0.76 s.
  Field field({{200}, {nf::Boundary::bounded}, {0.01}, {"v", "u"}, 1});
  const TanhFront front{0.6, 0.5, 0.05};
  const double level = 0.3;
  const Profile f = [&](double x, double, double, double t) { return front(x, t); };
  nf::FrontObserver observer(field.grid, 1, level);
  const auto times = uneven_times(161, 0.01);
  field.run(observer, f, times, 1);

  const double bound = nf::test::tanh_crossing_bound(front, level, field.h(0));  // 8.8e-6 m
  const int straddling = check_series(field, observer, f, level, [&](double t) { return front.position(level, t); },
                                      bound);
  EXPECT_GE(straddling, 1);
  const double t_start = 0.2;
  const auto fit = observer.planar_speed(t_start);
  ASSERT_TRUE(fit.found);
  EXPECT_NEAR(fit.speed, front.speed, nf::test::slope_error_bound(times, t_start, bound));
  EXPECT_NEAR(fit.intercept, front.position(level, 0), 2 * bound);
  EXPECT_LT(fit.rms_residual, bound);
  // The active set [0, front): no bump on the line.
  EXPECT_FALSE(observer.final_bump_width());
  EXPECT_TRUE(std::all_of(observer.widths().begin(), observer.widths().end(), [](double w) { return std::isnan(w); }));
  EXPECT_EQ(observer.final_line(), field.line(f, times.back()));
}

TEST(FrontObserver, PlanarFrontIn2DOnTheMiddleLine) {
  // 100 x 10 cells, split along x on 2 ranks; the front leans, x_f = x0 + c t + 0.2 y,
  // so only the line j = 5 (y = 0.275 m) has the position checked.
  Field field({{100, 10}, {nf::Boundary::bounded, nf::Boundary::periodic}, {0.02, 0.05}, {"u"}, 1});
  const TanhFront front{0.5, 0.4, 0.1};
  const double level = 0.6, y_line = centre(5, 0.05);
  const Profile f = [&](double x, double y, double, double t) { return front(x - 0.2 * y, t); };
  nf::FrontObserver observer(field.grid, 0, level);
  const auto times = uneven_times(81, 0.02);
  field.run(observer, f, times, 0);

  const double bound = nf::test::tanh_crossing_bound(front, level, field.h(0));
  const int straddling = check_series(
      field, observer, f, level, [&](double t) { return front.position(level, t) + 0.2 * y_line; }, bound);
  EXPECT_GE(straddling, 1);
  const double t_start = 0.3;
  const auto fit = observer.planar_speed(t_start);
  ASSERT_TRUE(fit.found);
  EXPECT_NEAR(fit.speed, front.speed, nf::test::slope_error_bound(times, t_start, bound));
}

TEST(FrontObserver, GrowingDiscIn2D) {
  // R(t) = 0.15 + 0.5 t about (0.5, 0.5) on 160 x 160 cells of 1/160 m; u >= 1/2 exactly
  // where r <= R. Each measured radius (A/pi)^(1/2) lies within h/sqrt(2) of R.
  const double h = 1.0 / 160;
  Field field({{160, 160}, {nf::Boundary::bounded, nf::Boundary::bounded}, {h, h}, {"u"}, 1});
  const double R0 = 0.15, c = 0.5, w = 0.03;
  auto radius = [&](double t) { return R0 + c * t; };
  const Profile f = [&](double x, double y, double, double t) {
    return 0.5 * (1 - std::tanh((std::hypot(x - 0.5, y - 0.5) - radius(t)) / w));
  };
  nf::FrontObserver observer(field.grid, 0, 0.5);
  const auto times = uneven_times(41, 0.0125);
  field.run(observer, f, times, 0);

  const double cell_bound = h / std::sqrt(2.0);
  for (std::size_t s = 0; s < times.size(); ++s) {
    EXPECT_NEAR(observer.measures()[s], field.active_measure(f, times[s], 0.5), kSame);
    EXPECT_NEAR(nf::active_radius(observer.measures()[s], 2), radius(times[s]), cell_bound);
    const auto reference = nf::last_crossing(field.line(f, times[s]), 0.5, 0.0, h);
    ASSERT_TRUE(reference);
    EXPECT_NEAR(observer.positions()[s], *reference, kSame);
  }
  const double t_start = 0.1;
  const auto fit = observer.radial_speed(t_start);
  ASSERT_TRUE(fit.found);
  EXPECT_NEAR(fit.speed, c, nf::test::slope_error_bound(times, t_start, cell_bound));
  EXPECT_NEAR(fit.intercept, R0, cell_bound + t_start * std::abs(fit.speed - c));
}

TEST(FrontObserver, GrowingBallIn3D) {
  // R(t) = 0.2 + 0.3 t about the centre of 40^3 cells of 1/40 m: each measured radius
  // (3V/4pi)^(1/3) lies within h sqrt(3)/2 of R (the cells with centres inside R cover
  // the ball of radius R - h sqrt(3)/2 and lie inside that of R + h sqrt(3)/2).
  const double h = 1.0 / 40;
  Field field({{40, 40, 40}, {nf::Boundary::bounded, nf::Boundary::bounded, nf::Boundary::periodic}, {h, h, h},
               {"u"}, 1});
  auto radius = [](double t) { return 0.2 + 0.3 * t; };
  const Profile f = [&](double x, double y, double z, double t) {
    const double r = std::sqrt((x - 0.5) * (x - 0.5) + (y - 0.5) * (y - 0.5) + (z - 0.5) * (z - 0.5));
    return 0.5 * (1 - std::tanh((r - radius(t)) / 0.05));
  };
  nf::FrontObserver observer(field.grid, 0, 0.5);
  const auto times = uneven_times(12, 0.05);
  field.run(observer, f, times, 0);
  const double cell_bound = h * std::sqrt(3.0) / 2;
  for (std::size_t s = 0; s < times.size(); ++s) {
    EXPECT_NEAR(observer.measures()[s], field.active_measure(f, times[s], 0.5), kSame);
    EXPECT_NEAR(nf::active_radius(observer.measures()[s], 3), radius(times[s]), cell_bound);
    const auto reference = nf::last_crossing(field.line(f, times[s]), 0.5, 0.0, h);
    ASSERT_TRUE(reference);
    EXPECT_NEAR(observer.positions()[s], *reference, kSame);
  }
  const auto fit = observer.radial_speed(0.0);
  ASSERT_TRUE(fit.found);
  EXPECT_NEAR(fit.speed, 0.3, nf::test::slope_error_bound(times, 0.0, cell_bound));
}

// A Gaussian bump of width 2 m (at its edge level) on a 1D line of 400 cells of 0.025 m.
void check_final_bump(nf::Boundary boundary, double x0) {
  Field field({{400}, {boundary}, {0.025}, {"u"}, 1});
  const double L = 10;
  const Profile f = [&](double x, double, double, double) {
    const double d = boundary == nf::Boundary::periodic ? std::remainder(x - x0, L) : x - x0;
    return std::exp(-d * d / 2);
  };
  const double level = nf::test::gaussian_edge_level();
  nf::FrontObserver observer(field.grid, 0, level);
  field.run(observer, f, {0.0, 1.0}, 0);
  const auto line = field.line(f, 1.0);
  EXPECT_EQ(observer.final_line(), line);
  const auto width = observer.final_bump_width();
  ASSERT_TRUE(width);
  EXPECT_NEAR(*width, *nf::bump_width(line, level, 0.0, field.h(0), boundary), kSame);
  EXPECT_NEAR(*width, 2.0, nf::test::gaussian_width_bound(field.h(0)));  // 1.5e-7 m
  // The per-step width: the first rising to the last falling crossing, when the bump
  // does not wrap round the line's ends.
  ASSERT_EQ(observer.widths().size(), 2u);
  if (boundary == nf::Boundary::bounded)
    EXPECT_NEAR(observer.widths()[1], *width, kSame);
  else
    EXPECT_TRUE(std::isnan(observer.widths()[1]));
}

TEST(FrontObserver, FinalBumpWidthWithAnEdgeOnTheRankBoundary) {
  check_final_bump(nf::Boundary::bounded, 4.0);  // right edge at x = 5 m, where 2 ranks split
}

TEST(FrontObserver, FinalBumpWidthWrapsAPeriodicLine) {
  check_final_bump(nf::Boundary::periodic, 0.3);
}

TEST(FrontObserver, RejectsAComponentOutsideTheGrid) {
  Field field({{8}, {nf::Boundary::bounded}, {0.5}, {"u"}, 1});
  EXPECT_THROW(nf::FrontObserver(field.grid, 1, 0.5), std::invalid_argument);
}

}  // namespace
