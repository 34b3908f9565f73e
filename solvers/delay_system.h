#pragma once
// The only view of a problem that the integrators and the history have: a state on a
// DM, a set of constant lags, the history before the start, and a right-hand side
// that reads the current and the delayed states. Solvers know no model.
#include <petscdm.h>

#include <span>
#include <vector>

namespace nf {

class DelaySystem {
 public:
  virtual ~DelaySystem() = default;
  virtual DM dm() const = 0;
  // Distinct positive lags (s), ascending. A term without delay is not a lag.
  virtual const std::vector<double>& lags() const = 0;
  // The state u(t) for t <= t0, into a global vector.
  virtual void history_before_start(double t, Vec u) const = 0;
  // f = du/dt at time t. u_local and delayed_local[k] (= u(t - lags()[k])) are
  // ghosted local vectors; f is a global vector. Called inside PETSc/SUNDIALS
  // callbacks: it returns an error code and throws nothing.
  virtual PetscErrorCode rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f) const = 0;
};

}  // namespace nf
