#pragma once
// Follows a spiral's tip as a run goes (postprocess/spiral_tip.h): per observed step,
// on the plane of cells k = N2/2 (the whole grid in 2D; in 3D the scroll wave's
// filament where it pierces the middle plane), every grid square (i, j)-(i+1, j+1)
// whose bilinear fields u - TipLevels::u and w - TipLevels::w both vanish somewhere
// gives a tip candidate at (x, y) = ((i + 1/2 + s) h_0, (j + 1/2 + t) h_1) (m); squares
// wrap on a periodic axis (positions taken modulo the length). The recorded tip is the
// candidate nearest the previous step's tip, or the first in (j, i) order when there
// was none; NaN when there is no candidate.
//
// Each step is collective: one exchange of ghost cells and one fixed-size gather of at
// most kMaxTipsPerRank candidates per rank. Every candidate is computed by the one
// rank that owns its square's corner (i, j) from the same 8 values, and the choice
// sees them all in global (j, i) order, so the trajectory does not depend on how the
// grid is split, bit for bit.
#include <petscvec.h>

#include <array>
#include <vector>

#include "base/petsc_handles.h"
#include "meshes/grid.h"
#include "models/model.h"
#include "postprocess/spiral_tip.h"
#include "solvers/step_observer.h"

namespace nf {

class SpiralTipObserver : public StepObserver {
 public:
  static constexpr int kMaxTipsPerRank = 32;

  // Collective over grid.comm(); the grid must outlive the observer. Throws
  // std::invalid_argument for a grid of one dimension, fewer than 2 components, or
  // without ghost cells.
  SpiralTipObserver(const Grid& grid, TipLevels levels);

  void observe(const StepState& state) override;  // collective
  // "tips": the trajectory so far.
  std::string checkpoint_name() const override { return "tips"; }
  void save(ObserverState& state) override;
  void resume(const ObserverState& state) override;

  // One entry per observed step, identical on every rank.
  const std::vector<double>& times() const { return times_; }    // s
  const std::vector<double>& x() const { return x_; }            // m, NaN: no tip
  const std::vector<double>& y() const { return y_; }            // m, NaN: no tip
  const std::vector<int>& candidates() const { return counts_; }  // tip candidates (all ranks)
  // Steps where some rank found more candidates than kMaxTipsPerRank (the rest ignored).
  long long overflowed_steps() const { return overflowed_steps_; }

  // fit_rotation_period of the trajectory over t >= t_start.
  RotationFit rotation(double t_start) const;

 private:
  // Candidates of this rank's squares into local_tips_ after its count slot, as
  // (j, i, x, y); their count,
  // possibly above kMaxTipsPerRank (the excess dropped).
  int find_local_tips(const PetscScalar* a);
  void choose_tip(double t, int total);

  const Grid& grid_;
  TipLevels levels_;
  PetscInt plane_k_;
  bool on_plane_;
  OwnedVec local_;
  std::vector<double> local_tips_;     // count, then kMaxTipsPerRank * (j, i, x, y)
  std::vector<double> gathered_;       // ranks * (1 + kMaxTipsPerRank * 4)
  std::vector<std::array<double, 4>> candidates_;  // all ranks' candidates, one step
  std::vector<double> times_, x_, y_;
  std::vector<int> counts_;
  long long overflowed_steps_ = 0;
};

}  // namespace nf
