#pragma once
// f(t, u) of a DelaySystem with its delayed states read from the History: for each
// lag d_k the ghosted local state u(t - d_k) is a stored vector (when t - d_k is a
// stored time) or is interpolated into one of the history's work vectors. Shared by
// every backend. Nothing is allocated per evaluation.
#include <exception>
#include <vector>

#include "solvers/delay_system.h"
#include "solvers/history/history.h"

namespace nf {

class DelayedRhs {
 public:
  DelayedRhs(const DelaySystem& system, History& history);
  ~DelayedRhs();
  DelayedRhs(const DelayedRhs&) = delete;
  DelayedRhs& operator=(const DelayedRhs&) = delete;

  // For use inside PETSc/SUNDIALS callbacks: never throws; an exception is kept in
  // *saved and reported as PETSC_ERR_USER. at_accepted_state says that (t, u) is the
  // newest accepted step (the first stage of an explicit RK step): f then becomes the
  // history's derivative there, for free.
  PetscErrorCode evaluate(double t, Vec u, Vec f, std::exception_ptr* saved, RhsPart part = RhsPart::all,
                          bool at_accepted_state = false);
  // Computes the pending derivative of the newest entry now (for backends that never
  // evaluate f at an accepted state). Throws.
  void complete_newest_derivative();

 private:
  void ensure_derivatives(double t);

  const DelaySystem& system_;
  History& history_;
  Vec u_local_ = nullptr;
  Vec newest_f_ = nullptr;  // global work for the newest derivative
  std::vector<Vec> views_;  // the history's, one per lag
};

}  // namespace nf
