#include "base/petsc_error.h"

namespace nf {

std::string petsc_error_text(PetscErrorCode ierr) {
  const char* text = nullptr;
  char* specific = nullptr;
  PetscErrorMessage(ierr, &text, &specific);
  std::string msg;
  // PETSc keeps the message of the error's first PetscError (e.g. "Unknown TS type:
  // foo") in one static buffer; it is emptied here so that a later error code that
  // came without a PetscError call (a callback's bare return) cannot show a stale one.
  if (specific && *specific) {
    msg = specific;
    *specific = '\0';
  }
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  const std::string general = text ? text : "";
  if (msg.empty()) return general;
  return general.empty() ? msg : msg + " [" + general + "]";
}

void check_petsc(PetscErrorCode ierr, const char* what) {
  if (ierr == 0) return;
  std::string msg = "PETSc error " + std::to_string(static_cast<int>(ierr));
  const std::string text = petsc_error_text(ierr);
  if (!text.empty()) msg += ": " + text;
  if (what) msg += std::string(" (") + what + ")";
  throw PetscFailure(msg);
}

}  // namespace nf
