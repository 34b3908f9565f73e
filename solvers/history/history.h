#pragma once
// Store of past accepted steps (t, u, du/dt) with cubic Hermite dense output.
// Each rank keeps only its owned part; ghost values are made by the caller from the
// interpolated global vector, by the DM's neighbour scatter (never an all-to-all).
// The store is trimmed to the largest lag, so memory stays flat over a run, and its
// slots are allocated once (growing only if the step shrinks), never per step.
//
// Hermite interpolation on [t_a, t_b], h = t_b - t_a, s = (t - t_a)/h:
//   u(t) = (1+2s)(1-s)^2 u_a + s(1-s)^2 h f_a + s^2(3-2s) u_b + s^2(s-1) h f_b,
// with local error O(h^4) (Hairer, Norsett & Wanner, Solving ODEs I, II.6 and II.17),
// enough to keep the order of methods up to order 4 (interpolation error enters the
// delayed argument once per step).
#include <petscvec.h>

#include <functional>
#include <vector>

namespace nf {

class History {
 public:
  using BeforeStart = std::function<void(double t, Vec out)>;

  // template_vec fixes the layout; max_lag (s) sets how far back to keep;
  // expected_dt (s) sizes the ring.
  History(Vec template_vec, double max_lag, double expected_dt, BeforeStart before_start);
  ~History();
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  // Copies (t, u, dudt); t must exceed the newest stored time.
  void push(double t, Vec u, Vec dudt);
  // u(t) into out: the history before the start for t <= start time, dense output
  // otherwise. Throws if t is after the newest step or already trimmed.
  void evaluate(double t, Vec out) const;

  bool empty() const { return size_ == 0; }
  double start_time() const { return start_time_; }
  double newest_time() const;
  double oldest_time() const;
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return slots_.size(); }

 private:
  struct Slot {
    double t = 0;
    Vec u = nullptr, dudt = nullptr;
  };
  const Slot& at(std::size_t i) const { return slots_[(head_ + i) % slots_.size()]; }
  void grow();
  void trim();
  std::size_t locate(double t) const;

  Vec template_;
  double max_lag_;
  BeforeStart before_start_;
  std::vector<Slot> slots_;
  std::size_t head_ = 0, size_ = 0;
  double start_time_ = 0;
};

}  // namespace nf
