// Sources of couplings (solvers/convolution/firing.h). The sub-cell Heaviside locates
// a level crossing by the cubic through four cells, so for a state that is a cubic
// polynomial along the axis it finds the crossing exactly, and each cell's active
// fraction and first moment are exact: int_cell H(u - theta) dy / V and
// (1/V) int_cell (y - x_j) H dy.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "solvers/convolution/firing.h"

namespace nf {
namespace {

// A serial 1D patch of n cells with `ghosts` ghost cells on each side (periodic-like
// ghost indices, filled by the caller).
Patch line_patch(PetscInt n, PetscInt ghosts) {
  Patch p;
  p.start = {0, 0, 0};
  p.count = {n, 1, 1};
  p.ghost_start = {-ghosts, 0, 0};
  p.ghost_count = {n + 2 * ghosts, 1, 1};
  p.global = {n, 1, 1};
  return p;
}

// Exact fraction and moment (m) of cell [x_j - h/2, x_j + h/2] active where x < p.
void exact_left_active(double xj, double h, double p, double& fraction, double& moment) {
  const double a = xj - h / 2, b = std::min(xj + h / 2, std::max(a, p));
  fraction = (b - a) / h;
  moment = ((b - xj) * (b - xj) - (a - xj) * (a - xj)) / (2 * h);
}

TEST(SubcellHeaviside, CubicProfileGivesExactFractionsAndMoments) {
  const PetscInt n = 16, ghosts = 2;
  const double h = 0.1, theta = 0.25, p = 0.8234;  // crossing inside cell 8
  const Patch patch = line_patch(n, ghosts);
  // u - theta = -(x - p) (1 + 0.3 (x - p) + 0.2 (x - p)^2): decreasing through theta at p only.
  std::vector<double> u(static_cast<std::size_t>(n + 2 * ghosts));
  for (PetscInt i = -ghosts; i < n + ghosts; ++i) {
    const double x = (i + 0.5) * h, d = x - p;
    u[static_cast<std::size_t>(i + ghosts)] = theta - d * (1 + 0.3 * d + 0.2 * d * d);
  }
  std::vector<double> fraction(n), moment(n);
  double* moments[] = {moment.data()};
  fill_source(patch, {h}, u.data(), 0, Firing{FiringKind::heaviside, theta, 1}, fraction.data(), moments);
  for (PetscInt j = 0; j < n; ++j) {
    double f = 0, m = 0;
    exact_left_active((j + 0.5) * h, h, p, f, m);
    EXPECT_NEAR(fraction[j], f, 1e-13) << "cell " << j;
    EXPECT_NEAR(moment[j], m, 1e-13) << "cell " << j;
  }
  double total = 0;
  for (double f : fraction) total += f * h;
  EXPECT_NEAR(total, p, 1e-13);  // the active length is exactly the crossing position
}

TEST(SubcellHeaviside, CellsFarFromTheCrossingAreWhole) {
  const PetscInt n = 12, ghosts = 2;
  const Patch patch = line_patch(n, ghosts);
  std::vector<double> u(static_cast<std::size_t>(n + 2 * ghosts), 1.0);
  std::vector<double> fraction(n), moment(n);
  double* moments[] = {moment.data()};
  fill_source(patch, {0.5}, u.data(), 0, Firing{FiringKind::heaviside, 0.5, 1}, fraction.data(), moments);
  for (PetscInt j = 0; j < n; ++j) {
    EXPECT_EQ(fraction[j], 1.0);
    EXPECT_EQ(moment[j], 0.0);
  }
}

TEST(PointwiseFiring, MatchesItsFormula) {
  const Firing sigmoid{FiringKind::sigmoid, 0.3, 20};
  EXPECT_NEAR(fire(sigmoid, 0.3), 0.5, 1e-15);
  EXPECT_NEAR(fire(sigmoid, 0.4), 1 / (1 + std::exp(-2.0)), 1e-15);
  const Firing ramp{FiringKind::piecewise_linear, 0.3, 2};
  EXPECT_NEAR(fire(ramp, 0.4), 0.7, 1e-15);
  EXPECT_EQ(fire(ramp, 1.0), 1.0);
  EXPECT_EQ(fire(ramp, -1.0), 0.0);
  const PetscInt n = 5;
  const Patch patch = line_patch(n, 1);
  std::vector<double> u = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0};
  std::vector<double> out(n);
  fill_source(patch, {1.0}, u.data(), 0, sigmoid, out.data(), {});
  for (PetscInt j = 0; j < n; ++j) EXPECT_NEAR(out[j], fire(sigmoid, u[j + 1]), 1e-15);
}

}  // namespace
}  // namespace nf
