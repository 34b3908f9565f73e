#include "solvers/history/history.h"

#include <fmt/format.h>
#include <petscdmda.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "base/time_tolerance.h"
#include "base/petsc_error.h"

namespace nf {
namespace {

// The window of entries straddles block boundaries, so one block more than the slots
// need is kept; with at least this many blocks per window that spare block is at most
// 1/16 of the store, and with blocks of at most kBlockBytes (unless one slot is larger)
// at most that much for a store of large slots.
constexpr double kBlocksPerWindow = 16;
constexpr double kBlockBytes = 1 << 20;
// A bound on what an allocation costs beyond its bytes: glibc's chunk header, or for
// large ones (mmap, from 128 KiB) the rounding up to whole pages.
double allocation_overhead(double bytes) { return bytes < 128 * 1024 ? 16 : 4096; }

// A block's values and slot records, with their allocations and its entry in the ring.
double block_bytes(double slots, double values_per_slot, double info_bytes) {
  const double values = slots * values_per_slot * sizeof(PetscScalar), info = slots * info_bytes;
  return values + allocation_overhead(values) + info + allocation_overhead(info) + 16;
}

}  // namespace

HistoryFootprint History::footprint(PetscInt local_values, double max_lag, double expected_dt, bool midpoints) {
  HistoryFootprint f;
  // Entries in [t - max_lag, t], plus the step in progress and one interval of margin.
  f.slots = std::ceil(max_lag / expected_dt) + 3;
  f.values_per_slot = static_cast<double>(local_values) * (midpoints ? 3 : 2);
  f.bytes_per_slot = f.values_per_slot * sizeof(PetscScalar) + sizeof(SlotInfo);
  f.slots_per_block =
      std::max(1.0, std::min(std::ceil(f.slots / kBlocksPerWindow), std::floor(kBlockBytes / f.bytes_per_slot)));
  f.blocks = std::ceil(f.slots / f.slots_per_block) + 1;
  f.bytes = f.blocks * block_bytes(f.slots_per_block, f.values_per_slot, sizeof(SlotInfo));
  return f;
}

History::History(DM dm, double max_lag, double expected_dt, BeforeStart before_start, std::size_t views_at_once,
                 BeforeStartKind before_start_kind)
    : dm_(dm), max_lag_(max_lag), expected_dt_(expected_dt), before_start_(std::move(before_start)), before_start_kind_(before_start_kind) {
  if (!(max_lag >= 0) || !(expected_dt > 0)) throw std::invalid_argument("history needs max_lag >= 0 and dt > 0");
  check_petsc(DMCreateGlobalVector(dm_, before_start_global_.out()));
  check_petsc(DMCreateLocalVector(dm_, before_start_constant_.out()));
  check_petsc(VecGetLocalSize(before_start_constant_, &local_size_));
  PetscInt bs = 1;
  check_petsc(VecGetBlockSize(before_start_constant_, &bs));
  const auto wrapper = [&](OwnedVec& v) {
    check_petsc(VecCreateSeqWithArray(PETSC_COMM_SELF, bs, local_size_, nullptr, v.out()));
    check_petsc(VecSetDM(v, dm_));
  };
  wrapper(transfer_);
  wrapper(newest_view_);
  // Twice the views needed at once: the views of one evaluation are never evicted by
  // each other, and those of the previous evaluation survive to be reused.
  views_.resize(2 * std::max<std::size_t>(views_at_once, 1));
  for (auto& v : views_) {
    check_petsc(DMCreateLocalVector(dm_, v.work.out()));
    wrapper(v.placed);
  }
  footprint_ = footprint(local_size_, max_lag, expected_dt, false);
  stride_ = static_cast<std::size_t>(footprint_.values_per_slot);
  slots_per_block_ = static_cast<std::size_t>(footprint_.slots_per_block);
  allocate_blocks(static_cast<std::size_t>(footprint_.blocks));
}

History::~History() = default;

// Appended after the active blocks (the ring is in order from head_block_ == 0 when
// this is called with blocks present, see grow()).
void History::allocate_blocks(std::size_t count) {
  for (std::size_t b = 0; b < count; ++b) {
    Block block;
    block.values = std::make_unique_for_overwrite<PetscScalar[]>(slots_per_block_ * stride_);
    block.info = std::make_unique_for_overwrite<SlotInfo[]>(slots_per_block_);
    blocks_.push_back(std::move(block));
  }
}

// Only when every block holds entries: the step has shrunk below the expected one.
// Half as many blocks again, so growing to any size costs O(1) allocations per slot.
void History::grow() {
  std::rotate(blocks_.begin(), blocks_.begin() + static_cast<std::ptrdiff_t>(head_block_), blocks_.end());
  head_block_ = 0;
  allocate_blocks(std::max<std::size_t>(1, blocks_.size() / 2));
}

History::Slot History::at(std::size_t i) const {
  const std::size_t pos = first_ + i;
  const Block& b = blocks_[(head_block_ + pos / slots_per_block_) % blocks_.size()];
  const std::size_t j = pos % slots_per_block_;
  PetscScalar* u = b.values.get() + j * stride_;
  const auto n = static_cast<std::size_t>(local_size_);
  return {&b.info[j], u, u + n, midpoints_ ? u + 2 * n : nullptr};
}

double History::newest_time() const {
  if (empty()) throw std::logic_error("history is empty");
  return newest().info->t;
}

double History::oldest_time() const {
  if (empty()) throw std::logic_error("history is empty");
  return at(0).info->t;
}

void History::enable_midpoints() {
  if (midpoints_) return;
  if (!empty()) throw std::logic_error("history: midpoints must be enabled before the first push");
  midpoints_ = true;
  footprint_ = footprint(local_size_, max_lag_, expected_dt_, true);
  stride_ = static_cast<std::size_t>(footprint_.values_per_slot);
  slots_per_block_ = static_cast<std::size_t>(footprint_.slots_per_block);
  blocks_.clear();
  allocate_blocks(static_cast<std::size_t>(footprint_.blocks));
}

void History::to_local(Vec global, PetscScalar* local) const {
  check_petsc(VecPlaceArray(transfer_, local));
  check_petsc(DMGlobalToLocalBegin(dm_, global, INSERT_VALUES, transfer_));
  check_petsc(DMGlobalToLocalEnd(dm_, global, INSERT_VALUES, transfer_));
  check_petsc(VecResetArray(transfer_));
}

void History::to_global(const PetscScalar* local, Vec global) const {
  check_petsc(VecPlaceArray(transfer_, local));
  check_petsc(DMLocalToGlobal(dm_, transfer_, INSERT_VALUES, global));
  check_petsc(VecResetArray(transfer_));
}

void History::for_each(const std::function<void(const Entry&)>& visit) const {
  OwnedVec u, dudt, mid;
  check_petsc(DMCreateGlobalVector(dm_, u.out()));
  check_petsc(DMCreateGlobalVector(dm_, dudt.out()));
  if (midpoints_) check_petsc(DMCreateGlobalVector(dm_, mid.out()));
  for (std::size_t i = 0; i < size_; ++i) {
    const Slot s = at(i);
    to_global(s.u, u);
    if (s.info->has_dudt) to_global(s.dudt, dudt);
    if (s.info->has_mid) to_global(s.mid, mid);
    visit({s.info->t, u, s.info->has_dudt ? dudt.get() : nullptr, s.info->has_mid ? mid.get() : nullptr});
  }
}

void History::restore(const Entry& entry) {
  push(entry.t, entry.u);
  if (entry.dudt) set_newest_derivative(entry.dudt);
  if (entry.mid) set_newest_midpoint(entry.mid);
}

// Drops the oldest entry while the next one is still at or before newest - max_lag:
// every later query t - lag >= newest - max_lag then stays inside the store. A block
// left empty becomes free for reuse at the new end.
void History::trim() {
  const double keep_from = newest_time() - max_lag_;
  while (size_ >= 2 && at(1).info->t <= keep_from) {
    --size_;
    if (++first_ == slots_per_block_) {
      first_ = 0;
      head_block_ = (head_block_ + 1) % blocks_.size();
      --active_blocks_;
    }
  }
}

void History::push(double t, Vec u) {
  if (empty()) {
    start_time_ = t;
  } else if (!(t > newest_time())) {
    throw std::logic_error(fmt::format("history push at t = {} is not after the newest time {}", t, newest_time()));
  }
  if (first_ + size_ == active_blocks_ * slots_per_block_) {
    if (active_blocks_ == blocks_.size()) grow();
    ++active_blocks_;
  }
  ++size_;
  const Slot s = newest();
  *s.info = SlotInfo{t, false, false};
  to_local(u, s.u);
  trim();
}

void History::set_newest_derivative(Vec dudt) {
  const Slot s = newest();
  to_local(dudt, s.dudt);
  s.info->has_dudt = true;
}

void History::set_newest_midpoint(Vec u_mid) {
  if (!midpoints_) throw std::logic_error("history: set_newest_midpoint without enable_midpoints");
  const Slot s = newest();
  to_local(u_mid, s.mid);
  s.info->has_mid = true;
}

bool History::newest_derivative_pending() const { return !empty() && !newest().info->has_dudt; }

Vec History::newest_local() const {
  if (empty()) throw std::logic_error("history is empty");
  check_petsc(VecResetArray(newest_view_));
  check_petsc(VecPlaceArray(newest_view_, newest().u));
  return newest_view_;
}

bool History::needs_newest_derivative(double t) const {
  if (!newest_derivative_pending() || size_ < 2 || t <= start_time_) return false;
  const double newest = newest_time(), eps = time_tolerance(newest);
  return t > at(size_ - 2).info->t + eps && t < newest - eps;
}

// Index i of the interval [at(i).t, at(i+1).t] holding t (binary search).
std::size_t History::locate(double t) const {
  std::size_t lo = 0, hi = size_ - 1;
  while (hi - lo > 1) {
    const std::size_t mid = (lo + hi) / 2;
    (at(mid).info->t <= t ? lo : hi) = mid;
  }
  return lo;
}

namespace {

// out = sum_k w[k] in[k] in one pass over the local arrays (VecSet + VecMAXPY would
// read and write out once more; the store is memory-bound).
template <int N>
void combine(const PetscScalar (&w)[5], const PetscScalar* const (&in)[5], Vec out) {
  PetscScalar* o = nullptr;
  PetscInt n = 0;
  check_petsc(VecGetLocalSize(out, &n));
  check_petsc(VecGetArrayWrite(out, &o));
  for (PetscInt i = 0; i < n; ++i) {
    PetscScalar sum = w[0] * in[0][i];
    for (int k = 1; k < N; ++k) sum += w[k] * in[k][i];
    o[i] = sum;
  }
  check_petsc(VecRestoreArrayWrite(out, &o));
}

}  // namespace

// Cubic Hermite, plus the quartic bump 16 s^2 (1-s)^2 (u_m - H(1/2)) when b holds the
// midpoint value (see the header).
void History::interpolate(const Slot& a, const Slot& b, double t, Vec out) const {
  if (!a.info->has_dudt || !b.info->has_dudt)
    throw std::logic_error(fmt::format("history: du/dt at t = {:.15g} is still pending",
                                       a.info->has_dudt ? b.info->t : a.info->t));
  const double h = b.info->t - a.info->t;
  const double s = (t - a.info->t) / h;
  const double r = 1 - s;
  PetscScalar w[5] = {(1 + 2 * s) * r * r, s * r * r * h, s * s * (3 - 2 * s), s * s * (s - 1) * h, 0};
  const PetscScalar* const v[5] = {a.u, a.dudt, b.u, b.dudt, b.mid};
  if (b.info->has_mid) {
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

// The entry holding t (for a stored time: the one placed on that slot's array), or the
// least recently used one, emptied for t.
History::View& History::view_for(double t, const PetscScalar* stored) const {
  ++view_clock_;
  View* oldest = &views_.front();
  for (auto& v : views_) {
    if (v.filled && v.t == t && v.stored == stored) {
      v.used = view_clock_;
      return v;
    }
    if (v.used < oldest->used) oldest = &v;
  }
  if (oldest->stored) check_petsc(VecResetArray(oldest->placed));
  oldest->stored = nullptr;
  oldest->filled = false;
  oldest->t = t;
  oldest->used = view_clock_;
  return *oldest;
}

Vec History::stored_view(const Slot& s) const {
  View& v = view_for(s.info->t, s.u);
  if (!v.filled) {
    check_petsc(VecPlaceArray(v.placed, s.u));
    v.stored = s.u;
    v.filled = true;
  }
  return v.placed;
}

Vec History::before_start_view(double t) const {
  if (before_start_kind_ == BeforeStartKind::constant) {
    if (!before_start_filled_) {
      before_start_(t, before_start_global_);
      check_petsc(DMGlobalToLocalBegin(dm_, before_start_global_, INSERT_VALUES, before_start_constant_));
      check_petsc(DMGlobalToLocalEnd(dm_, before_start_global_, INSERT_VALUES, before_start_constant_));
      before_start_filled_ = true;
    }
    return before_start_constant_;
  }
  View& v = view_for(t, nullptr);
  if (!v.filled) {
    before_start_(t, before_start_global_);
    check_petsc(DMGlobalToLocalBegin(dm_, before_start_global_, INSERT_VALUES, v.work));
    check_petsc(DMGlobalToLocalEnd(dm_, before_start_global_, INSERT_VALUES, v.work));
    v.filled = true;
  }
  return v.work;
}

Vec History::view(double t) const {
  if (empty() || t <= start_time_) return before_start_view(t);
  const double newest = newest_time();
  const double eps = time_tolerance(newest);
  if (t > newest + eps || t < oldest_time() - eps)
    throw std::logic_error(fmt::format("history asked for t = {:.15g}, but holds [{:.15g}, {:.15g}]", t,
                                       oldest_time(), newest));
  if (t >= newest - eps) return stored_view(at(size_ - 1));
  const std::size_t i = locate(t);
  if (t - at(i).info->t <= eps) return stored_view(at(i));
  if (at(i + 1).info->t - t <= eps) return stored_view(at(i + 1));
  View& v = view_for(t, nullptr);
  if (!v.filled) {
    interpolate(at(i), at(i + 1), t, v.work);
    v.filled = true;
  }
  return v.work;
}

}  // namespace nf
