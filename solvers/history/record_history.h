#pragma once
// Per-step records that a system reads at past times besides its state: the Fourier
// transforms of the sources of delayed couplings (solvers/convolution). The delay
// engine keeps them beside u: one record per accepted step, trimmed to the span the
// system reads back, in one ring of slots allocated up front (grown, by half again,
// only when steps shrink below the expected one).
//
// A record at any time q up to the newest accepted step comes from the cubic Lagrange
// polynomial through the four stored records around q: local error O(dt^4), like the
// Hermite dense output of u, with no derivative needed. A time after the newest step
// (a lag shorter than the stage's offset in its step) uses the current stage's record
// as the fourth point, after the three newest: the step's continuous extension, so
// short lags neither cap the step nor wait on unknown values. The stage value is
// accurate to the stage order only, but its weight vanishes with the lag, and only
// the kernel mass within v h of the target reads it (docs/theory.md). Before the
// oldest record the history is constant: the system pushes its records from the
// start (or from before it, when its history before the start varies).
#include <array>
#include <cstddef>
#include <span>
#include <vector>

namespace nf {

class RecordHistory {
 public:
  // record_size values per record; records older than newest - span are dropped
  // (keeping the few the cubic needs); expected_dt (s) sizes the ring.
  RecordHistory(std::size_t record_size, double span, double expected_dt);

  // The slot of a new record at t (> the newest time); the caller fills it.
  std::span<double> push(double t);

  // The cubic through the points nearest q: up to four (record, weight) pairs, where a
  // null record stands for the current stage's record at t_now (>= the newest time).
  struct Term {
    const double* record;
    double weight;
  };
  struct Stencil {
    std::array<Term, 4> terms;
    int count = 0;
  };
  Stencil stencil(double q, double t_now) const;

  // Every record, oldest first (what a checkpoint keeps); refilled by push() in order.
  template <class Visit>
  void for_each(Visit&& visit) const {
    for (std::size_t i = 0; i < size_; ++i)
      visit(times_[index(i)], std::span<const double>(record(i), record_size_));
  }

  std::size_t record_size() const { return record_size_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  double newest_time() const { return times_[index(size_ - 1)]; }
  double oldest_time() const { return times_[index(0)]; }
  // Bytes the ring holds now.
  double bytes() const { return static_cast<double>(values_.size() * sizeof(double) + times_.size() * sizeof(double)); }

 private:
  std::size_t index(std::size_t i) const { return (first_ + i) % capacity_; }  // i = 0: the oldest
  const double* record(std::size_t i) const { return values_.data() + index(i) * record_size_; }
  void grow();
  void trim();

  std::size_t record_size_;
  double span_;
  std::size_t capacity_;
  std::vector<double> values_;  // capacity_ x record_size_
  std::vector<double> times_;   // capacity_
  std::size_t first_ = 0, size_ = 0;
};

}  // namespace nf
