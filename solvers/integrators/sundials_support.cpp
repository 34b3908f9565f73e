#include "solvers/integrators/sundials_support.h"

#include <arkode/arkode_arkstep.h>
#include <arkode/arkode_erkstep.h>
#include <cvode/cvode.h>
#include <cvode/cvode_ls.h>
#include <fmt/format.h>
#include <sundials/sundials_linearsolver.h>
#include <sunlinsol/sunlinsol_spgmr.h>

#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <utility>

#include "base/petsc_error.h"

namespace nf {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Routines of the ARKLS/CVLS linear-solver interfaces, whose flags (ARKLS_*, CVLS_*)
// reuse the integers of the integrators' own flags.
bool is_linear_solver_interface(std::string_view call) {
  for (std::string_view part : {"LinearSolver", "EpsLin", "JacTimes", "Preconditioner", "LSNormFactor"})
    if (call.find(part) != std::string_view::npos) return true;
  return false;
}

std::string sunls_flag_name(int flag) {
  switch (flag) {
    case SUNLS_SUCCESS: return "SUNLS_SUCCESS";
    case SUNLS_MEM_NULL: return "SUNLS_MEM_NULL";
    case SUNLS_ILL_INPUT: return "SUNLS_ILL_INPUT";
    case SUNLS_MEM_FAIL: return "SUNLS_MEM_FAIL";
    case SUNLS_ATIMES_NULL: return "SUNLS_ATIMES_NULL";
    case SUNLS_ATIMES_FAIL_UNREC: return "SUNLS_ATIMES_FAIL_UNREC";
    case SUNLS_PSET_FAIL_UNREC: return "SUNLS_PSET_FAIL_UNREC";
    case SUNLS_PSOLVE_NULL: return "SUNLS_PSOLVE_NULL";
    case SUNLS_PSOLVE_FAIL_UNREC: return "SUNLS_PSOLVE_FAIL_UNREC";
    case SUNLS_PACKAGE_FAIL_UNREC: return "SUNLS_PACKAGE_FAIL_UNREC";
    case SUNLS_GS_FAIL: return "SUNLS_GS_FAIL";
    case SUNLS_QRSOL_FAIL: return "SUNLS_QRSOL_FAIL";
    case SUNLS_VECTOROP_ERR: return "SUNLS_VECTOROP_ERR";
    case SUNLS_RES_REDUCED: return "SUNLS_RES_REDUCED";
    case SUNLS_CONV_FAIL: return "SUNLS_CONV_FAIL";
    case SUNLS_ATIMES_FAIL_REC: return "SUNLS_ATIMES_FAIL_REC";
    case SUNLS_PSET_FAIL_REC: return "SUNLS_PSET_FAIL_REC";
    case SUNLS_PSOLVE_FAIL_REC: return "SUNLS_PSOLVE_FAIL_REC";
    case SUNLS_PACKAGE_FAIL_REC: return "SUNLS_PACKAGE_FAIL_REC";
    default: return fmt::format("flag {}", flag);
  }
}

// The *GetReturnFlagName functions return a string the caller frees.
std::string owned(char* name) {
  const std::unique_ptr<char, decltype(&std::free)> guard(name, &std::free);
  return name ? std::string(name) : std::string();
}

const ParamSpec& spec_of(const std::vector<ParamSpec>& specs, const std::string& backend, const std::string& name) {
  for (const auto& p : specs)
    if (p.name == name) return p;
  throw std::logic_error(fmt::format("{} declares no option {}", backend, name));
}

const std::string* given(const IntegratorSettings& s, const std::string& name) {
  const auto it = s.options.find(name);
  return it == s.options.end() ? nullptr : &it->second;
}

}  // namespace

double option_real(const IntegratorSettings& s, const std::vector<ParamSpec>& specs, const std::string& backend,
                   const std::string& name) {
  const ParamSpec& spec = spec_of(specs, backend, name);
  const std::string* text = given(s, name);
  if (!text) return spec.default_real;
  const std::string key = s.names.option(name);
  double v = 0;
  std::size_t used = 0;
  try {
    v = std::stod(*text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text->size()) throw BadSettings(fmt::format("{} = {} is not a number", key, *text), key);
  const bool integer = spec.kind == ParamSpec::Kind::integer;
  if (integer && v != std::floor(v)) throw BadSettings(fmt::format("{} = {} is not an integer", key, *text), key);
  const bool below = spec.min_exclusive ? v <= spec.min : v < spec.min;
  if (below || v > spec.max)
    throw BadSettings(fmt::format("{} = {} is out of range: allowed {}{:g}, {:g}]", key, *text,
                                  spec.min_exclusive ? "(" : "[", spec.min, spec.max),
                      key);
  return v;
}

long option_integer(const IntegratorSettings& s, const std::vector<ParamSpec>& specs, const std::string& backend,
                    const std::string& name) {
  return std::lround(option_real(s, specs, backend, name));
}

const std::string& option_choice(const IntegratorSettings& s, const std::vector<ParamSpec>& specs,
                                 const std::string& backend, const std::string& name) {
  const ParamSpec& spec = spec_of(specs, backend, name);
  const std::string* text = given(s, name);
  if (!text) return spec.default_choice;
  if (std::find(spec.choices.begin(), spec.choices.end(), *text) == spec.choices.end()) {
    const std::string key = s.names.option(name);
    throw BadSettings(fmt::format("{} = {} is not allowed; allowed: {}", key, *text, fmt::join(spec.choices, ", ")),
                      key);
  }
  return *text;
}

std::string sundials_flag_name(int flag, const char* call) {
  const std::string_view c = call ? call : "";
  std::string name;
  if (starts_with(c, "ARKStep"))
    name = owned(is_linear_solver_interface(c) ? ARKStepGetLinReturnFlagName(flag) : ARKStepGetReturnFlagName(flag));
  else if (starts_with(c, "ERKStep"))
    name = owned(ERKStepGetReturnFlagName(flag));
  else if (starts_with(c, "CVode"))
    name = owned(is_linear_solver_interface(c) ? CVodeGetLinReturnFlagName(flag) : CVodeGetReturnFlagName(flag));
  else if (starts_with(c, "SUNLinSol"))
    name = sunls_flag_name(flag);
  return name.empty() || starts_with(name, "NONE") ? fmt::format("flag {}", flag) : name;
}

void check_sundials(int flag, const char* call, const std::string& detail) {
  if (flag >= 0) return;
  std::string msg = fmt::format("SUNDIALS {} failed: {} ({})", call, sundials_flag_name(flag, call), flag);
  if (!detail.empty()) msg += ": " + detail;
  throw SundialsFailure(msg);
}

namespace sundials_release {
void arkode_memory(void** mem) { ARKStepFree(mem); }
void cvode_memory(void** mem) { CVodeFree(mem); }
}  // namespace sundials_release

OwnedLinearSolver make_sundials_gmres(N_Vector y, int max_krylov, SUNContext ctx) {
  OwnedLinearSolver ls(check_sundials_ptr(SUNLinSol_SPGMR(y, SUN_PREC_NONE, max_krylov, ctx), "SUNLinSol_SPGMR"));
  check_sundials(SUNLinSol_SPGMRSetMaxRestarts(ls, kGmresRestarts), "SUNLinSol_SPGMRSetMaxRestarts");
  return ls;
}

SundialsContext::SundialsContext(MPI_Comm comm) : comm_(comm) {
  check_sundials(SUNContext_Create(static_cast<void*>(&comm_), ctx_.out()), "SUNContext_Create");
}

PetscNVector::PetscNVector(Vec v, SUNContext ctx) : nv_(check_sundials_ptr(N_VMake_Petsc(v, ctx), "N_VMake_Petsc")) {}

void MidpointBuffer::allocate(DM dm, SUNContext ctx) {
  if (vec_) return;
  check_petsc(DMCreateGlobalVector(dm, vec_.out()));
  view_ = std::make_unique<PetscNVector>(vec_, ctx);
}

// Called from SUNDIALS' C frames: no allocation and nothing that throws. A message
// that does not fit is cut, and the cut is marked.
void SundialsErrorLog::handler(int error_code, const char* module, const char* function, char* msg, void* self) {
  const char* where = module ? module : "SUNDIALS";
  const bool named = function && std::strcmp(where, function) != 0;
  if (error_code > 0) {  // ARK_WARNING, CV_WARNING
    PetscInfo(nullptr, "SUNDIALS warning: %s%s%s: %s\n", where, named ? " " : "", named ? function : "",
              msg ? msg : "");
    return;
  }
  static_cast<SundialsErrorLog*>(self)->append(where, named ? function : nullptr, msg ? msg : "");
}

void SundialsErrorLog::append(const char* where, const char* function, const char* msg) noexcept {
  const std::size_t room = buffer_.size() - length_;
  if (room <= 1) return;
  const int n = std::snprintf(buffer_.data() + length_, room, "%s%s%s%s: %s", length_ > 0 ? "; " : "", where,
                              function ? " " : "", function ? function : "", msg);
  if (n < 0) return;
  length_ += std::min(static_cast<std::size_t>(n), room - 1);
  if (static_cast<std::size_t>(n) >= room) {
    constexpr std::string_view cut = " [...]";
    std::copy(cut.begin(), cut.end(), buffer_.end() - 1 - static_cast<std::ptrdiff_t>(cut.size()));
  }
}

std::string SundialsErrorLog::take() {
  std::string messages(buffer_.data(), length_);
  length_ = 0;
  buffer_[0] = '\0';
  return messages;
}

}  // namespace nf
