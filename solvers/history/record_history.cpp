#include "solvers/history/record_history.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace nf {
namespace {

constexpr std::size_t kExtra = 6;  // records kept beyond the span: the cubic's stencil and round-off

}  // namespace

RecordHistory::RecordHistory(std::size_t record_size, double span, double expected_dt)
    : record_size_(record_size), span_(span) {
  if (!(expected_dt > 0)) throw std::invalid_argument("RecordHistory: expected_dt must be > 0");
  capacity_ = static_cast<std::size_t>(std::ceil(span / expected_dt)) + kExtra + 2;
  values_.assign(capacity_ * record_size_, 0.0);
  times_.assign(capacity_, 0.0);
}

void RecordHistory::grow() {
  const std::size_t capacity = capacity_ + capacity_ / 2 + 1;
  std::vector<double> values(capacity * record_size_), times(capacity);
  for (std::size_t i = 0; i < size_; ++i) {
    std::copy_n(record(i), record_size_, values.data() + i * record_size_);
    times[i] = times_[index(i)];
  }
  values_ = std::move(values);
  times_ = std::move(times);
  capacity_ = capacity;
  first_ = 0;
}

// Drops records no query can reach: all but kExtra of those older than newest - span.
void RecordHistory::trim() {
  if (size_ == 0) return;
  const double oldest_needed = newest_time() - span_;
  std::size_t older = 0;
  while (older < size_ && times_[index(older)] < oldest_needed) ++older;
  const std::size_t drop = older > kExtra ? older - kExtra : 0;
  first_ = (first_ + drop) % capacity_;
  size_ -= drop;
}

std::span<double> RecordHistory::push(double t) {
  if (size_ > 0 && !(t > newest_time())) throw std::invalid_argument("RecordHistory::push: time does not advance");
  trim();
  if (size_ == capacity_) grow();
  const std::size_t slot = index(size_);
  times_[slot] = t;
  ++size_;
  return {values_.data() + slot * record_size_, record_size_};
}

// The cubic through the four points around q: the stored records for q up to the
// newest time (so a read of the accepted past keeps the method's order), and the three
// newest records with the current one for q after it (the step's continuous extension).
RecordHistory::Stencil RecordHistory::stencil(double q, double t_now) const {
  if (size_ == 0) throw std::logic_error("RecordHistory::stencil: no records");
  Stencil s;
  if (q <= oldest_time()) {  // the history before the start is constant
    s.terms[0] = {record(0), 1.0};
    s.count = 1;
    return s;
  }
  const bool current = q > newest_time() && t_now > newest_time();
  const std::size_t n = size_ + (current ? 1 : 0);
  const auto time_of = [&](std::size_t i) { return i < size_ ? times_[index(i)] : t_now; };
  if (q >= time_of(n - 1)) {  // at the newest point, or (q > t_now) beyond: the newest value
    s.terms[0] = {current ? nullptr : record(size_ - 1), 1.0};
    s.count = 1;
    return s;
  }
  std::size_t lo = 0, hi = n - 1;  // time_of(lo) <= q < time_of(hi)
  while (hi - lo > 1) {
    const std::size_t mid = (lo + hi) / 2;
    (time_of(mid) <= q ? lo : hi) = mid;
  }
  if (q == time_of(lo)) {
    s.terms[0] = {record(lo), 1.0};
    s.count = 1;
    return s;
  }
  const std::size_t width = std::min<std::size_t>(4, n);
  std::size_t first = lo >= 1 ? lo - 1 : 0;
  if (first + width > n) first = n - width;
  for (std::size_t a = 0; a < width; ++a) {
    double w = 1;
    for (std::size_t b = 0; b < width; ++b)
      if (b != a) w *= (q - time_of(first + b)) / (time_of(first + a) - time_of(first + b));
    const std::size_t i = first + a;
    s.terms[static_cast<std::size_t>(s.count++)] = {i < size_ ? record(i) : nullptr, w};
  }
  return s;
}

}  // namespace nf
