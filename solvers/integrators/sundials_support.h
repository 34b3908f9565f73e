#pragma once
// What the ARKODE and CVODE backends share: the SUNContext of a run (on the DM's
// communicator, never PETSC_COMM_WORLD), non-owning N_Vector views of PETSc Vecs,
// the library's last error message, and return-code checks that throw in every
// build type (never assert).
#include <mpi.h>
#include <nvector/nvector_petsc.h>
#include <petscdm.h>
#include <petscvec.h>
#include <sundials/sundials_context.h>
#include <sundials/sundials_linearsolver.h>
#include <sundials/sundials_matrix.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/owned.h"
#include "base/petsc_handles.h"
#include "solvers/integrators/integrator.h"

namespace nf {

// Owners of the SUNDIALS handles (see base/owned.h): each is released once by its
// library's free function, also when a constructor throws after creating it.
namespace sundials_release {
inline void nvector(N_Vector* v) { N_VDestroy(*v); }
inline void linear_solver(SUNLinearSolver* s) { SUNLinSolFree(*s); }
inline void matrix(SUNMatrix* m) { SUNMatDestroy(*m); }
inline void context(SUNContext* c) { SUNContext_Free(c); }
void arkode_memory(void** mem);  // ARKStepFree
void cvode_memory(void** mem);   // CVodeFree
}  // namespace sundials_release
using OwnedNVector = Owned<N_Vector, sundials_release::nvector>;
using OwnedLinearSolver = Owned<SUNLinearSolver, sundials_release::linear_solver>;
using OwnedSUNMatrix = Owned<SUNMatrix, sundials_release::matrix>;
using OwnedSUNContext = Owned<SUNContext, sundials_release::context>;
using OwnedArkodeMemory = Owned<void*, sundials_release::arkode_memory>;
using OwnedCvodeMemory = Owned<void*, sundials_release::cvode_memory>;

// A backend option (the deck's <backend>.<name>) from settings.options, or the
// default its ParamSpec declares. Throws BadSettings (key <backend>.<name>) if the
// text is not a number, not an integer where one is needed, or out of range.
double option_real(const IntegratorSettings& s, const std::vector<ParamSpec>& specs, const std::string& backend,
                   const std::string& name);
long option_integer(const IntegratorSettings& s, const std::vector<ParamSpec>& specs, const std::string& backend,
                    const std::string& name);
const std::string& option_choice(const IntegratorSettings& s, const std::vector<ParamSpec>& specs,
                                 const std::string& backend, const std::string& name);

// SUNDIALS' convention for a right-hand side's return: 0 success, > 0 recoverable
// (the state is outside the model's domain: retry a shorter step), < 0 fatal.
inline int sundials_rhs_flag(PetscErrorCode ierr) { return ierr == 0 ? 0 : ierr == kRhsOutsideDomain ? 1 : -1; }

// A SUNDIALS routine that returned a failure flag.
class SundialsFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The symbolic name of a SUNDIALS flag, looked up by the routine's package:
// ARKStep*/ERKStep* (ARK_*), CVode* (CV_*), their linear-solver interface routines
// (*LinearSolver, *EpsLin, *JacTimes*, *Preconditioner: ARKLS_*/CVLS_*), SUNLinSol*
// (SUNLS_*). "flag <n>" when unknown.
std::string sundials_flag_name(int flag, const char* call);

// Throws SundialsFailure if flag < 0 (SUNDIALS' convention: negative = failure,
// positive = a warning or a kind of return such as ARK_TSTOP_RETURN), naming the
// routine, the flag and `detail` (the library's own message, if any).
void check_sundials(int flag, const char* call, const std::string& detail = {});

// SUNDIALS' GMRES without preconditioner, matrix-free, with a Krylov dimension of
// `max_krylov` and up to kGmresRestarts restarts (so up to 6 max_krylov iterations
// per linear solve: unpreconditioned stiff diffusion at h lambda ~ 100 needs them).
constexpr int kGmresRestarts = 5;
OwnedLinearSolver make_sundials_gmres(N_Vector y, int max_krylov, SUNContext ctx);

// For constructors that return a pointer: throws SundialsFailure on nullptr.
template <class T>
T check_sundials_ptr(T p, const char* call, const std::string& detail = {}) {
  if (p == nullptr) check_sundials(-1, call, detail.empty() ? "returned no object" : detail);
  return p;
}

// The SUNContext of one integrator over `comm`. SUNContext_Create keeps a pointer
// to the communicator, so the handle is copied into this object and outlives the
// context.
class SundialsContext {
 public:
  explicit SundialsContext(MPI_Comm comm);
  SundialsContext(const SundialsContext&) = delete;
  SundialsContext(SundialsContext&&) = delete;
  SundialsContext& operator=(const SundialsContext&) = delete;
  SUNContext get() const { return ctx_; }
  MPI_Comm comm() const { return comm_; }

 private:
  MPI_Comm comm_;
  OwnedSUNContext ctx_;
};

// A non-owning N_Vector view of a PETSc Vec (N_VMake_Petsc): destroying the view
// leaves the Vec alone.
class PetscNVector {
 public:
  PetscNVector(Vec v, SUNContext ctx);
  N_Vector get() const { return nv_; }
  Vec vec() const { return N_VGetVector_Petsc(nv_); }

 private:
  OwnedNVector nv_;
};

// A global vector of the DM's layout and its N_Vector view, for the backend's dense
// output at each step's middle (DelayRun::accept's u_mid). Empty until allocate().
class MidpointBuffer {
 public:
  void allocate(DM dm, SUNContext ctx);
  Vec vec() const { return vec_; }  // nullptr when not allocated
  N_Vector nvector() const { return view_ ? view_->get() : nullptr; }

 private:
  OwnedVec vec_;
  std::unique_ptr<PetscNVector> view_;  // declared after vec_: released before it
};

// Collects the messages ARKODE/CVODE send to their error handler (instead of
// printing them on every rank): errors become the detail of the exception thrown
// after the call, warnings go to PetscInfo (-info). The handler runs inside
// SUNDIALS' C frames, so it writes into a fixed buffer and never allocates.
class SundialsErrorLog {
 public:
  // The handler, with `this` as its user data (ARKErrHandlerFn and CVErrHandlerFn
  // have the same signature).
  static void handler(int error_code, const char* module, const char* function, char* msg, void* self);
  // The messages since the last take(), then cleared.
  std::string take();

 private:
  void append(const char* where, const char* function, const char* msg) noexcept;

  std::array<char, 2048> buffer_{};
  std::size_t length_ = 0;
};

}  // namespace nf
