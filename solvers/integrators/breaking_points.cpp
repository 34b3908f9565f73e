#include "solvers/integrators/breaking_points.h"

#include <limits>
#include <stdexcept>
#include <utility>

#include "base/time_tolerance.h"

namespace nf {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

LagSums::LagSums(const std::vector<double>& lags, int max_count) : lags_(lags), max_count_(max_count) {
  sums_.push_back(0.0);
  if (max_count_ >= 1 && !lags_.empty()) push(0.0, 0, 1);
}

void LagSums::push(double prefix, std::uint32_t last, int count) {
  frontier_.push(Multiset{prefix + lags_[last], prefix, last, count});
}

// Pops multisets until one gives a sum later than the last one listed.
bool LagSums::extend() {
  while (!frontier_.empty()) {
    const Multiset m = frontier_.top();
    frontier_.pop();
    if (m.count < max_count_) push(m.sum, m.last, m.count + 1);
    if (m.last + 1 < lags_.size()) push(m.prefix, m.last + 1, m.count);
    if (later_than(m.sum, sums_.back())) {
      sums_.push_back(m.sum);
      return true;
    }
  }
  return false;
}

double LagSums::at(std::size_t i) {
  while (sums_.size() <= i)
    if (!extend()) return kInf;
  return sums_[i];
}

BreakingPoints::BreakingPoints(std::vector<double> lags, double t0, double t_end, int order, Forcing forcing)
    : lags_(std::move(lags)), t0_(t0), t_end_(t_end), order_(order), forcing_(std::move(forcing)) {
  for (std::size_t k = 1; k < lags_.size(); ++k)
    if (!(lags_[k] > lags_[k - 1])) throw std::invalid_argument("breaking points: lags must be distinct, ascending");
  if (!lags_.empty() && !(lags_.front() > 0)) throw std::invalid_argument("breaking points: lags must be positive");
  restart();
}

void BreakingPoints::set_order(int order) {
  order_ = order;
  sums_.clear();
  restart();
}

void BreakingPoints::restart() {
  cursors_ = {};
  sums_.resize(static_cast<std::size_t>(std::max(order_, 0)) + 1);
  query_ = t0_;
  add_source(t0_, order_);
  pending_ = forcing_ ? forcing_(t0_) : std::nullopt;
}

LagSums& BreakingPoints::sums(int levels) {
  auto& s = sums_[static_cast<std::size_t>(levels)];
  if (!s) s.emplace(lags_, levels);
  return *s;
}

// A source at `origin` whose echoes carry at most `levels` lags.
void BreakingPoints::add_source(double origin, int levels) {
  if (levels < 0) return;
  cursors_.push(Cursor{origin, origin, levels, 0});
}

// Forcing discontinuities become sources in time order, before any point after them
// is handed out.
void BreakingPoints::admit_forcing_until(double t) {
  while (pending_ && pending_->t <= t && !later_than(pending_->t, t_end_)) {
    const Discontinuity d = *pending_;
    add_source(d.t, order_ - d.order);
    pending_ = forcing_(d.t);
    if (pending_ && !(pending_->t > d.t))
      throw std::logic_error("forcing discontinuities must come in increasing time");
  }
}

double BreakingPoints::next_after(double t) {
  if (t < query_) restart();
  query_ = t;
  for (;;) {
    admit_forcing_until(!cursors_.empty() ? cursors_.top().next : pending_ ? pending_->t : kInf);
    if (cursors_.empty()) {
      if (pending_ && !later_than(pending_->t, t_end_)) continue;  // one that echoes nothing was skipped
      return kInf;
    }
    if (later_than(cursors_.top().next, t)) {
      const double next = cursors_.top().next;
      return later_than(next, t_end_) ? kInf : next;
    }
    Cursor c = cursors_.top();
    cursors_.pop();
    c.next = c.origin + sums(c.levels).at(++c.index);
    if (!later_than(c.next, t_end_)) cursors_.push(c);
  }
}

std::size_t BreakingPoints::memoised_sums() const {
  std::size_t n = 0;
  for (const auto& s : sums_)
    if (s) n += s->generated();
  return n;
}

}  // namespace nf
