#include "solvers/integrators/delay_run.h"

#include <fmt/format.h>
#include <petscdmda.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "base/stop_request.h"
#include "base/time_tolerance.h"
#include "base/petsc_error.h"

namespace nf {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double shortest(const std::vector<double>& lags) {
  return lags.empty() ? kInf : *std::min_element(lags.begin(), lags.end());
}

double longest(const std::vector<double>& lags) {
  return lags.empty() ? 0.0 : *std::max_element(lags.begin(), lags.end());
}

void check_settings(const IntegratorSettings& s, double lag) {
  if (!(s.dt > 0) || !(s.t_end > s.t0))
    throw BadSettings(fmt::format("need {} > 0 and {} > t0 (got dt = {:g}, t_end = {:g})", s.names.dt,
                                  s.names.t_end, s.dt, s.t_end),
                      s.dt > 0 ? s.names.t_end : s.names.dt);
  if (!s.adaptive && later_than(s.dt, lag))
    throw BadSettings(fmt::format(
        "{} = {:g} s is longer than the shortest lag {:g} s: explicit stages would need u(t - lag) "
        "after the last accepted step. Set {} <= {:g}",
        s.names.dt, s.dt, lag, s.names.dt, lag),
        s.names.dt);
}

// A state beyond this is a blow-up: no model here has states near it in SI units,
// and past it the backends' error norms overflow (PETSc then fails with a floating
// point error, ARKODE's error test with h -> hmin, CVODE's step with round-off in t).
constexpr double kRunaway = 1e150;

bool runaway(double value) { return !(std::abs(value) <= kRunaway); }  // true for NaN

struct Runaway {
  PetscInt cell = -1, component = -1;  // global cell index and component, or -1
  bool non_finite = false;             // some entry (on any rank) is NaN or infinite
  bool stop = false;                   // some rank received a stop signal (base/stop_request.h)
};

// The first entry of u beyond kRunaway or not finite, with one reduction that serves
// both the check and its report (a norm would need a second one to locate the entry,
// and MPI_MAX may drop a NaN). The same reduction carries the stop request, so every
// rank learns of it after the same step at no extra cost.
Runaway first_runaway(DM dm, Vec u) {
  const PetscScalar* a = nullptr;
  PetscInt lo = 0, hi = 0, dof = 1;
  check_petsc(VecGetOwnershipRange(u, &lo, &hi));
  check_petsc(VecGetArrayRead(u, &a));
  constexpr PetscInt kNone = std::numeric_limits<PetscInt>::max();
  PetscInt local[3] = {kNone, 1, stop_signal() != 0 ? 0 : 1};  // first index; 0 if not finite; 0 to stop
  for (PetscInt i = 0; i < hi - lo; ++i) {
    if (!runaway(a[i])) continue;
    local[0] = std::min(local[0], lo + i);
    if (!std::isfinite(a[i])) {
      local[1] = 0;
      break;
    }
  }
  check_petsc(VecRestoreArrayRead(u, &a));
  PetscInt global[3];
  if (MPI_Allreduce(local, global, 3, MPIU_INT, MPI_MIN, PetscObjectComm(reinterpret_cast<PetscObject>(u))) !=
      MPI_SUCCESS)
    throw PetscFailure("MPI_Allreduce of the finite-state guard failed");
  if (global[0] == kNone) return {.stop = global[2] == 0};
  check_petsc(DMDAGetInfo(dm, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, &dof, nullptr,
                          nullptr, nullptr, nullptr, nullptr));
  return {global[0] / dof, global[0] % dof, global[1] == 0, global[2] == 0};
}

PetscInt local_ghosted_size(DM dm) {
  Vec local = nullptr;
  PetscInt n = 0;
  check_petsc(DMGetLocalVector(dm, &local));
  check_petsc(VecGetLocalSize(local, &n));
  check_petsc(DMRestoreLocalVector(dm, &local));
  return n;
}

}  // namespace

DelayRun::DelayRun(const DelaySystem& system, const IntegratorSettings& settings, int method_order)
    : system_(system),
      settings_(settings),
      max_step_(shortest(system.lags())),
      breaking_(system.lags(), settings.t0, settings.t_end, method_order,
                [&system](double after) { return system.next_forcing_discontinuity(after); }),
      has_lags_(!system.lags().empty()) {
  check_settings(settings_, max_step_);
  // Methods of order 5 keep midpoints (use_midpoints()): counted now, so that a run
  // checks its memory once.
  if (has_lags_) reserve_history_memory(method_order >= 5);
  history_ = std::make_unique<History>(
      system_.dm(), longest(system_.lags()), std::min(settings_.dt, max_step_),
      [this](double t, Vec out) { system_.history_before_start(t, out); }, system_.lags().size(),
      system_.history_before_start_is_constant() ? BeforeStartKind::constant : BeforeStartKind::varying);
  rhs_ = std::make_unique<DelayedRhs>(system_, *history_);
  make_records();
}

void DelayRun::make_records() {
  const double span = system_.record_span();
  if (!(span > 0)) return;
  const double records = std::ceil(span / settings_.dt) + 8;
  const NodeMemory node =
      check_node_memory(PetscObjectComm(reinterpret_cast<PetscObject>(system_.dm())),
                        records * static_cast<double>(system_.record_size() * sizeof(double)));
  if (!node.fits)
    throw BadSettings(fmt::format("{} = {:g} s: the records of the delayed couplings ({:.3g} steps over their "
                                  "longest lag {:g} s) would need {} on one node, which has {}. Fix: a longer {}, "
                                  "or a shorter longest lag (faster conduction, a narrower kernel)",
                                  settings_.names.dt, settings_.dt, records, span, format_bytes(node.node_bytes),
                                  format_bytes(node.available_bytes), settings_.names.dt),
                      settings_.names.dt);
  records_ = std::make_unique<RecordHistory>(system_.record_size(), span, settings_.dt);
  DM dm = system_.dm();
  check_petsc(DMCreateLocalVector(dm, record_local_.out()));
  check_petsc(DMCreateGlobalVector(dm, record_global_.out()));
  system_.attach_records(records_.get());
}

void DelayRun::push_record(double t, Vec u) {
  DM dm = system_.dm();
  check_petsc(DMGlobalToLocalBegin(dm, u, INSERT_VALUES, record_local_));
  check_petsc(DMGlobalToLocalEnd(dm, u, INSERT_VALUES, record_local_));
  system_.make_record(t, record_local_, records_->push(t));
}

DelayRun::~DelayRun() = default;

PetscErrorCode DelayRun::rhs(double t, Vec u, Vec f, RhsPart part, bool first_stage) {
  return rhs_->evaluate(forcing_side(t), u, f, &saved_, part, first_stage);
}

// Steps land on the forcing's jumps (order 0), so a stage at a jump is either the end
// of the step before it or the start of the step after it: it sees the forcing's left
// or right limit, t nudged by the round-off allowance (base/time_tolerance.h) to that
// side. At the jump itself the forcing's value is only a convention, and the wrong
// side costs an O(h) error in that step (rk4: h |jump| / 6).
double DelayRun::forcing_side(double t) const {
  if (jump_at_start_ && same_time(t, last_time_)) return last_time_ + time_tolerance(last_time_);
  if (next_forcing_ && next_forcing_->order == 0 && same_time(t, next_forcing_->t))
    return next_forcing_->t - time_tolerance(next_forcing_->t);
  return t;
}

// The forcing's discontinuities at the newest accepted time and the first after it.
void DelayRun::find_forcing_jumps() {
  const auto at = system_.next_forcing_discontinuity(last_time_ - 2 * time_tolerance(last_time_));
  const bool at_start = at && same_time(at->t, last_time_);
  jump_at_start_ = at_start && at->order == 0;
  next_forcing_ = at_start ? system_.next_forcing_discontinuity(at->t) : at;
}

void DelayRun::set_breaking_order(int order) { breaking_.set_order(order); }

double DelayRun::next_breaking_point(double t) { return breaking_.next_after(t); }

double DelayRun::next_stop(double t) {
  return std::min({next_breaking_point(t), next_output_time(t), settings_.t_end});
}

// The first output time t0 + j Δ later than t (beyond round-off), over every interval.
double DelayRun::next_output_time(double t) const {
  double next = std::numeric_limits<double>::infinity();
  for (const double every : settings_.output_every) next = std::min(next, next_multiple(t, every));
  return next;
}

bool DelayRun::finished(double t) const { return !later_than(settings_.t_end, t); }

// The first time t0 + j dt later than t (beyond round-off): floor() finds j up to
// one, the comparisons settle it.
double DelayRun::next_multiple(double t, double dt) const {
  const double t0 = settings_.t0;
  double j = std::max(1.0, std::floor((t - t0) / dt) + 1);
  while (!later_than(t0 + j * dt, t)) ++j;
  while (j > 1 && later_than(t0 + (j - 1) * dt, t)) --j;
  return t0 + j * dt;
}

double DelayRun::next_grid_time(double t) const { return next_multiple(t, settings_.dt); }

double DelayRun::next_step(double t, double proposed) {
  const double h = settings_.adaptive ? proposed : next_grid_time(t) - t;
  const double stop = next_stop(t);
  return later_than(stop, t + h) ? h : stop - t;
}

void DelayRun::rethrow_if_failed() {
  if (saved_) std::rethrow_exception(std::exchange(saved_, nullptr));
}

void DelayRun::begin(Vec u, std::span<StepObserver* const> observers, const RunCheckpoints& checkpoints) {
  start_ = std::chrono::steady_clock::now();
  observers_ = observers;
  checkpoints_ = checkpoints;
  if (checkpoints_.every > 0) settings_.output_every.push_back(checkpoints_.every);
  if (checkpoints_.resume_from) {
    resume(*checkpoints_.resume_from, u);
  } else {
    start(u);
  }
  next_checkpoint_ = checkpoints_.every > 0 ? next_multiple(last_time_, checkpoints_.every)
                                            : std::numeric_limits<double>::infinity();
}

void DelayRun::start(Vec u) {
  steps_ = 0;
  last_time_ = settings_.t0;
  find_forcing_jumps();
  system_.history_before_start(settings_.t0, u);
  if (records_) {
    // A varying history before the start is recorded over the span the records reach
    // back, at the run's step (the records' own resolution).
    if (!system_.history_before_start_is_constant())
      for (double k = std::ceil(system_.record_span() / settings_.dt) + 3; k >= 1; --k) {
        const double t = settings_.t0 - k * settings_.dt;
        system_.history_before_start(t, record_global_);
        push_record(t, record_global_);
      }
    push_record(settings_.t0, u);
  }
  if (has_lags_) {
    history_->push(settings_.t0, u);
    rhs_->complete_newest_derivative();
  }
  const StepState state{settings_.t0, 0, u};
  for (StepObserver* o : observers_) o->observe(state);
}

namespace {

constexpr double kEngineFormat = 1;  // engine/format: bumped when the layout below changes

std::string entry_name(std::size_t i, const char* what) { return fmt::format("engine/history/{}/{}", i, what); }

}  // namespace

// engine/{format, t0, t, steps, step_size}  [1] each
// engine/u                                   the state at t
// engine/history/times, /flags               [n]: t, and has_dudt + 2 has_mid
// engine/history/<i>/{u, dudt, mid}          the stored steps, oldest first
// engine/records/times [m], /<r> (each rank's record_size values of record r)
void DelayRun::save(CheckpointOut& out, Vec u) const {
  const auto one = [&](const char* name, double x) { out.values(std::string("engine/") + name, std::span(&x, 1)); };
  one("format", kEngineFormat);
  one("t0", settings_.t0);
  one("t", last_time_);
  one("steps", static_cast<double>(steps_));
  one("step_size", next_step_size_ ? next_step_size_() : 0.0);
  out.vector("engine/u", u);
  std::vector<double> times, flags;
  if (has_lags_) {
    std::size_t i = 0;
    history_->for_each([&](const History::Entry& e) {
      times.push_back(e.t);
      flags.push_back((e.dudt ? 1 : 0) + (e.mid ? 2 : 0));
      out.vector(entry_name(i, "u"), e.u);
      if (e.dudt) out.vector(entry_name(i, "dudt"), e.dudt);
      if (e.mid) out.vector(entry_name(i, "mid"), e.mid);
      ++i;
    });
  }
  out.values("engine/history/times", times);
  out.values("engine/history/flags", flags);
  if (!records_) return;
  // One record at a time: a copy of them all would double the records' memory.
  std::vector<double> record_times;
  records_->for_each([&](double t, std::span<const double> r) {
    out.rank_values(fmt::format("engine/records/{}", record_times.size()), r);
    record_times.push_back(t);
  });
  out.values("engine/records/times", record_times);
}

void DelayRun::resume(CheckpointIn& in, Vec u) {
  const auto one = [&](const char* name) {
    const std::vector<double> v = in.values(std::string("engine/") + name);
    if (v.size() != 1) throw std::runtime_error(fmt::format("checkpoint: engine/{} holds {} values, not 1", name, v.size()));
    return v[0];
  };
  if (one("format") != kEngineFormat)
    throw std::runtime_error(fmt::format("checkpoint: engine format {:g}, this program reads {:g}", one("format"),
                                         kEngineFormat));
  if (one("t0") != settings_.t0)
    throw std::runtime_error(fmt::format("checkpoint: taken on a run that started at t0 = {:.17g} s, not {:.17g} s",
                                         one("t0"), settings_.t0));
  resumed_ = true;
  last_time_ = one("t");
  steps_ = static_cast<PetscInt>(one("steps"));
  resumed_step_ = one("step_size");
  in.vector("engine/u", u);
  const std::vector<double> times = in.values("engine/history/times"), flags = in.values("engine/history/flags");
  if (has_lags_ && !times.empty()) {
    OwnedVec eu, dudt, mid;
    DM dm = system_.dm();
    check_petsc(DMCreateGlobalVector(dm, eu.out()));
    check_petsc(DMCreateGlobalVector(dm, dudt.out()));
    check_petsc(DMCreateGlobalVector(dm, mid.out()));
    for (std::size_t i = 0; i < times.size(); ++i) {
      const int f = static_cast<int>(flags.at(i));
      in.vector(entry_name(i, "u"), eu);
      if (f & 1) in.vector(entry_name(i, "dudt"), dudt);
      // A checkpoint from a backend with midpoints restarts on one without (or the
      // reverse) at cubic accuracy for the steps it holds.
      const bool with_mid = (f & 2) && history_->midpoints_enabled();
      if (with_mid) in.vector(entry_name(i, "mid"), mid);
      history_->restore({times[i], eu, (f & 1) ? dudt.get() : nullptr, with_mid ? mid.get() : nullptr});
    }
    history_->restore_start_time(settings_.t0);
  } else if (has_lags_) {
    throw std::runtime_error("checkpoint: the delay history is empty, but the system has lags");
  }
  if (records_) {
    if (!in.has("engine/records/times"))
      throw std::runtime_error("checkpoint: no records of the delayed couplings, which this system needs");
    const std::vector<double> record_times = in.values("engine/records/times");
    const std::size_t n = records_->record_size();
    for (std::size_t r = 0; r < record_times.size(); ++r) {
      const std::vector<double> values = in.rank_values(fmt::format("engine/records/{}", r));
      if (values.size() != n)
        throw std::runtime_error(fmt::format("checkpoint: record {} holds {} values on this rank, not {}", r,
                                             values.size(), n));
      const std::span<double> slot = records_->push(record_times[r]);
      std::copy(values.begin(), values.end(), slot.begin());
    }
  }
  find_forcing_jumps();
}

void DelayRun::take_checkpoint_if_due(double t, Vec u, bool stop) {
  if (!checkpoints_.taker) return;
  const bool scheduled = !later_than(next_checkpoint_, t);
  if (scheduled) next_checkpoint_ = next_multiple(t, checkpoints_.every);
  if (!(stop || scheduled || (checkpoints_.at_end && finished(t)))) return;
  checkpoints_.taker->take(t, steps_, [&](CheckpointOut& out) { save(out, u); });
}

// The previous entry's du/dt is due before the next push: its delayed arguments are
// about to leave the store. Backends whose first stage is f(t_n, u_n) have supplied
// it already; for the others this is one extra evaluation per step.
void DelayRun::accept(double t, Vec u, Vec u_mid) {
  const bool stop = check_step(t, u);
  if (has_lags_) {
    rhs_->complete_newest_derivative();
    history_->push(t, u);
    if (wants_midpoints()) {
      if (!u_mid) throw std::logic_error("DelayRun::accept: the backend promised midpoints but gave none");
      history_->set_newest_midpoint(u_mid);
    }
  }
  if (records_) push_record(t, u);
  last_time_ = t;
  find_forcing_jumps();
  ++steps_;
  const StepState state{t, steps_, u};
  for (StepObserver* o : observers_) o->observe(state);
  take_checkpoint_if_due(t, u, stop);
  if (stop)
    throw StopRequested(fmt::format("stopped by {} after the step to t = {:.9g} s (step {})",
                                    stop_signal_name(stop_signal()), t, steps_),
                        t, stop_signal());
}

void DelayRun::supply_newest_derivative(double t, Vec dudt) {
  if (has_lags_ && history_->newest_derivative_pending() && history_->newest_time() == t)
    history_->set_newest_derivative(dudt);
}

void DelayRun::use_midpoints() {
  if (!has_lags_) return;
  if (!history_memory_.midpoints) reserve_history_memory(true);
  history_->enable_midpoints();
}

// Before the store is allocated: a step far below the lag asks for more memory than
// the node has, and the kernel would kill the run without a word.
void DelayRun::reserve_history_memory(bool midpoints) {
  const double lag = longest(system_.lags()), step = std::min(settings_.dt, max_step_);
  DM dm = system_.dm();
  const HistoryFootprint rank = History::footprint(local_ghosted_size(dm), lag, step, midpoints);
  history_memory_ =
      check_history_memory(PetscObjectComm(reinterpret_cast<PetscObject>(dm)), rank, lag, step, midpoints);
  const HistoryMemory& m = history_memory_;
  if (m.fits) return;
  const std::string& dt = settings_.names.dt;
  throw BadSettings(fmt::format(
      "{} = {:g} s: the delay history would need {} on one node ({} rank{} x {:.3g} stored steps of {}: the "
      "largest lag {:g} s over steps of {:g} s{}), but the node has {} available. Fix: {} >= {:.2g} s (the "
      "history may take {:.0f} % of the available memory), or spread the grid over more nodes",
      dt, settings_.dt, format_bytes(m.node_bytes), m.ranks_on_node, m.ranks_on_node > 1 ? "s" : "", m.rank.slots,
      format_bytes(m.rank.bytes_per_slot), lag, step, settings_.adaptive ? ", the first step" : "",
      format_bytes(m.available_bytes), dt, step_that_fits(m), 100 * kUsableFraction),
      dt);
}

// The estimate for the store as allocated: a backend that did not take the midpoints
// counted in the constructor keeps two vectors per step.
HistoryMemory DelayRun::history_memory() const {
  HistoryMemory m = history_memory_;
  if (!has_lags_ || m.midpoints == history_->midpoints_enabled()) return m;
  m.node_bytes *= history_->sized_for().bytes / m.rank.bytes;
  m.rank = history_->sized_for();
  m.midpoints = history_->midpoints_enabled();
  return m;
}

PetscErrorCode DelayRun::accept_in_callback(double t, Vec u, Vec u_mid) {
  return callback_guard(&saved_, [&] {
    accept(t, u, u_mid);
    return PetscErrorCode(0);
  });
}

bool DelayRun::check_step(double t, Vec u) const {
  if (!later_than(t, last_time_))
    throw BlowUp(fmt::format(
        "t = {:.9g} s: the step size fell below the round-off of t (from {:.9g} s). Likely cause: the solution "
        "blows up near this time, or the problem is extremely stiff for method '{}'. Fix: look at the last "
        "output before this time; if it grows without bound, the growth is physical: shorten {} or "
        "change the parameters; if not, choose an implicit method (cvode bdf, petsc bdf2, arkode ark3)",
        t, last_time_, settings_.method, settings_.names.t_end),
        t);
  DM dm = system_.dm();
  const Runaway r = first_runaway(dm, u);
  if (r.cell < 0) return r.stop;
  const char* field = nullptr;
  check_petsc(DMDAGetFieldName(dm, r.component, &field));
  const SettingNames& n = settings_.names;
  const std::string step =
      settings_.adaptive
          ? fmt::format("the tolerances {} = {:g}, {} = {:g} are too loose", n.rtol, settings_.rtol, n.atol,
                        settings_.atol)
          : fmt::format("the step {} = {:g} s is too large", n.dt, settings_.dt);
  throw BlowUp(fmt::format(
      "t = {:.6g} s: field '{}' {} (first at cell {}). Likely cause: {} for the method '{}', or the model is "
      "unstable at these parameters. Fix: {}; if the blow-up time does not move, the growth is physical: shorten "
      "{} or change the parameters",
      t, field ? field : "?", r.non_finite ? "stopped being finite" : fmt::format("exceeded {:g}", kRunaway), r.cell,
      step, settings_.method, settings_.adaptive ? "divide " + n.rtol + " by 100" : "halve " + n.dt, n.t_end),
      t);
}

void DelayRun::throw_non_finite_step(const std::string& backend_message) const {
  throw BlowUp(fmt::format(
      "after t = {:.6g} s: the next step met a value that is not finite ({}). Likely cause: the solution blows up, "
      "the right-hand side stops being finite just after this time, or the step is far too large for method '{}'. "
      "Fix: look at the last output; if it grows without bound, the growth is physical: shorten {} or "
      "change the parameters; otherwise tighten {} or halve {}",
      last_time_, backend_message, settings_.method, settings_.names.t_end, settings_.names.rtol,
      settings_.names.dt),
      last_time_);
}

RunStats DelayRun::stats(double t_final, PetscInt rejected) const {
  RunStats s;
  s.steps = steps_;
  s.rejected = rejected;
  s.t_final = t_final;
  s.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  return s;
}

}  // namespace nf
