#pragma once
// The assembled stiff part L (diffusion) for SUNDIALS' Newton systems
//   (I - gamma J) x = b,   gamma = a_ii dt (ARKODE) or l_0 dt (CVODE BDF):
// P = I - gamma L, refreshed in the integrator's preconditioner setup when gamma has
// changed, is the preconditioning matrix of the PETSc KSP (petsc_ksp_linear_solver.h)
// with the stiff solver's defaults (stiff_linear_solver.h: LU in 1D, algebraic
// multigrid in 2D and 3D). For ARKODE's IMEX stages J = L exactly (J v = L v by the matrix), so the
// Krylov solve converges in one preconditioned iteration when P is current; for CVODE
// J = L + g'(u) and P leaves GMRES only the reaction's part.
#include <petscdm.h>
#include <petscmat.h>
#include <sundials/sundials_nvector.h>

#include "base/petsc_handles.h"
#include "solvers/delay_system.h"
#include "solvers/integrators/petsc_ksp_linear_solver.h"

namespace nf {

class SundialsStiffPreconditioner {
 public:
  SundialsStiffPreconditioner() = default;  // empty
  // Empty (operator bool false) when the system has no assembled stiff part.
  explicit SundialsStiffPreconditioner(const DelaySystem& system);
  explicit operator bool() const { return static_cast<bool>(l_); }

  // The KSP's preconditioning: P and the stiff solver's PC defaults on the system's DM.
  KspPreconditioning preconditioning() const;
  // P = I - gamma L when gamma differs from the last; 0 on success, -1 on a PETSc
  // error (an integrator callback's flag).
  int setup(double gamma);
  // Lv = L v; 0 or -1.
  int apply(N_Vector v, N_Vector lv) const;
  // P's refreshes so far.
  long refreshes() const { return refreshes_; }

 private:
  DM dm_ = nullptr;
  OwnedMat l_, p_;
  double gamma_ = 0;
  long refreshes_ = 0;
};

}  // namespace nf
