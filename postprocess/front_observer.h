#pragma once
// Watches a front or bump of one component u of the state as a run goes: per observed
// step it records the time t (s), the planar front position (m), the width (m) and the
// active measure (m^dim), the same on every rank.
//
//   position: the last falling crossing of `level` (postprocess/front_tracker.h) along
//     axis 0 on the grid line through cell j = N1/2, k = N2/2 of the other axes (cell i
//     at x_i = (i + 1/2) h_0); NaN where the line never falls through the level. The
//     line is not wrapped on a periodic axis 0.
//   width: the last falling minus the first rising crossing of `level` on the same line
//     (first_rising_crossing): the full width of a single bump on it, from edge to edge;
//     NaN where either crossing is missing or the rising one is not left of the falling.
//   measure: the total volume prod_a h_a of the cells with u >= level: an area in 2D,
//     a length in 1D. From cell counts, so it is exact for the cells, and the radius
//     active_radius(measure, d) of a d-ball of radius R lies within h sqrt(d)/2 of R on
//     cubic cells of side h (the cells with centres inside R cover the ball of radius
//     R - h sqrt(d)/2 and lie inside that of R + h sqrt(d)/2).
//
// Each step is collective: one exchange of ghost cells, then two small reductions (the
// largest falling and smallest rising crossing intervals; the 4 values around each with
// the active cell count). The
// crossing is computed on every rank from the same 4 values, so positions do not
// depend on how the grid is split, bit for bit, even when the crossing straddles a
// rank boundary. finish() gathers the last observed line (N0 values) to every rank
// once, for its bump width.
#include <petscvec.h>

#include <optional>
#include <span>
#include <vector>

#include "base/petsc_handles.h"
#include "meshes/grid.h"
#include "models/model.h"
#include "postprocess/front_tracker.h"
#include "solvers/step_observer.h"

namespace nf {

class FrontObserver : public StepObserver {
 public:
  // Collective over grid.comm(); the grid must outlive the observer. Throws
  // std::invalid_argument for a component outside [0, dof) or a grid without ghost
  // cells (stencil width 0).
  FrontObserver(const Grid& grid, int component, double level);

  void observe(const StepState& state) override;  // collective
  void finish() override;                         // collective
  // "fronts": the series so far.
  std::string checkpoint_name() const override { return "fronts"; }
  void save(ObserverState& state) override;
  void resume(const ObserverState& state) override;

  // One entry per observed step, identical on every rank.
  const std::vector<double>& times() const { return times_; }          // s
  const std::vector<double>& positions() const { return positions_; }  // m, NaN: no crossing
  const std::vector<double>& widths() const { return widths_; }        // m, NaN: no bump
  const std::vector<double>& measures() const { return measures_; }    // m^dim

  // The front speed over t >= t_start (m/s) after the known drift of a pulled front
  // is removed, x(t) + log_shift ln t with t from the start of the run, by
  // fit_front_speed or, with drift.fit_transients, fit_front_speed_with_transients
  // (models/model.h, FrontDrift).
  FrontSpeedFit planar_speed(double t_start, FrontDrift drift = {}) const;
  // fit_front_speed of active_radius(measure, dim) over t >= t_start (m/s): a radial
  // front's speed (in 1D, the speed of each edge of a symmetric bump). Steps with
  // nothing or everything active hold no front and are skipped.
  FrontSpeedFit radial_speed(double t_start) const;

  // fit_relaxation of the widths over t >= t_start: the rate (1/s) at which a bump's
  // width relaxes to (rate < 0) or departs from (rate > 0) a stationary width.
  RelaxationFit width_relaxation(double t_start) const;

  // After finish(): the line of the last observed state (N0 values, cell i at
  // (i + 1/2) h_0), and bump_width of it along axis 0 (periodic if axis 0 is). None
  // before finish() or when nothing was observed.
  const std::vector<double>& final_line() const { return final_line_; }
  std::optional<double> final_bump_width() const { return final_bump_width_; }

  int dimension() const { return grid_.dimension(); }

 private:
  // The crossing in (interval, interval+1) from the reduced stencil values; NaN for -1.
  double crossing_position(long long interval, std::span<const double> sums) const;

  const Grid& grid_;
  PetscInt component_;
  double level_;
  PetscInt line_j_, line_k_;      // the observed line's cells along axes 1 and 2
  bool on_line_;                  // this rank owns part of it
  double cell_volume_;            // m^dim
  OwnedVec local_;                // ghosted copy of the state
  std::vector<double> ghosted_line_;  // the line over this rank's ghosted range of axis 0
  std::vector<double> times_, positions_, widths_, measures_;
  std::vector<double> final_line_;
  std::optional<double> final_bump_width_;
};

}  // namespace nf
