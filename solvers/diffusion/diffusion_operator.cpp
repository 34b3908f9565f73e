#include "solvers/diffusion/diffusion_operator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <stdexcept>

#include "base/petsc_error.h"

namespace nf {
namespace {

std::vector<double> central_weights(int order) {
  if (order == 2) return {1.0, -2.0, 1.0};
  if (order == 4) return {-1.0 / 12, 16.0 / 12, -30.0 / 12, 16.0 / 12, -1.0 / 12};
  throw std::invalid_argument(fmt::format("diffusion stencils are of order 2 or 4, not {}", order));
}

Wall wall_of(const GridSpec& g, int axis) {
  return static_cast<std::size_t>(axis) < g.wall.size() ? g.wall[axis] : Wall::neumann;
}

}  // namespace

DiffusionOperator::DiffusionOperator(const GridSpec& grid, DiffusionSpec spec)
    : grid_(grid), spec_(std::move(spec)), weights_(central_weights(spec_.order)) {
  if (grid_.stencil_width < spec_.order / 2)
    throw std::invalid_argument(fmt::format("a diffusion stencil of order {} needs a grid stencil width of {}, not {}",
                                            spec_.order, spec_.order / 2, grid_.stencil_width));
  for (std::size_t c = 0; c < spec_.diffusivity.size(); ++c)
    if (spec_.diffusivity[c] > 0) diffusing_.push_back(static_cast<PetscInt>(c));
}

DiffusionOperator::Image DiffusionOperator::image(int axis, PetscInt i) const {
  const PetscInt n = grid_.cells[axis];
  if (grid_.boundary[axis] == Boundary::periodic || (i >= 0 && i < n)) return {i, 1.0};
  const double s = wall_of(grid_, axis) == Wall::dirichlet ? -1.0 : 1.0;
  return {i < 0 ? -1 - i : 2 * n - 1 - i, s};
}

// D sum_o w_o u_{i+o} / h^2 along one axis, for cell (i, j, k) and component c.
double DiffusionOperator::axis_term(const Patch& p, const double* u, int axis, PetscInt i, PetscInt j, PetscInt k,
                                    PetscInt c) const {
  const int r = spec_.order / 2;
  std::array<PetscInt, 3> at{i, j, k};
  const PetscInt centre = at[axis], n = grid_.cells[axis];
  const bool inside = grid_.boundary[axis] == Boundary::periodic || (centre >= r && centre < n - r);
  double sum = 0;
  for (int o = -r; o <= r; ++o) {
    double sign = 1.0;
    if (inside) {
      at[axis] = centre + o;
    } else {
      const Image im = image(axis, centre + o);
      at[axis] = im.index;
      sign = im.sign;
    }
    sum += weights_[o + r] * sign * u[p.ghosted(at[0], at[1], at[2], c)];
  }
  const double h = grid_.spacing[axis];
  return sum / (h * h);
}

void DiffusionOperator::add_to(const Patch& p, const double* u, double* f) const {
  const int dim = static_cast<int>(grid_.cells.size());
  for (PetscInt c : diffusing_) {
    const double d = spec_.diffusivity[c];
    for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
      for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
        for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i) {
          double lap = 0;
          for (int a = 0; a < dim; ++a) lap += axis_term(p, u, a, i, j, k, c);
          f[p.owned(i, j, k, c)] += d * lap;
        }
  }
}

void DiffusionOperator::assemble(DM dm, Mat l) const {
  DMDALocalInfo info;
  check_petsc(DMDAGetLocalInfo(dm, &info));
  check_petsc(MatZeroEntries(l));
  const int dim = static_cast<int>(grid_.cells.size()), r = spec_.order / 2;
  const PetscInt start[3] = {info.xs, info.ys, info.zs}, count[3] = {info.xm, info.ym, info.zm};
  std::vector<MatStencil> cols;
  std::vector<PetscScalar> vals;
  for (PetscInt c = 0; c < info.dof; ++c) {
    const double d = c < static_cast<PetscInt>(spec_.diffusivity.size()) ? spec_.diffusivity[c] : 0.0;
    for (PetscInt k = start[2]; k < start[2] + count[2]; ++k)
      for (PetscInt j = start[1]; j < start[1] + count[1]; ++j)
        for (PetscInt i = start[0]; i < start[0] + count[0]; ++i) {
          const MatStencil row{k, j, i, c};
          cols.assign(1, row);
          vals.assign(1, 0.0);
          for (int a = 0; d > 0 && a < dim; ++a) {
            const double h = grid_.spacing[a];
            for (int o = -r; o <= r; ++o) {
              std::array<PetscInt, 3> at{i, j, k};
              const Image im = image(a, at[a] + o);
              at[a] = im.index;
              cols.push_back(MatStencil{at[2], at[1], at[0], c});
              vals.push_back(d * im.sign * weights_[o + r] / (h * h));
            }
          }
          check_petsc(MatSetValuesStencil(l, 1, &row, static_cast<PetscInt>(cols.size()), cols.data(), vals.data(),
                                          ADD_VALUES));
        }
  }
  check_petsc(MatAssemblyBegin(l, MAT_FINAL_ASSEMBLY));
  check_petsc(MatAssemblyEnd(l, MAT_FINAL_ASSEMBLY));
}

double DiffusionOperator::spectral_radius() const {
  double d = 0;
  for (PetscInt c : diffusing_) d = std::max(d, spec_.diffusivity[c]);
  const double per_axis = spec_.order == 2 ? 4.0 : 16.0 / 3.0;
  double sum = 0;
  for (double h : grid_.spacing) sum += per_axis / (h * h);
  return d * sum;
}

double real_stability_interval(int order) {
  const int p = std::clamp(order, 1, 5);
  const auto stable = [p](double y) {  // |R(-y')| <= 1 for y' in [0, y], sampled
    constexpr int kSamples = 4000;
    for (int s = 1; s <= kSamples; ++s) {
      const double z = -y * s / kSamples;
      double term = 1, sum = 1;
      for (int q = 1; q <= p; ++q) sum += (term *= z / q);
      if (std::abs(sum) > 1 + 1e-12) return false;
    }
    return true;
  };
  double lo = 0, hi = 8;
  for (int it = 0; it < 60; ++it) {
    const double mid = 0.5 * (lo + hi);
    (stable(mid) ? lo : hi) = mid;
  }
  return lo;
}

}  // namespace nf
