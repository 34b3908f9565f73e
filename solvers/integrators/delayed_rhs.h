#pragma once
// f(t, u) of a DelaySystem with its delayed states read from the History: for each
// lag d_k the owned values u(t - d_k) are interpolated, then their ghosts are filled
// by the DM's neighbour scatter. Shared by every time-integration backend.
// Work vectors are made once; an evaluation allocates nothing.
#include <exception>
#include <vector>

#include "solvers/delay_system.h"
#include "solvers/history/history.h"

namespace nf {

class DelayedRhs {
 public:
  DelayedRhs(const DelaySystem& system, const History& history);
  ~DelayedRhs();
  DelayedRhs(const DelayedRhs&) = delete;
  DelayedRhs& operator=(const DelayedRhs&) = delete;

  // For use inside PETSc/SUNDIALS callbacks: never throws; an exception from the
  // history is kept in *saved and reported as PETSC_ERR_USER.
  PetscErrorCode evaluate(double t, Vec u, Vec f, std::exception_ptr* saved, RhsPart part = RhsPart::all);

 private:
  const DelaySystem& system_;
  const History& history_;
  Vec u_local_ = nullptr;
  std::vector<Vec> delayed_global_, delayed_local_;
};

}  // namespace nf
