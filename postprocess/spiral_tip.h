#pragma once
// A spiral's tip: where the level sets a = 0 and b = 0 of two fields meet, with a, b
// the excitation and recovery fields minus their tip levels (models/model.h,
// TipLevels; D. Barkley, M. Kness & L. S. Tuckerman, Phys Rev A 42:2489 (1990); F. Fenton &
// A. Karma, Chaos 8:20 (1998)). Within each grid square the two fields are the bilinear
// interpolants of their corner values, so the tip is exact for bilinear fields and in
// error by O(h^2) for smooth ones: the interpolation error C h^2 max|D^2 a| divided by
// the smallest singular value of the Jacobian of (a, b) at the tip.
//
// And the rotation period of a tip trajectory.
#include <array>
#include <cstddef>
#include <span>

namespace nf {

// The points (s, t) of the unit square [0, 1]^2 where both bilinear interpolants vanish,
// from corner values ordered (0,0), (1,0), (0,1), (1,1): at most two.
// Eliminating s from a(s, t) = a0 + a1 s + a2 t + a3 s t = 0 leaves the quadratic
//   (b2 a3 - b3 a2) t^2 + (b0 a3 + b2 a1 - b1 a2 - b3 a0) t + (b0 a1 - b1 a0) = 0,
// then s from whichever of a, b is better conditioned at that t.
struct SquareRoots {
  std::size_t count = 0;
  std::array<std::array<double, 2>, 2> points{};  // (s, t)
};
SquareRoots bilinear_intersections(const std::array<double, 4>& a, const std::array<double, 4>& b);

// Whether a square can hold an intersection: both fields take both signs (or 0) at its
// corners. A bilinear function lies between its corner extremes, so no other square can.
bool may_hold_intersection(const std::array<double, 4>& a, const std::array<double, 4>& b);

// Least-squares rotation of a trajectory (x_k, y_k) at times t_k >= t_start with finite
// positions: the angle theta_k about the mean position, unwrapped (each step taken as
// the change in (-pi, pi]), fitted by a line theta = theta_0 + omega t. period = 2 pi /
// |omega| (s); turns = |theta_last - theta_first| / (2 pi). found = false with fewer
// than 8 points or under two turns.
struct RotationFit {
  bool found = false;
  double period = 0;         // s
  double turns = 0;
  double centre_x = 0;       // m
  double centre_y = 0;       // m
  double rms_residual = 0;   // rad
  std::size_t points = 0;
  int sense = 0;             // +1 counter-clockwise, -1 clockwise
};
// Throws std::invalid_argument if the spans differ in length.
RotationFit fit_rotation_period(std::span<const double> times, std::span<const double> x,
                                std::span<const double> y, double t_start);

}  // namespace nf
