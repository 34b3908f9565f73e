#include "solvers/integrators/delayed_rhs.h"

#include "base/time_tolerance.h"
#include "base/petsc_error.h"

namespace nf {

DelayedRhs::DelayedRhs(const DelaySystem& system, History& history) : system_(system), history_(history) {
  DM dm = system_.dm();
  check_petsc(DMCreateLocalVector(dm, &u_local_));
  check_petsc(DMCreateGlobalVector(dm, &newest_f_));
  views_.resize(system_.lags().size());
}

DelayedRhs::~DelayedRhs() {
  VecDestroy(&u_local_);
  VecDestroy(&newest_f_);
}

void DelayedRhs::complete_newest_derivative() {
  if (!history_.newest_derivative_pending()) return;
  std::exception_ptr saved;
  // u is not read at the newest accepted state: the stored ghosted copy serves.
  const PetscErrorCode ierr = evaluate(history_.newest_time(), nullptr, newest_f_, &saved, RhsPart::all, true);
  if (saved) std::rethrow_exception(saved);
  check_petsc(ierr, "right-hand side at an accepted step");
}

// A query in the newest interval needs du/dt there: compute it before any work
// vector is in use (the nested evaluation reads only older history).
void DelayedRhs::ensure_derivatives(double t) {
  for (double lag : system_.lags())
    if (history_.needs_newest_derivative(t - lag)) return complete_newest_derivative();
}

PetscErrorCode DelayedRhs::evaluate(double t, Vec u, Vec f, std::exception_ptr* saved, RhsPart part,
                                    bool at_accepted_state) {
  PetscFunctionBeginUser;
  DM dm = system_.dm();
  const auto& lags = system_.lags();
  const std::size_t delayed = part == RhsPart::stiff ? 0 : lags.size();
  PetscCall(callback_guard(saved, [&] {
    if (delayed > 0) ensure_derivatives(t);
    for (std::size_t k = 0; k < delayed; ++k) views_[k] = history_.view(t - lags[k]);
    return PetscErrorCode(0);
  }));
  // At the newest accepted state (an explicit RK method's first stage) the history
  // already holds u, ghosted: no scatter, and f becomes its derivative for free.
  const bool at_newest = at_accepted_state && part == RhsPart::all && history_.newest_derivative_pending() &&
                         same_time(t, history_.newest_time());
  Vec u_local = u_local_;
  if (at_newest) {
    u_local = history_.newest_local();
  } else {
    PetscCall(DMGlobalToLocalBegin(dm, u, INSERT_VALUES, u_local_));
    PetscCall(DMGlobalToLocalEnd(dm, u, INSERT_VALUES, u_local_));
  }
  const PetscErrorCode ierr = system_.rhs(t, u_local, std::span<const Vec>(views_.data(), delayed), f, part);
  if (ierr == kRhsOutsideDomain) return ierr;  // recoverable: passed on without a traceback
  PetscCall(ierr);
  if (at_newest)
    PetscCall(callback_guard(saved, [&] {
      history_.set_newest_derivative(f);
      return PetscErrorCode(0);
    }));
  PetscFunctionReturn(0);
}

}  // namespace nf
