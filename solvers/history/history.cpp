#include "solvers/history/history.h"

#include <fmt/format.h>
#include <petscdmda.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "base/time_tolerance.h"
#include "solvers/petsc_error.h"

namespace nf {

History::History(DM dm, double max_lag, double expected_dt, BeforeStart before_start, std::size_t views_at_once)
    : dm_(dm), max_lag_(max_lag), before_start_(std::move(before_start)) {
  if (!(max_lag >= 0) || !(expected_dt > 0)) throw std::invalid_argument("history needs max_lag >= 0 and dt > 0");
  // Entries in [t - max_lag, t], plus the step in progress and one interval of margin.
  const auto slots = static_cast<std::size_t>(std::ceil(max_lag / expected_dt)) + 3;
  slots_.resize(slots);
  for (auto& s : slots_) make_slot(s);
  check_petsc(DMCreateGlobalVector(dm_, &before_start_global_));
  // Twice the views needed at once: the views of one evaluation are never evicted by
  // each other, and those of the previous evaluation survive to be reused.
  views_.resize(2 * std::max<std::size_t>(views_at_once, 1));
  for (auto& v : views_) check_petsc(DMCreateLocalVector(dm_, &v.u));
}

History::~History() {
  for (auto& s : slots_) {
    VecDestroy(&s.u);
    VecDestroy(&s.dudt);
    VecDestroy(&s.mid);
  }
  VecDestroy(&before_start_global_);
  for (auto& v : views_) VecDestroy(&v.u);
}

double History::newest_time() const {
  if (empty()) throw std::logic_error("history is empty");
  return at(size_ - 1).t;
}

double History::oldest_time() const {
  if (empty()) throw std::logic_error("history is empty");
  return at(0).t;
}

void History::make_slot(Slot& s) const {
  check_petsc(DMCreateLocalVector(dm_, &s.u));
  check_petsc(DMCreateLocalVector(dm_, &s.dudt));
  if (midpoints_) check_petsc(DMCreateLocalVector(dm_, &s.mid));
}

void History::enable_midpoints() {
  if (midpoints_) return;
  if (!empty()) throw std::logic_error("history: midpoints must be enabled before the first push");
  midpoints_ = true;
  for (auto& s : slots_) check_petsc(DMCreateLocalVector(dm_, &s.mid));
}

void History::grow() {
  std::vector<Slot> bigger(slots_.size() * 2);
  for (std::size_t i = 0; i < slots_.size(); ++i) bigger[i] = at(i);
  for (std::size_t i = slots_.size(); i < bigger.size(); ++i) make_slot(bigger[i]);
  slots_.swap(bigger);
  head_ = 0;
}

// Drops the oldest entry while the next one is still at or before newest - max_lag:
// every later query t - lag >= newest - max_lag then stays inside the store.
void History::trim() {
  const double keep_from = newest_time() - max_lag_;
  while (size_ >= 2 && at(1).t <= keep_from) {
    head_ = (head_ + 1) % slots_.size();
    --size_;
  }
}

void History::push(double t, Vec u) {
  if (empty()) {
    start_time_ = t;
  } else if (!(t > newest_time())) {
    throw std::logic_error(fmt::format("history push at t = {} is not after the newest time {}", t, newest_time()));
  }
  if (size_ == slots_.size()) grow();
  ++size_;
  Slot& s = newest();
  s.t = t;
  s.has_dudt = false;
  s.has_mid = false;
  check_petsc(DMGlobalToLocalBegin(dm_, u, INSERT_VALUES, s.u));
  check_petsc(DMGlobalToLocalEnd(dm_, u, INSERT_VALUES, s.u));
  trim();
}

void History::set_newest_derivative(Vec dudt) {
  Slot& s = newest();
  check_petsc(DMGlobalToLocalBegin(dm_, dudt, INSERT_VALUES, s.dudt));
  check_petsc(DMGlobalToLocalEnd(dm_, dudt, INSERT_VALUES, s.dudt));
  s.has_dudt = true;
}

void History::set_newest_midpoint(Vec u_mid) {
  if (!midpoints_) throw std::logic_error("history: set_newest_midpoint without enable_midpoints");
  Slot& s = newest();
  check_petsc(DMGlobalToLocalBegin(dm_, u_mid, INSERT_VALUES, s.mid));
  check_petsc(DMGlobalToLocalEnd(dm_, u_mid, INSERT_VALUES, s.mid));
  s.has_mid = true;
}

bool History::newest_derivative_pending() const { return !empty() && !at(size_ - 1).has_dudt; }

Vec History::newest_local() const {
  if (empty()) throw std::logic_error("history is empty");
  return at(size_ - 1).u;
}

bool History::needs_newest_derivative(double t) const {
  if (!newest_derivative_pending() || size_ < 2 || t <= start_time_) return false;
  const double newest = newest_time(), eps = time_tolerance(newest);
  return t > at(size_ - 2).t + eps && t < newest - eps;
}

// Index i of the interval [at(i).t, at(i+1).t] holding t (binary search).
std::size_t History::locate(double t) const {
  std::size_t lo = 0, hi = size_ - 1;
  while (hi - lo > 1) {
    const std::size_t mid = (lo + hi) / 2;
    (at(mid).t <= t ? lo : hi) = mid;
  }
  return lo;
}

namespace {

// out = sum_k w[k] v[k] in one pass over the local arrays (VecSet + VecMAXPY would
// read and write out once more; the store is memory-bound).
template <int N>
void combine(const PetscScalar (&w)[5], Vec (&v)[5], Vec out) {
  const PetscScalar* in[N];
  PetscScalar* o = nullptr;
  PetscInt n = 0;
  check_petsc(VecGetLocalSize(out, &n));
  for (int k = 0; k < N; ++k) check_petsc(VecGetArrayRead(v[k], &in[k]));
  check_petsc(VecGetArrayWrite(out, &o));
  for (PetscInt i = 0; i < n; ++i) {
    PetscScalar sum = w[0] * in[0][i];
    for (int k = 1; k < N; ++k) sum += w[k] * in[k][i];
    o[i] = sum;
  }
  check_petsc(VecRestoreArrayWrite(out, &o));
  for (int k = 0; k < N; ++k) check_petsc(VecRestoreArrayRead(v[k], &in[k]));
}

}  // namespace

// Cubic Hermite, plus the quartic bump 16 s^2 (1-s)^2 (u_m - H(1/2)) when b holds the
// midpoint value (see the header).
void History::interpolate(const Slot& a, const Slot& b, double t, Vec out) const {
  if (!a.has_dudt || !b.has_dudt)
    throw std::logic_error(fmt::format("history: du/dt at t = {:.15g} is still pending", a.has_dudt ? b.t : a.t));
  const double h = b.t - a.t;
  const double s = (t - a.t) / h;
  const double r = 1 - s;
  PetscScalar w[5] = {(1 + 2 * s) * r * r, s * r * r * h, s * s * (3 - 2 * s), s * s * (s - 1) * h, 0};
  Vec v[5] = {a.u, a.dudt, b.u, b.dudt, b.mid};
  if (b.has_mid) {
    const double bump = 16 * s * s * r * r;
    w[0] -= bump / 2;
    w[1] -= bump * h / 8;
    w[2] -= bump / 2;
    w[3] += bump * h / 8;
    w[4] = bump;
    combine<5>(w, v, out);
  } else {
    combine<4>(w, v, out);
  }
}

History::View& History::view_for(double t) const {
  ++view_clock_;
  View* oldest = &views_.front();
  for (auto& v : views_) {
    if (v.filled && v.t == t) {
      v.used = view_clock_;
      return v;
    }
    if (v.used < oldest->used) oldest = &v;
  }
  oldest->filled = false;
  oldest->t = t;
  oldest->used = view_clock_;
  return *oldest;
}

Vec History::view(double t) const {
  if (empty() || t <= start_time_) {
    View& v = view_for(t);
    if (!v.filled) {
      before_start_(t, before_start_global_);
      check_petsc(DMGlobalToLocalBegin(dm_, before_start_global_, INSERT_VALUES, v.u));
      check_petsc(DMGlobalToLocalEnd(dm_, before_start_global_, INSERT_VALUES, v.u));
      v.filled = true;
    }
    return v.u;
  }
  const double newest = newest_time();
  const double eps = time_tolerance(newest);
  if (t > newest + eps || t < oldest_time() - eps)
    throw std::logic_error(fmt::format("history asked for t = {:.15g}, but holds [{:.15g}, {:.15g}]", t,
                                       oldest_time(), newest));
  if (t >= newest - eps) return at(size_ - 1).u;
  const std::size_t i = locate(t);
  if (t - at(i).t <= eps) return at(i).u;
  if (at(i + 1).t - t <= eps) return at(i + 1).u;
  View& v = view_for(t);
  if (!v.filled) {
    interpolate(at(i), at(i + 1), t, v.u);
    v.filled = true;
  }
  return v.u;
}

}  // namespace nf
