#pragma once
// Store of past accepted steps (t, u, du/dt) with Hermite dense output: cubic, or
// quartic when the backend's own interpolant supplies each step's midpoint value.
// Each rank keeps the ghosted local form of its part, so a delayed state is
// interpolated straight into a ghosted local vector: no scatter per stage and never an
// all-to-all. A query that falls on a stored time returns a view of the stored array
// itself (the fast path for lags that are multiples of a fixed step: no copy at all).
// The store is trimmed to the largest lag, so memory stays flat over a run.
// du/dt of the newest entry may be supplied later (set_newest_derivative): methods
// whose first stage is f(t_n, u_n) provide it for free.
//
// Storage: slots of (u, du/dt[, u_mid]) as plain ghosted local arrays, many slots per
// block (16 or more blocks per lag, of at most 1 MiB unless one slot is larger), one
// allocation per block for the values and one for the slots' times and flags, so a
// stored step costs its values (8 B each) and 16 B, not a PETSc Vec per array (about
// 2.2 KB of object, layout and method table each). The blocks form a ring: the
// oldest block is reused once trimming has emptied it, and new blocks are added (half
// as many again as there are) only when the steps shrink below the expected one: no
// allocation per step. Views of stored times are a few PETSc Vecs placed on the arrays
// (VecPlaceArray); data never moves, so a view stays valid as documented at view().
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
#include <memory>
#include <vector>

#include "base/petsc_handles.h"

namespace nf {

// What a store sized for (max_lag, step) takes on one rank. Doubles: a tiny step gives
// slot counts beyond any integer type, and the estimate must still be printable.
struct HistoryFootprint {
  double slots = 0;           // stored steps the store is sized for: ceil(max_lag / step) + 3
  double slots_per_block = 0;
  double blocks = 0;          // ceil(slots / slots_per_block) + 1 (the window straddles blocks)
  double values_per_slot = 0; // local ghosted size x (2, or 3 with midpoints)
  double bytes_per_slot = 0;  // values_per_slot x sizeof(PetscScalar) + the slot's time and flags
  double bytes = 0;           // blocks x (slots_per_block x bytes_per_slot + per-block overhead)
};

// Whether the u(t) for t <= t0 depends on t. A constant one is evaluated once.
enum class BeforeStartKind { varying, constant };

class History {
 public:
  using BeforeStart = std::function<void(double t, Vec global_out)>;

  // dm fixes the layout (global and ghosted local); max_lag (s) sets how far back to
  // keep; expected_dt (s) sizes the store; views_at_once is how many interpolated
  // views must stay valid together (one per lag of the system).
  History(DM dm, double max_lag, double expected_dt, BeforeStart before_start, std::size_t views_at_once = 1,
          BeforeStartKind before_start_kind = BeforeStartKind::varying);
  ~History();
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  // The memory a store of local_values ghosted values per vector takes (see above).
  static HistoryFootprint footprint(PetscInt local_values, double max_lag, double expected_dt, bool midpoints);
  // What this store was sized for (it grows if the steps shrink below expected_dt).
  const HistoryFootprint& sized_for() const { return footprint_; }

  // Stores (t, u) from a global vector; t must exceed the newest stored time. The
  // derivative is pending until set_newest_derivative.
  void push(double t, Vec u);
  void set_newest_derivative(Vec dudt);
  // Makes room for a midpoint value per slot; call before the first push.
  void enable_midpoints();
  bool midpoints_enabled() const { return midpoints_; }
  // u at the middle of the interval that ends at the newest entry (a global vector).
  void set_newest_midpoint(Vec u_mid);
  bool newest_derivative_pending() const;
  // Whether the dense output at t needs the pending derivative of the newest entry.
  bool needs_newest_derivative(double t) const;

  // u(t) as a ghosted local vector, read-only: a view of the stored array when t is a
  // stored time, else one of the history's own work vectors filled by interpolation,
  // or by the history before the start for t <= the start time (a constant one is
  // evaluated once, into a vector kept for the whole run). Throws if t is after the
  // newest step, already trimmed, or needs a pending derivative. A view stays valid
  // until views_at_once further views with other times have been taken.
  // The store only ever grows at the new end, so u at a given t never changes: a
  // time asked for again is served from the vector that already holds it (RK
  // stages that share an abscissa, such as rk4's two at c = 1/2, and the last stage
  // of a step whose delayed time the next step's first stage asks for again).
  Vec view(double t) const;
  // The newest stored state, ghosted local, read-only (for computing its derivative).
  // Valid until the next call or push.
  Vec newest_local() const;

  // A stored step as global vectors, valid during the visit: dudt is null while it is
  // pending, mid null without a midpoint.
  struct Entry {
    double t;
    Vec u, dudt, mid;
  };
  // Every stored step, oldest first (what a checkpoint keeps). Collective.
  void for_each(const std::function<void(const Entry&)>& visit) const;
  // Appends a step read back from a checkpoint, as push() and set_newest_*() do.
  void restore(const Entry& entry);
  // After restore(): the run's start time t0 (u(t) for t <= t0 is the history
  // before the start), which the oldest entry kept may be later than.
  void restore_start_time(double t0) { start_time_ = t0; }

  bool empty() const { return size_ == 0; }
  double start_time() const { return start_time_; }
  double newest_time() const;
  double oldest_time() const;
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return blocks_.size() * slots_per_block_; }

 private:
  struct SlotInfo {  // no initialisers: a block's pages are touched only when its slots are used
    double t;
    bool has_dudt, has_mid;  // mid: u at the middle of the interval that ends here
  };
  struct Block {
    std::unique_ptr<PetscScalar[]> values;  // slots_per_block x stride, uninitialised until written
    std::unique_ptr<SlotInfo[]> info;
  };
  struct Slot {
    SlotInfo* info;
    PetscScalar *u, *dudt, *mid;  // ghosted local arrays; mid is null without midpoints
  };
  Slot at(std::size_t i) const;  // i = 0: the oldest entry
  Slot newest() const { return at(size_ - 1); }
  void allocate_blocks(std::size_t count);
  void grow();
  void trim();
  void to_local(Vec global, PetscScalar* local) const;
  void to_global(const PetscScalar* local, Vec global) const;
  std::size_t locate(double t) const;
  void interpolate(const Slot& a, const Slot& b, double t, Vec out) const;
  Vec before_start_view(double t) const;
  Vec stored_view(const Slot& s) const;

  DM dm_;
  double max_lag_;
  double expected_dt_;
  BeforeStart before_start_;
  BeforeStartKind before_start_kind_;
  bool midpoints_ = false;
  PetscInt local_size_ = 0;  // ghosted local values per vector
  std::size_t stride_ = 0;   // values per slot
  HistoryFootprint footprint_;
  std::size_t slots_per_block_ = 1;
  std::vector<Block> blocks_;  // a ring; the active ones start at head_block_
  std::size_t head_block_ = 0, active_blocks_ = 0;
  std::size_t first_ = 0;      // the oldest entry's slot in the head block
  std::size_t size_ = 0;
  double start_time_ = 0;
  OwnedVec transfer_;  // placed on a slot's array for a global-to-local scatter
  OwnedVec newest_view_;
  OwnedVec before_start_global_;
  OwnedVec before_start_constant_;  // ghosted local, filled on first use
  mutable bool before_start_filled_ = false;
  // Vectors for views, each with the time it holds; the least recently used one is
  // reused on a miss. A stored time is shown through `placed` (no copy), any other
  // through `work`.
  struct View {
    OwnedVec work;    // ghosted local, owns its array
    OwnedVec placed;  // no array of its own; placed on a stored slot's u
    const PetscScalar* stored = nullptr;  // the array `placed` shows, or null
    double t = 0;
    bool filled = false;
    std::uint64_t used = 0;
  };
  View& view_for(double t, const PetscScalar* stored) const;
  mutable std::vector<View> views_;
  mutable std::uint64_t view_clock_ = 0;
};

}  // namespace nf
