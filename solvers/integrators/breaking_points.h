#pragma once
// Breaking points of a delay equation with constant lags d_1 < ... < d_L: the times
// where a derivative of the solution u jumps (Bellen & Zennaro, Numerical Methods for
// Delay Differential Equations, OUP 2003, §3.2).
//
// Sources. At t0 the history need not match the equation, so u' jumps there. At a
// discontinuity of f's forcing at t_b where f^(m) jumps, u^(m+1) jumps. A jump of
// u^(q) at t reaches f through each delayed term at t + d_k, where u^(q+1) jumps: the
// echo is one derivative smoother. So a source of order m (t0: m = 0) puts a jump of
// u^(m+1+k) at t_b + s for every sum s of k lags, k = 0, 1, 2, ...
//
// A step that straddles a jump of u^(q) has a local error of order h^q and spoils the
// history's interpolant there. Steps land on every point with m + 1 + k <= p + 1 (p:
// the method's order), that is on t_b + (a sum of at most p - m lags): one level more
// than the local error needs (q <= p), as t0's points always had, so that the
// observed order stays clean at coarse steps.
//
// Lazily, in increasing order. The distinct sums of at most K lags come from a
// priority queue over multisets of lags written as non-decreasing index sequences:
// each sequence has one parent (drop a repeated last index, or lower the last index by
// one), so popping the smallest sum and pushing its two children (repeat the last
// lag; replace it by the next longer one) lists every sum once, in order, with O(log)
// work per sum. Each sum is formed as a chain of additions of lags, so it carries at
// most K roundings (base/time_tolerance.h). The sums are shared, memoised, by every
// source with the same K; a source is a cursor into them, and the sources are merged
// through a second priority queue. A source leaves the queue when its sums run out or
// pass t_end, and discontinuities of the forcing are pulled one at a time, so memory
// and work per breaking point depend on the lags and the order, never on t_end.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <vector>

#include "base/discontinuity.h"

namespace nf {

// The distinct sums of at most max_count of the lags (ascending, positive), in
// increasing order, 0 first.
class LagSums {
 public:
  LagSums(const std::vector<double>& lags, int max_count);
  // The i-th smallest distinct sum; +inf past the last.
  double at(std::size_t i);
  std::size_t generated() const { return sums_.size(); }

 private:
  struct Multiset {
    double sum;          // s: prefix + lags[last]
    double prefix;       // s: sum of every lag but the last
    std::uint32_t last;  // index of the last (longest) lag
    int count;           // number of lags, >= 1
    bool operator>(const Multiset& o) const { return sum > o.sum; }
  };
  bool extend();
  void push(double prefix, std::uint32_t last, int count);

  std::vector<double> lags_;
  int max_count_;
  std::vector<double> sums_;
  std::priority_queue<Multiset, std::vector<Multiset>, std::greater<Multiset>> frontier_;
};

class BreakingPoints {
 public:
  // forcing(after): the first discontinuity of f's forcing later than `after`.
  using Forcing = std::function<std::optional<Discontinuity>(double after)>;

  BreakingPoints(std::vector<double> lags, double t0, double t_end, int order, Forcing forcing);
  // The first breaking point later than t (beyond round-off) and not after t_end, or
  // +inf. Cheapest with t non-decreasing between calls; an earlier t restarts from t0.
  double next_after(double t);
  // Lands on the points of derivatives up to order + 1 from now on (restarts).
  void set_order(int order);
  int order() const { return order_; }
  // Sources (t0 and forcing discontinuities) whose echoes are still ahead.
  std::size_t active_sources() const { return cursors_.size(); }
  // Sums held by the memo of every lag-count bound.
  std::size_t memoised_sums() const;

 private:
  struct Cursor {
    double next;         // s: t_b + sums(levels)[index]
    double origin;       // s: t_b
    int levels;          // K: at most this many lags
    std::size_t index;
    bool operator>(const Cursor& o) const { return next > o.next; }
  };
  void restart();
  void add_source(double origin, int levels);
  void admit_forcing_until(double t);
  LagSums& sums(int levels);

  std::vector<double> lags_;
  double t0_, t_end_;
  int order_;
  Forcing forcing_;
  std::vector<std::optional<LagSums>> sums_;  // by K
  std::priority_queue<Cursor, std::vector<Cursor>, std::greater<Cursor>> cursors_;
  std::optional<Discontinuity> pending_;      // the next forcing discontinuity not yet a source
  double query_ = 0;
};

}  // namespace nf
