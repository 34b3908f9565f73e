#include "postprocess/front_observer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>

#include "base/petsc_error.h"

namespace nf {
namespace {

void allreduce(void* in_out, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm, const char* what) {
  if (MPI_Allreduce(MPI_IN_PLACE, in_out, count, type, op, comm) != MPI_SUCCESS)
    throw PetscFailure(std::string("MPI_Allreduce of the front observer's ") + what + " failed");
}

double cell_volume(const GridSpec& spec) {
  double v = 1;
  for (double h : spec.spacing) v *= h;
  return v;
}

bool owns(const Patch& p, int axis, PetscInt cell) {
  return p.start[axis] <= cell && cell < p.start[axis] + p.count[axis];
}

}  // namespace

FrontObserver::FrontObserver(const Grid& grid, int component, double level)
    : grid_(grid),
      component_(component),
      level_(level),
      line_j_(grid.patch().global[1] / 2),
      line_k_(grid.patch().global[2] / 2),
      on_line_(owns(grid.patch(), 1, line_j_) && owns(grid.patch(), 2, line_k_)),
      cell_volume_(cell_volume(grid.spec())) {
  if (component < 0 || component >= grid.dof())
    throw std::invalid_argument("front observer: component " + std::to_string(component) + " outside [0, " +
                                std::to_string(grid.dof()) + ")");
  if (grid.spec().stencil_width < 1)
    throw std::invalid_argument("front observer: the grid needs ghost cells (stencil width >= 1)");
  check_petsc(DMCreateLocalVector(grid.dm(), local_.out()));
  ghosted_line_.resize(static_cast<std::size_t>(grid.patch().ghost_count[0]));
}

void FrontObserver::observe(const StepState& state) {
  const Patch& p = grid_.patch();
  check_petsc(DMGlobalToLocalBegin(grid_.dm(), state.u, INSERT_VALUES, local_));
  check_petsc(DMGlobalToLocalEnd(grid_.dm(), state.u, INSERT_VALUES, local_));
  const PetscScalar* a = nullptr;
  check_petsc(VecGetArrayRead(local_, &a));
  long long active = 0;
  for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
    for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
      for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i)
        active += PetscRealPart(a[p.ghosted(i, j, k, component_)]) >= level_;
  if (on_line_)
    for (PetscInt i = 0; i < p.ghost_count[0]; ++i)
      ghosted_line_[i] = PetscRealPart(a[p.ghosted(p.ghost_start[0] + i, line_j_, line_k_, component_)]);
  check_petsc(VecRestoreArrayRead(local_, &a));

  // The last falling interval (i, i+1) with i owned here; i+1 may be a ghost.
  const PetscInt n0 = p.global[0];
  auto line = [&](PetscInt i) { return ghosted_line_[i - p.ghost_start[0]]; };
  long long interval = -1;
  if (on_line_)
    for (PetscInt i = std::min(p.start[0] + p.count[0], n0 - 1); i-- > p.start[0];)
      if (line(i) >= level_ && line(i + 1) < level_) {
        interval = i;
        break;
      }
  allreduce(&interval, 1, MPI_LONG_LONG, MPI_MAX, grid_.comm(), "crossing interval");

  // The stencil's values from their owners (exact: each cell is added once, to zeros),
  // and the active cell count (exact in a double below 2^53 cells).
  std::array<double, 5> sums{};
  if (interval >= 0 && on_line_) {
    const CrossingStencil stencil = crossing_stencil(static_cast<std::size_t>(interval), static_cast<std::size_t>(n0));
    for (std::size_t s = 0; s < stencil.count; ++s) {
      const auto cell = static_cast<PetscInt>(stencil.first + s);
      if (owns(p, 0, cell)) sums[s] = line(cell);
    }
  }
  sums[4] = static_cast<double>(active);
  allreduce(sums.data(), 5, MPI_DOUBLE, MPI_SUM, grid_.comm(), "crossing stencil and active cells");

  times_.push_back(state.t);
  positions_.push_back(crossing_position(interval, sums));
  measures_.push_back(sums[4] * cell_volume_);
}

double FrontObserver::crossing_position(long long interval, std::span<const double> sums) const {
  if (interval < 0) return std::numeric_limits<double>::quiet_NaN();
  const auto i = static_cast<std::size_t>(interval);
  const CrossingStencil stencil = crossing_stencil(i, static_cast<std::size_t>(grid_.patch().global[0]));
  return crossing_in_interval(sums.first(stencil.count), stencil, i, level_, 0.0,
                              grid_.spec().spacing[0]);
}

void FrontObserver::finish() {
  if (times_.empty()) return;
  const Patch& p = grid_.patch();
  final_line_.assign(static_cast<std::size_t>(p.global[0]), 0.0);
  if (on_line_)
    for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i)
      final_line_[i] = ghosted_line_[i - p.ghost_start[0]];
  allreduce(final_line_.data(), static_cast<int>(final_line_.size()), MPI_DOUBLE, MPI_SUM, grid_.comm(),
            "final line");
  final_bump_width_ = bump_width(final_line_, level_, 0.0, grid_.spec().spacing[0], grid_.spec().boundary[0]);
}

FrontSpeedFit FrontObserver::planar_speed(double t_start) const {
  return fit_front_speed(times_, positions_, t_start);
}

FrontSpeedFit FrontObserver::radial_speed(double t_start) const {
  const double everything = cell_volume_ * static_cast<double>(grid_.global_size() / grid_.dof());
  std::vector<double> radii;
  radii.reserve(measures_.size());
  for (double m : measures_)
    radii.push_back(m > 0 && m < everything ? active_radius(m, grid_.dimension())
                                            : std::numeric_limits<double>::quiet_NaN());
  return fit_front_speed(times_, radii, t_start);
}

}  // namespace nf
