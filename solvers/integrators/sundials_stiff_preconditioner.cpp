#include "solvers/integrators/sundials_stiff_preconditioner.h"

#include <nvector/nvector_petsc.h>

#include "base/petsc_error.h"
#include "solvers/integrators/stiff_linear_solver.h"

namespace nf {

SundialsStiffPreconditioner::SundialsStiffPreconditioner(const DelaySystem& system)
    : dm_(system.dm()), l_(assemble_stiff_operator(system)) {
  if (l_) check_petsc(MatDuplicate(l_, MAT_DO_NOT_COPY_VALUES, p_.out()));
}

KspPreconditioning SundialsStiffPreconditioner::preconditioning() const {
  DM dm = dm_;
  return {p_, [dm](KSP ksp) { use_stiff_preconditioner_defaults(ksp, dm); }};
}

int SundialsStiffPreconditioner::setup(double gamma) {
  if (same_shift(gamma, gamma_)) return 0;
  if (newton_stiff_operator(l_, gamma, p_) != 0) return -1;
  gamma_ = gamma;
  ++refreshes_;
  return 0;
}

int SundialsStiffPreconditioner::apply(N_Vector v, N_Vector lv) const {
  return MatMult(l_, N_VGetVector_Petsc(v), N_VGetVector_Petsc(lv)) == 0 ? 0 : -1;
}

}  // namespace nf
