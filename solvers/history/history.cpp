#include "solvers/history/history.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "solvers/petsc_error.h"

namespace nf {

History::History(Vec template_vec, double max_lag, double expected_dt, BeforeStart before_start)
    : template_(template_vec), max_lag_(max_lag), before_start_(std::move(before_start)) {
  if (!(max_lag >= 0) || !(expected_dt > 0)) throw std::invalid_argument("history needs max_lag >= 0 and dt > 0");
  // Entries in [t - max_lag, t], plus the step in progress and one interval of margin.
  const auto slots = static_cast<std::size_t>(std::ceil(max_lag / expected_dt)) + 3;
  slots_.resize(slots);
  for (auto& s : slots_) {
    check_petsc(VecDuplicate(template_, &s.u));
    check_petsc(VecDuplicate(template_, &s.dudt));
  }
}

History::~History() {
  for (auto& s : slots_) {
    VecDestroy(&s.u);
    VecDestroy(&s.dudt);
  }
}

double History::newest_time() const {
  if (empty()) throw std::logic_error("history is empty");
  return at(size_ - 1).t;
}

double History::oldest_time() const {
  if (empty()) throw std::logic_error("history is empty");
  return at(0).t;
}

void History::grow() {
  std::vector<Slot> bigger(slots_.size() * 2);
  for (std::size_t i = 0; i < slots_.size(); ++i) bigger[i] = at(i);
  for (std::size_t i = slots_.size(); i < bigger.size(); ++i) {
    check_petsc(VecDuplicate(template_, &bigger[i].u));
    check_petsc(VecDuplicate(template_, &bigger[i].dudt));
  }
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

void History::push(double t, Vec u, Vec dudt) {
  if (empty()) {
    start_time_ = t;
  } else if (!(t > newest_time())) {
    throw std::logic_error(fmt::format("history push at t = {} is not after the newest time {}", t, newest_time()));
  }
  if (size_ == slots_.size()) grow();
  Slot& s = slots_[(head_ + size_) % slots_.size()];
  s.t = t;
  check_petsc(VecCopy(u, s.u));
  check_petsc(VecCopy(dudt, s.dudt));
  ++size_;
  trim();
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

void History::evaluate(double t, Vec out) const {
  if (empty() || t <= start_time_) {
    before_start_(t, out);
    return;
  }
  const double newest = newest_time();
  const double eps = 1e-12 * std::max(1.0, std::abs(newest));
  if (t > newest + eps || t < oldest_time() - eps)
    throw std::logic_error(fmt::format("history asked for t = {:.15g}, but holds [{:.15g}, {:.15g}]", t,
                                       oldest_time(), newest));
  if (t >= newest - eps) {
    check_petsc(VecCopy(at(size_ - 1).u, out));
    return;
  }
  const std::size_t i = locate(t);
  const Slot& a = at(i);
  const Slot& b = at(i + 1);
  const double h = b.t - a.t;
  const double s = (t - a.t) / h;
  if (s <= 1e-12) {
    check_petsc(VecCopy(a.u, out));
    return;
  }
  const double r = 1 - s;
  const PetscScalar w[4] = {(1 + 2 * s) * r * r, s * r * r * h, s * s * (3 - 2 * s), s * s * (s - 1) * h};
  Vec v[4] = {a.u, a.dudt, b.u, b.dudt};
  check_petsc(VecSet(out, 0.0));
  check_petsc(VecMAXPY(out, 4, w, v));
}

}  // namespace nf
