#pragma once
// When two times (s) of a run are the same time: one rule for the whole engine (the
// history's stored times, breaking points and their merging, landing a step on a
// breaking point or on t_end, and the guard against steps below round-off).
//
// Every time the engine compares is a short sum of exact inputs, each addition
// rounded once: a grid time t0 + k dt (two roundings), a breaking point t_b plus a sum
// of at most 5 lags (six), a step end t + (stop - t) (two), a delayed time t - d (one).
// Each rounding errs by at most half an ulp of the largest operand, 2^-53 |t|, so such
// a time lies within 4 ulp of its exact value. The tolerance is 64 ulp, 2^-46 =
// 1.4e-14 relative: a margin of 16 over that bound, and still far below any step a run
// takes (dt = 1e-9 s at t = 1e3 s is 1e-12 relative).
// The scale is the larger magnitude, floored at 1 s: a time formed by cancellation
// (t - d with t close to d) carries the round-off of its operands, not of its small
// result, and lags are below 1 s in every model here.
#include <algorithm>
#include <cmath>

namespace nf {

inline constexpr double kTimeRelativeTolerance = 0x1.0p-46;

// s: the round-off allowance for times of magnitude up to |t|.
inline double time_tolerance(double t) { return kTimeRelativeTolerance * std::max(1.0, std::abs(t)); }

inline bool same_time(double a, double b) {
  return std::abs(a - b) <= kTimeRelativeTolerance * std::max({1.0, std::abs(a), std::abs(b)});
}

// a is later than b by more than round-off (a = +inf is later than any finite b).
inline bool later_than(double a, double b) { return a > b + time_tolerance(b); }

}  // namespace nf
