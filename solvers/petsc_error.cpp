#include "solvers/petsc_error.h"

namespace nf {

void check_petsc(PetscErrorCode ierr, const char* what) {
  if (ierr == 0) return;
  const char* text = nullptr;
  PetscErrorMessage(ierr, &text, nullptr);
  std::string msg = "PETSc error " + std::to_string(static_cast<int>(ierr));
  if (text) msg += std::string(": ") + text;
  if (what) msg += std::string(" (") + what + ")";
  throw PetscFailure(msg);
}

}  // namespace nf
