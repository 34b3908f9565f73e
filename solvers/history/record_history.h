#pragma once
// Per-step records that a system reads at past times besides its state: the Fourier
// transforms of the sources of delayed couplings (solvers/convolution). The delay
// engine keeps them beside u: one record per accepted step, trimmed to the span the
// system reads back, in one ring of slots allocated up front (grown, by half again,
// only when steps shrink below the expected one).
//
// A record at any time q comes from the cubic Lagrange polynomial through the four
// stored (or current) records nearest to q: local error O(dt^4), like the Hermite
// dense output of u, with no derivative needed. Times after the newest accepted step
// use the current stage's record as the newest point (the step's continuous
// extension): a ring whose lag is shorter than the step reads between the last
// accepted step and the stage itself, so short lags keep the order without capping
// the step. Before the first record the history is constant (the system's state
// before the start is constant in time).
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
