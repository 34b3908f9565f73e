#pragma once
// The only view of a problem that the integrators and the history have: a state on a
// DM, a set of constant lags, the history before the start, and a right-hand side
// that reads the current and the delayed states. Solvers know no model.
#include <petscdm.h>
#include <petscmat.h>

#include <optional>
#include <span>
#include <vector>

#include "base/rhs_part.h"

#include "base/discontinuity.h"

namespace nf {

class RecordHistory;

// What rhs() returns when the state it is given lies outside the model's domain (a
// state where the model is undefined, e.g. a negative concentration): not a failure
// of the run; the integrator rejects the step and retries a shorter one. Any other
// non-zero code is fatal. (Above PETSc's own codes.)
inline constexpr PetscErrorCode kRhsOutsideDomain = 1000;

class DelaySystem {
 public:
  virtual ~DelaySystem() = default;
  virtual DM dm() const = 0;
  // Distinct positive lags (s), ascending. A term without delay is not a lag.
  virtual const std::vector<double>& lags() const = 0;
  // The state u(t) for t <= t0, into a global vector.
  virtual void history_before_start(double t, Vec u) const = 0;
  // Whether that state is the same for every t <= t0 (it is then evaluated once).
  virtual bool history_before_start_is_constant() const { return false; }
  // f = du/dt (or the requested part of it) at time t. u_local and delayed_local[k]
  // (= u(t - lags()[k])) are ghosted local vectors, read-only (they may be the delay
  // history's own); for the stiff part delayed_local is empty. f is a global vector. Called inside PETSc/SUNDIALS callbacks: it
  // returns an error code and throws nothing.
  virtual PetscErrorCode rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f,
                             RhsPart part) const = 0;
  // The first time later than `after` (beyond round-off) where f's explicit dependence
  // on t is not smooth (a drive switching on, a kink), with the order of the
  // derivative of f that jumps there. The solvers make breaking points of these and
  // of their echoes through the lags. Called with increasing `after`.
  virtual std::optional<Discontinuity> next_forcing_discontinuity(double /*after*/) const { return std::nullopt; }
  // Whether the stiff part is non-zero (IMEX methods need a split to be useful).
  virtual bool has_stiff_part() const { return false; }
  // When the stiff part is linear in u, f_stiff = J u + b with J constant: J into j (a
  // matrix from DMCreateMatrix on dm(), assembled here), and true. False otherwise
  // (the implicit solvers then go matrix-free). Collective; outside callbacks; throws.
  virtual bool assemble_stiff_jacobian(Mat /*j*/) const { return false; }

  // Records: what rhs() reads at past times besides u, e.g. the transforms of the
  // sources of distance-delayed couplings. With record_span() > 0 the delay engine
  // keeps one record per accepted step (solvers/history/record_history.h) from the
  // start on (from record_span() before it when the history before the start varies),
  // trimmed to that span (s), and attaches the store before the first rhs().
  virtual double record_span() const { return 0; }
  // Values per record on this rank.
  virtual std::size_t record_size() const { return 0; }
  // The record of the state at t (u_local ghosted local, read-only) into out
  // (record_size() values). Collective; outside callbacks; throws.
  virtual void make_record(double /*t*/, Vec /*u_local*/, std::span<double> /*out*/) const {}
  virtual void attach_records(const RecordHistory* /*records*/) const {}
};

}  // namespace nf
