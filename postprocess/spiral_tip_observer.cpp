#include "postprocess/spiral_tip_observer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "base/petsc_error.h"

namespace nf {
namespace {

constexpr int kTipValues = 4;                   // j, i, x, y
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool owns(const Patch& p, int axis, PetscInt cell) {
  return p.start[axis] <= cell && cell < p.start[axis] + p.count[axis];
}

// Position (m) of offset f in [0, 1] from cell `cell` along an axis, wrapped on a
// periodic one.
double coordinate(const GridSpec& spec, int axis, PetscInt cell, double f) {
  const double h = spec.spacing[axis], x = (static_cast<double>(cell) + 0.5 + f) * h;
  const double length = h * static_cast<double>(spec.cells[axis]);
  return spec.boundary[axis] == Boundary::periodic && x >= length ? x - length : x;
}

}  // namespace

SpiralTipObserver::SpiralTipObserver(const Grid& grid, TipLevels levels)
    : grid_(grid),
      levels_(levels),
      plane_k_(grid.patch().global[2] / 2),
      on_plane_(owns(grid.patch(), 2, plane_k_)) {
  if (grid.dimension() < 2) throw std::invalid_argument("spiral tip observer: the grid needs 2 or 3 dimensions");
  if (grid.dof() < 2) throw std::invalid_argument("spiral tip observer: the grid needs 2 components (u, w)");
  if (grid.spec().stencil_width < 1)
    throw std::invalid_argument("spiral tip observer: the grid needs ghost cells (stencil width >= 1)");
  check_petsc(DMCreateLocalVector(grid.dm(), local_.out()));
  int ranks = 1;
  MPI_Comm_size(grid.comm(), &ranks);
  local_tips_.resize(1 + kMaxTipsPerRank * kTipValues);
  gathered_.resize(static_cast<std::size_t>(ranks) * (1 + kMaxTipsPerRank * kTipValues));
  candidates_.reserve(static_cast<std::size_t>(ranks) * kMaxTipsPerRank);
}

int SpiralTipObserver::find_local_tips(const PetscScalar* a) {
  const Patch& p = grid_.patch();
  const GridSpec& spec = grid_.spec();
  if (!on_plane_) return 0;
  // The last cell of a bounded axis starts no square; a periodic one wraps through its ghost.
  auto squares_end = [&](int axis) {
    const PetscInt end = p.start[axis] + p.count[axis];
    return spec.boundary[axis] == Boundary::periodic ? end : std::min(end, p.global[axis] - 1);
  };
  const PetscInt i_end = squares_end(0), j_end = squares_end(1), k = plane_k_;
  int found = 0;
  for (PetscInt j = p.start[1]; j < j_end; ++j)
    for (PetscInt i = p.start[0]; i < i_end; ++i) {
      std::array<double, 4> u{}, w{};
      const std::array<std::array<PetscInt, 2>, 4> corners{{{i, j}, {i + 1, j}, {i, j + 1}, {i + 1, j + 1}}};
      for (std::size_t c = 0; c < 4; ++c) {
        u[c] = PetscRealPart(a[p.ghosted(corners[c][0], corners[c][1], k, 0)]) - levels_.u;
        w[c] = PetscRealPart(a[p.ghosted(corners[c][0], corners[c][1], k, 1)]) - levels_.w;
      }
      if (!may_hold_intersection(u, w)) continue;
      const SquareRoots roots = bilinear_intersections(u, w);
      for (std::size_t r = 0; r < roots.count; ++r, ++found) {
        if (found >= kMaxTipsPerRank) continue;
        double* tip = &local_tips_[1 + static_cast<std::size_t>(found) * kTipValues];
        tip[0] = static_cast<double>(j);
        tip[1] = static_cast<double>(i);
        tip[2] = coordinate(spec, 0, i, roots.points[r][0]);
        tip[3] = coordinate(spec, 1, j, roots.points[r][1]);
      }
    }
  return found;
}

void SpiralTipObserver::observe(const StepState& state) {
  check_petsc(DMGlobalToLocalBegin(grid_.dm(), state.u, INSERT_VALUES, local_));
  check_petsc(DMGlobalToLocalEnd(grid_.dm(), state.u, INSERT_VALUES, local_));
  const PetscScalar* a = nullptr;
  check_petsc(VecGetArrayRead(local_, &a));
  const int found = find_local_tips(a);
  check_petsc(VecRestoreArrayRead(local_, &a));

  constexpr int block = 1 + kMaxTipsPerRank * kTipValues;
  local_tips_[0] = static_cast<double>(found);
  if (MPI_Allgather(local_tips_.data(), block, MPI_DOUBLE, gathered_.data(), block, MPI_DOUBLE, grid_.comm()) !=
      MPI_SUCCESS)
    throw PetscFailure("MPI_Allgather of the spiral tip candidates failed");
  int total = 0;
  bool overflow = false;
  candidates_.clear();
  for (std::size_t r = 0; r < gathered_.size() / block; ++r) {
    const double* from = &gathered_[r * block];
    const int n = static_cast<int>(from[0]);
    overflow = overflow || n > kMaxTipsPerRank;
    total += n;
    for (int c = 0; c < std::min(n, kMaxTipsPerRank); ++c)
      candidates_.push_back({from[1 + c * kTipValues], from[2 + c * kTipValues], from[3 + c * kTipValues],
                             from[4 + c * kTipValues]});
  }
  overflowed_steps_ += overflow;
  std::sort(candidates_.begin(), candidates_.end());  // (j, i, x, y): global (j, i) order
  choose_tip(state.t, total);
}

void SpiralTipObserver::choose_tip(double t, int total) {
  double x = kNaN, y = kNaN;
  if (!candidates_.empty()) {
    std::size_t best = 0;
    const bool had_tip = !x_.empty() && std::isfinite(x_.back());
    if (had_tip) {
      double best_d2 = std::numeric_limits<double>::infinity();
      for (std::size_t c = 0; c < candidates_.size(); ++c) {
        const double dx = candidates_[c][2] - x_.back(), dy = candidates_[c][3] - y_.back();
        if (dx * dx + dy * dy < best_d2) best_d2 = dx * dx + dy * dy, best = c;
      }
    }
    x = candidates_[best][2];
    y = candidates_[best][3];
  }
  times_.push_back(t);
  x_.push_back(x);
  y_.push_back(y);
  counts_.push_back(total);
}

RotationFit SpiralTipObserver::rotation(double t_start) const { return fit_rotation_period(times_, x_, y_, t_start); }

void SpiralTipObserver::save(ObserverState& state) {
  state.values["times"] = times_;
  state.values["x"] = x_;
  state.values["y"] = y_;
  state.values["candidates"].assign(counts_.begin(), counts_.end());
  state.values["overflowed_steps"] = {static_cast<double>(overflowed_steps_)};
}

void SpiralTipObserver::resume(const ObserverState& state) {
  times_ = state.values.at("times");
  x_ = state.values.at("x");
  y_ = state.values.at("y");
  const auto& counts = state.values.at("candidates");
  counts_.assign(counts.begin(), counts.end());
  overflowed_steps_ = static_cast<long long>(state.values.at("overflowed_steps").at(0));
}

}  // namespace nf
