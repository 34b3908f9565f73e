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

  // The last falling and the first rising interval (i, i+1) with i owned here; i+1 may
  // be a ghost. One MAX reduction: the rising one enters as -i, none as the lowest value.
  const PetscInt n0 = p.global[0];
  auto line = [&](PetscInt i) { return ghosted_line_[i - p.ghost_start[0]]; };
  constexpr long long none = std::numeric_limits<long long>::min();
  std::array<long long, 2> intervals{-1, none};  // falling, -rising
  const PetscInt last = std::min(p.start[0] + p.count[0], n0 - 1);
  if (on_line_) {
    for (PetscInt i = last; i-- > p.start[0];)
      if (line(i) >= level_ && line(i + 1) < level_) {
        intervals[0] = i;
        break;
      }
    for (PetscInt i = p.start[0]; i < last; ++i)
      if (line(i) < level_ && line(i + 1) >= level_) {
        intervals[1] = -static_cast<long long>(i);
        break;
      }
  }
  allreduce(intervals.data(), 2, MPI_LONG_LONG, MPI_MAX, grid_.comm(), "crossing intervals");
  const long long falling = intervals[0], rising = intervals[1] == none ? -1 : -intervals[1];

  // The stencils' values from their owners (exact: each cell is added once, to zeros),
  // and the active cell count (exact in a double below 2^53 cells).
  std::array<double, 9> sums{};
  auto gather_stencil = [&](long long interval, double* into) {
    if (interval < 0 || !on_line_) return;
    const CrossingStencil stencil = crossing_stencil(static_cast<std::size_t>(interval), static_cast<std::size_t>(n0));
    for (std::size_t s = 0; s < stencil.count; ++s) {
      const auto cell = static_cast<PetscInt>(stencil.first + s);
      if (owns(p, 0, cell)) into[s] = line(cell);
    }
  };
  gather_stencil(falling, &sums[0]);
  gather_stencil(rising, &sums[4]);
  sums[8] = static_cast<double>(active);
  allreduce(sums.data(), 9, MPI_DOUBLE, MPI_SUM, grid_.comm(), "crossing stencils and active cells");

  const double right = crossing_position(falling, std::span<const double>(sums).subspan(0, 4));
  const double left = crossing_position(rising, std::span<const double>(sums).subspan(4, 4));
  times_.push_back(state.t);
  positions_.push_back(right);
  widths_.push_back(left < right ? right - left : std::numeric_limits<double>::quiet_NaN());
  measures_.push_back(sums[8] * cell_volume_);
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

FrontSpeedFit FrontObserver::planar_speed(double t_start, FrontDrift drift) const {
  if (drift.log_shift == 0 && !drift.fit_transients) return fit_front_speed(times_, positions_, t_start);
  std::vector<double> steady(positions_.size());
  for (std::size_t k = 0; k < steady.size(); ++k) {
    const double t = times_[k];
    steady[k] = t > 0 ? positions_[k] + drift.log_shift * std::log(t)
                      : std::numeric_limits<double>::quiet_NaN();
  }
  return drift.fit_transients ? fit_front_speed_with_transients(times_, steady, t_start)
                              : fit_front_speed(times_, steady, t_start);
}

RelaxationFit FrontObserver::width_relaxation(double t_start) const {
  return fit_relaxation(times_, widths_, t_start);
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

void FrontObserver::save(ObserverState& state) {
  state.values["times"] = times_;
  state.values["positions"] = positions_;
  state.values["widths"] = widths_;
  state.values["measures"] = measures_;
}

void FrontObserver::resume(const ObserverState& state) {
  times_ = state.values.at("times");
  positions_ = state.values.at("positions");
  widths_ = state.values.at("widths");
  measures_ = state.values.at("measures");
}

}  // namespace nf
