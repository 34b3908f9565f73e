#include "tests/support/scalar_delay_system.h"

#include <petscdmda.h>

#include "base/petsc_error.h"

namespace nf::test {

ScalarDelaySystem::ScalarDelaySystem(double lag, double y_before, Rhs f)
    : lags_{lag}, y_before_(y_before), f_(std::move(f)) {
  check_petsc(DMDACreate1d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, 1, 1, 0, nullptr, &dm_));
  check_petsc(DMSetUp(dm_));
  check_petsc(DMDASetFieldName(dm_, 0, "y"));
}

ScalarDelaySystem::~ScalarDelaySystem() { DMDestroy(&dm_); }

void ScalarDelaySystem::history_before_start(double, Vec u) const { check_petsc(VecSet(u, y_before_)); }

PetscErrorCode ScalarDelaySystem::rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f,
                                      RhsPart part) const {
  PetscFunctionBeginUser;
  if (part == RhsPart::stiff) {
    PetscCall(VecSet(f, 0.0));
    PetscFunctionReturn(0);
  }
  ++evaluations_;
  const PetscScalar *y = nullptr, *d = nullptr;
  PetscScalar* out = nullptr;
  PetscCall(VecGetArrayRead(u_local, &y));
  PetscCall(VecGetArrayRead(delayed_local[0], &d));
  PetscCall(VecGetArray(f, &out));
  const bool outside = outside_ && outside_(t, y[0]);
  out[0] = outside ? 0.0 : f_(t, y[0], d[0]);
  PetscCall(VecRestoreArray(f, &out));
  PetscCall(VecRestoreArrayRead(delayed_local[0], &d));
  PetscCall(VecRestoreArrayRead(u_local, &y));
  if (outside) {
    ++domain_errors_;
    return kRhsOutsideDomain;
  }
  PetscFunctionReturn(0);
}

}  // namespace nf::test
