#pragma once
// Error style at the PETSc boundary. Outside callbacks a failed PETSc call becomes a
// C++ exception (caught once in main). Inside callbacks use PetscCall/PetscCheck and
// the callback_guard below, so no exception crosses PETSc's C frames.
#include <petscsys.h>

#include <stdexcept>
#include <string>

namespace nf {

class PetscFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// PETSc's own message for the error just raised ("Unknown TS type: foo"), then its
// generic text for the code in brackets; the generic text alone when there is none.
std::string petsc_error_text(PetscErrorCode ierr);

// Throws PetscFailure if ierr is non-zero, with petsc_error_text. Use outside PETSc
// callbacks only.
void check_petsc(PetscErrorCode ierr, const char* what = nullptr);

// Runs f inside a PETSc callback; an exception is stored in *saved and turned into a
// PETSc error code, to be rethrown by the caller after the PETSc call returns.
template <class F>
PetscErrorCode callback_guard(std::exception_ptr* saved, F&& f) {
  try {
    return f();
  } catch (...) {
    *saved = std::current_exception();
    return PETSC_ERR_USER;
  }
}

}  // namespace nf
