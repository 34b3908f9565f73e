#include "solvers/integrators/delayed_rhs.h"

#include "solvers/petsc_error.h"

namespace nf {

DelayedRhs::DelayedRhs(const DelaySystem& system, const History& history) : system_(system), history_(history) {
  DM dm = system_.dm();
  check_petsc(DMCreateLocalVector(dm, &u_local_));
  const std::size_t n = system_.lags().size();
  delayed_global_.resize(n);
  delayed_local_.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    check_petsc(DMCreateGlobalVector(dm, &delayed_global_[k]));
    check_petsc(DMCreateLocalVector(dm, &delayed_local_[k]));
  }
}

DelayedRhs::~DelayedRhs() {
  VecDestroy(&u_local_);
  for (auto& v : delayed_global_) VecDestroy(&v);
  for (auto& v : delayed_local_) VecDestroy(&v);
}

PetscErrorCode DelayedRhs::evaluate(double t, Vec u, Vec f, std::exception_ptr* saved, RhsPart part) {
  PetscFunctionBeginUser;
  DM dm = system_.dm();
  const auto& lags = system_.lags();
  const std::size_t delayed = part == RhsPart::stiff ? 0 : lags.size();
  for (std::size_t k = 0; k < delayed; ++k) {
    PetscCall(callback_guard(saved, [&] {
      history_.evaluate(t - lags[k], delayed_global_[k]);
      return PetscErrorCode(0);
    }));
    PetscCall(DMGlobalToLocalBegin(dm, delayed_global_[k], INSERT_VALUES, delayed_local_[k]));
    PetscCall(DMGlobalToLocalEnd(dm, delayed_global_[k], INSERT_VALUES, delayed_local_[k]));
  }
  PetscCall(DMGlobalToLocalBegin(dm, u, INSERT_VALUES, u_local_));
  PetscCall(DMGlobalToLocalEnd(dm, u, INSERT_VALUES, u_local_));
  PetscCall(system_.rhs(t, u_local_, std::span<const Vec>(delayed_local_.data(), delayed), f, part));
  PetscFunctionReturn(0);
}

}  // namespace nf
