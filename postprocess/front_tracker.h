#pragma once
// Fronts and bumps of a field sampled on a line of cells: where the line crosses a
// level, how fast that place moves, how wide the region above the level is.
//
// Cell i of a line sits at x_i = origin + (i + 1/2) h (m). A crossing of `level` in
// the interval [x_i, x_{i+1}] is the root there of the cubic through the 4 cells
// i-1 .. i+2; next to the ends of the line the 4 cells are the line's first or last
// four (a one-sided cubic, the same order), and a line of fewer than 4 cells uses the
// straight line through cells i and i+1. For a smooth field u the position error is
// at most C (h^4/24) max|u''''| / min|u'|, the cubic's interpolation error over the
// interval divided by the slope within h of the crossing: O(h^4). C = max |prod_k
// (x - x_k)| / h^4 over the interval: 9/16 for the centred cells, 1 next to the ends.
#include <array>
#include <cstddef>
#include <optional>
#include <span>

#include "meshes/grid.h"

namespace nf {

// The cells [first, first + count) whose values locate a crossing inside interval
// (i, i+1) of a line of n >= 2 cells: count = 4 (cubic) when n >= 4, else 2 (linear).
struct CrossingStencil {
  std::size_t first = 0;
  std::size_t count = 0;
};
CrossingStencil crossing_stencil(std::size_t i, std::size_t n);

// The position (m) of the crossing of `level` inside interval (i, i+1), from the
// stencil's values (cells crossing_stencil(i, n).first, ...). The values of cells i
// and i+1 must lie on opposite sides (one >= level, the other < level); the root
// is found by bisection to round-off, so the same values give the same position
// bit for bit.
double crossing_in_interval(std::span<const double> stencil_values, CrossingStencil stencil, std::size_t i,
                            double level, double origin, double h);

// The last (largest x) falling crossing: the largest i with line[i] >= level and
// line[i+1] < level, located inside (x_i, x_{i+1}). None if the line never falls
// through the level. The line is not wrapped (a periodic line's interval from the
// last cell to the first is not searched). NaN values never form a crossing.
std::optional<double> last_crossing(std::span<const double> line, double level, double origin, double h);

// The mirror: the first (smallest x) rising crossing, the smallest i with
// line[i] < level and line[i+1] >= level.
std::optional<double> first_rising_crossing(std::span<const double> line, double level, double origin, double h);

// Least-squares line x(t) = intercept + speed * t through the points with t >= t_start
// and a finite position (NaN positions, a front not found, are skipped). Times need
// not be uniform. found = false with fewer than kMinFitPoints such points, or when
// they all share one time.
struct FrontSpeedFit {
  bool found = false;
  double speed = 0;         // m/s
  double intercept = 0;     // position at t = 0 (m)
  std::size_t points = 0;   // points fitted
  double rms_residual = 0;  // sqrt(mean of (x_k - intercept - speed t_k)^2) (m)
};
inline constexpr std::size_t kMinFitPoints = 8;
// Throws std::invalid_argument if the spans differ in length.
FrontSpeedFit fit_front_speed(std::span<const double> times, std::span<const double> positions, double t_start);

// The least-squares fit x = speed t + intercept + b t^(-1/2) + d t^(-1) over the same
// points (t > 0): a steady speed behind slowly dying transients (models/model.h,
// FrontDrift). Solved by modified Gram-Schmidt on the scaled columns; found = false
// with fewer than kMinFitPoints points or when the columns are dependent. rms_residual
// is that of the four-term fit.
FrontSpeedFit fit_front_speed_with_transients(std::span<const double> times, std::span<const double> positions,
                                              double t_start);

// Least-squares exponential relaxation of a series x(t): dx/dt = rate (x - equilibrium),
// the line dx/dt = rate x + b through the centred differences
// (x_{k+1} - x_{k-1}) / (t_{k+1} - t_{k-1}) at every t_k >= t_start whose neighbours are
// finite. For x = x* + A e^{lambda t} on a uniform step dt the centred difference is
// lambda (1 + (lambda dt)^2/6 + ...) (x - x*). found = false with fewer than
// kMinFitPoints such points, or when x is constant over them. A rate > 0 is a departure.
// r_squared: the share of the variance of dx/dt the line explains, 1 for an exponential,
// near 0 where x moves at a steady speed (an expanding front) and the model does not apply.
struct RelaxationFit {
  bool found = false;
  double rate = 0;         // 1/s
  double equilibrium = 0;  // x* (units of x)
  double r_squared = 0;
  std::size_t points = 0;  // points fitted
};
// Throws std::invalid_argument if the spans differ in length.
RelaxationFit fit_relaxation(std::span<const double> times, std::span<const double> values, double t_start);

// The length (m) of the run of cells with u >= level that holds the line's maximum
// (the first maximum), from its rising edge to its falling edge, both located as
// crossings above. None if the maximum is below the level, or any value is NaN.
// bounded: none if the run reaches the first or last cell (its edge is not on the
// line). periodic: the line is continued periodically, so a run may wrap round the
// ends; none only if every cell is >= level. The edges are then found on the line
// unrolled from the cell left of the run, so both use centred cubics.
std::optional<double> bump_width(std::span<const double> line, double level, double origin, double h,
                                 Boundary boundary = Boundary::bounded);

// The radius (m) of the dim-ball of that measure: a radially expanding front's radius
// from the measure of {u >= level}. dim 1: L/2; dim 2: (A/pi)^(1/2); dim 3:
// (3V/(4 pi))^(1/3). Throws std::invalid_argument for dim outside 1..3 or a negative
// measure.
double active_radius(double active_measure, int dim);

}  // namespace nf
