// The diffusion operator (solvers/diffusion/diffusion_operator.h) on eigenmodes of the
// Laplacian whose images through the walls are the mode itself:
//   Neumann walls at 0 and L: cos(pi m x / L); Dirichlet: sin(pi m x / L);
//   periodic: cos(2 pi m x / L); L u = -D k^2 u, k = pi m / L (or 2 pi m / L).
// The stencil's error is then its truncation error, D k^4 h^2 / 12 (order 2) or
// D k^6 h^4 / 90 (order 4) times |u|, so the observed order over h, h/2, h/4 is the
// stencil's. The assembled matrix applies the same stencil: M u = L u to round-off.
#include <gtest/gtest.h>
#include <petscdmda.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

#include "meshes/grid.h"
#include "solvers/diffusion/diffusion_operator.h"

namespace nf {
namespace {

using Mode = std::function<double(double x, double y)>;

struct Axis {
  PetscInt cells;
  double length;
  Boundary boundary;
  Wall wall;
};

GridSpec grid_spec(const std::vector<Axis>& axes, int order) {
  GridSpec s;
  for (const auto& a : axes) {
    s.cells.push_back(a.cells);
    s.boundary.push_back(a.boundary);
    s.spacing.push_back(a.length / static_cast<double>(a.cells));
    s.wall.push_back(a.wall);
  }
  s.component_names = {"u"};
  s.stencil_width = order / 2;
  return s;
}

// Fills the global vector u with mode at the cell centres.
void fill(const Grid& g, const Mode& mode, Vec u) {
  const Patch& p = g.patch();
  const auto& h = g.spec().spacing;
  PetscScalar* a = nullptr;
  VecGetArray(u, &a);
  for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
    for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i)
      a[p.owned(i, j)] = mode((static_cast<double>(i) + 0.5) * h[0],
                              h.size() > 1 ? (static_cast<double>(j) + 0.5) * h[1] : 0.0);
  VecRestoreArray(u, &a);
}

struct Applied {
  double error;     // max |L_h u - (-D k^2) u| over the cells
  double mismatch;  // max |M u - L_h u|, M the assembled matrix
};

Applied apply(const std::vector<Axis>& axes, int order, double d, const Mode& mode, double k2) {
  const GridSpec spec = grid_spec(axes, order);
  const Grid g(PETSC_COMM_WORLD, spec);
  const DiffusionOperator op(spec, DiffusionSpec{{d}, order});
  Vec u, local, f, mu;
  DMCreateGlobalVector(g.dm(), &u);
  DMCreateLocalVector(g.dm(), &local);
  VecDuplicate(u, &f);
  VecDuplicate(u, &mu);
  fill(g, mode, u);
  DMGlobalToLocal(g.dm(), u, INSERT_VALUES, local);
  VecZeroEntries(f);
  const PetscScalar* ul = nullptr;
  PetscScalar* fa = nullptr;
  VecGetArrayRead(local, &ul);
  VecGetArray(f, &fa);
  op.add_to(g.patch(), ul, fa);
  VecRestoreArray(f, &fa);
  VecRestoreArrayRead(local, &ul);

  Mat m;
  DMCreateMatrix(g.dm(), &m);
  op.assemble(g.dm(), m);
  MatMult(m, u, mu);
  VecAXPY(mu, -1.0, f);
  Applied r{};
  VecNorm(mu, NORM_INFINITY, &r.mismatch);
  VecAXPY(f, d * k2, u);  // L_h u + D k^2 u
  VecNorm(f, NORM_INFINITY, &r.error);
  MatDestroy(&m);
  VecDestroy(&mu);
  VecDestroy(&f);
  VecDestroy(&local);
  VecDestroy(&u);
  return r;
}

struct OrderCase {
  const char* name;
  Wall wall;
  Boundary boundary;
  int order;
  bool two_d;
};

class DiffusionStencil : public ::testing::TestWithParam<OrderCase> {};

TEST_P(DiffusionStencil, ObservedOrderAndAssembledMatrix) {
  const OrderCase c = GetParam();
  const double length = 2.0, d = 0.7, pi = M_PI;
  const double kx = (c.boundary == Boundary::periodic ? 2 : 1) * pi * 3 / length, ky = pi * 2 / length;
  const auto along = [&](double x, double k) {
    return c.boundary == Boundary::periodic || c.wall == Wall::neumann ? std::cos(k * x) : std::sin(k * x);
  };
  // y: the other wall kind, so that 2D mixes both.
  const Wall other = c.wall == Wall::neumann ? Wall::dirichlet : Wall::neumann;
  const Mode mode = [&](double x, double y) {
    return along(x, kx) * (c.two_d ? (other == Wall::neumann ? std::cos(ky * y) : std::sin(ky * y)) : 1.0);
  };
  const double k2 = kx * kx + (c.two_d ? ky * ky : 0.0);
  std::vector<double> errors;
  for (PetscInt n : {16, 32, 64}) {
    std::vector<Axis> axes{{n, length, c.boundary, c.wall}};
    if (c.two_d) axes.push_back({n, length, Boundary::bounded, other});
    const Applied a = apply(axes, c.order, d, mode, k2);
    errors.push_back(a.error);
    EXPECT_LT(a.mismatch, 1e-12 * d * k2) << n << " cells";
  }
  const double o1 = std::log2(errors[0] / errors[1]), o2 = std::log2(errors[1] / errors[2]);
  std::printf("%s: errors %.3e %.3e %.3e, observed orders %.3f %.3f\n", c.name, errors[0], errors[1], errors[2], o1, o2);
  EXPECT_NEAR(o2, c.order, 0.1);
  // The leading truncation term at 64 cells: D k^4 h^2 / 12 or D k^6 h^4 / 90 (1D).
  if (!c.two_d) {
    const double h = length / 64;
    const double lead = c.order == 2 ? d * k2 * k2 * h * h / 12 : d * k2 * k2 * k2 * std::pow(h, 4) / 90;
    EXPECT_NEAR(errors[2] / lead, 1.0, 0.02);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Walls, DiffusionStencil,
    ::testing::Values(OrderCase{"neumann_2", Wall::neumann, Boundary::bounded, 2, false},
                      OrderCase{"neumann_4", Wall::neumann, Boundary::bounded, 4, false},
                      OrderCase{"dirichlet_2", Wall::dirichlet, Boundary::bounded, 2, false},
                      OrderCase{"dirichlet_4", Wall::dirichlet, Boundary::bounded, 4, false},
                      OrderCase{"periodic_2", Wall::neumann, Boundary::periodic, 2, false},
                      OrderCase{"periodic_4", Wall::neumann, Boundary::periodic, 4, false},
                      OrderCase{"mixed_2d_2", Wall::neumann, Boundary::bounded, 2, true},
                      OrderCase{"mixed_2d_4", Wall::dirichlet, Boundary::bounded, 4, true}),
    [](const auto& info) { return std::string(info.param.name); });

// The explicit limit uses the symbol's extreme: 4 D / h^2 per axis (order 2), 16 D / (3 h^2) (order 4).
TEST(DiffusionStencil, SpectralRadiusIsTheSymbolsExtreme) {
  GridSpec s2 = grid_spec({{40, 2.0, Boundary::bounded, Wall::neumann}, {20, 2.0, Boundary::periodic, Wall::neumann}}, 2);
  s2.component_names = {"u", "w"};
  const double hx = 0.05, hy = 0.1;
  EXPECT_NEAR(DiffusionOperator(s2, {{0.3, 0.7}, 2}).spectral_radius(), 0.7 * (4 / (hx * hx) + 4 / (hy * hy)), 1e-9);
  const GridSpec s4 = grid_spec({{40, 2.0, Boundary::bounded, Wall::neumann}}, 4);
  EXPECT_NEAR(DiffusionOperator(s4, {{0.3}, 4}).spectral_radius(), 0.3 * 16 / (3 * hx * hx), 1e-9);
}

}  // namespace
}  // namespace nf
