#pragma once
// Store of past accepted steps (t, u, du/dt) with Hermite dense output: cubic, or
// quartic when the backend's own interpolant supplies each step's midpoint value.
// Each rank keeps the ghosted local form of its part, so a delayed state is
// interpolated straight into a ghosted local vector: no scatter per stage and never an
// all-to-all. A query that falls on a stored time returns the stored vector itself
// (the fast path for lags that are multiples of a fixed step: no copy at all).
// The store is trimmed to the largest lag, so memory stays flat over a run, and its
// slots are allocated once (growing only if the step shrinks), never per step.
// du/dt of the newest entry may be supplied later (set_newest_derivative): methods
// whose first stage is f(t_n, u_n) provide it for free.
//
// Hermite interpolation on [t_a, t_b], h = t_b - t_a, s = (t - t_a)/h:
//   u(t) = (1+2s)(1-s)^2 u_a + s(1-s)^2 h f_a + s^2(3-2s) u_b + s^2(s-1) h f_b,
// with local error O(h^4) (Hairer, Norsett & Wanner, Solving ODEs I, II.6 and II.17),
// enough to keep the order of methods up to order 4. With the midpoint value u_m from
// the backend's dense output (of order >= 4), the quartic through the same data and u_m,
//   p(s) = H(s) + 16 s^2 (1-s)^2 (u_m - H(1/2)),  H(1/2) = (u_a + u_b)/2 + h (f_a - f_b)/8,
// has local error O(h^5): it keeps order 5 and lets adaptive high-order methods take
// long steps without the history capping their accuracy.
#include <petscdm.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace nf {

class History {
 public:
  using BeforeStart = std::function<void(double t, Vec global_out)>;

  // dm fixes the layout (global and ghosted local); max_lag (s) sets how far back to
  // keep; expected_dt (s) sizes the ring; views_at_once is how many interpolated
  // views must stay valid together (one per lag of the system).
  History(DM dm, double max_lag, double expected_dt, BeforeStart before_start, std::size_t views_at_once = 1);
  ~History();
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  // Stores (t, u) from a global vector; t must exceed the newest stored time. The
  // derivative is pending until set_newest_derivative.
  void push(double t, Vec u);
  void set_newest_derivative(Vec dudt);
  // Allocates a midpoint vector per slot; call before the first push.
  void enable_midpoints();
  bool midpoints_enabled() const { return midpoints_; }
  // u at the middle of the interval that ends at the newest entry (a global vector).
  void set_newest_midpoint(Vec u_mid);
  bool newest_derivative_pending() const;
  // Whether the dense output at t needs the pending derivative of the newest entry.
  bool needs_newest_derivative(double t) const;

  // u(t) as a ghosted local vector, read-only: a stored vector when t is a stored
  // time, else one of the history's own work vectors filled by interpolation, or by
  // the history before the start for t <= the start time. Throws if t is after the
  // newest step, already trimmed, or needs a pending derivative. A view stays valid
  // until views_at_once further views with other times have been taken.
  // The store only ever grows at the new end, so u at a given t never changes: a
  // time asked for again is served from the work vector that already holds it (RK
  // stages that share an abscissa, such as rk4's two at c = 1/2, and the last stage
  // of a step whose delayed time the next step's first stage asks for again).
  Vec view(double t) const;
  // The newest stored state, ghosted local, read-only (for computing its derivative).
  Vec newest_local() const;

  bool empty() const { return size_ == 0; }
  double start_time() const { return start_time_; }
  double newest_time() const;
  double oldest_time() const;
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return slots_.size(); }

 private:
  struct Slot {
    double t = 0;
    Vec u = nullptr, dudt = nullptr, mid = nullptr;  // ghosted local; mid: u at the middle of the
    bool has_dudt = false, has_mid = false;          // interval that ends here
  };
  const Slot& at(std::size_t i) const { return slots_[(head_ + i) % slots_.size()]; }
  Slot& newest() { return slots_[(head_ + size_ - 1) % slots_.size()]; }
  void grow();
  void make_slot(Slot& s) const;
  void trim();
  std::size_t locate(double t) const;
  void interpolate(const Slot& a, const Slot& b, double t, Vec out) const;

  DM dm_;
  double max_lag_;
  BeforeStart before_start_;
  bool midpoints_ = false;
  std::vector<Slot> slots_;
  std::size_t head_ = 0, size_ = 0;
  double start_time_ = 0;
  Vec before_start_global_ = nullptr;
  // Work vectors for views between stored times, each with the time it holds; the
  // least recently used one is refilled on a miss.
  struct View {
    Vec u = nullptr;  // ghosted local
    double t = 0;
    bool filled = false;
    std::uint64_t used = 0;
  };
  View& view_for(double t) const;
  mutable std::vector<View> views_;
  mutable std::uint64_t view_clock_ = 0;
};

}  // namespace nf
