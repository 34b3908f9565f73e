#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/did_you_mean.h"
#include "solvers/integrators/arkode_integrator.h"
#include "solvers/integrators/cvode_integrator.h"
#include "solvers/integrators/integrator.h"
#include "solvers/integrators/petsc_ts_integrator.h"
#include "base/petsc_error.h"

namespace nf {

void check_petsc_options(PetscErrorCode ierr, const char* call) {
  if (ierr == 0) return;
  throw BadSettings(fmt::format("the PETSc options were rejected: {} (PETSc error {} in {}); list the options of "
                                "this run's solvers by adding -help",
                                petsc_error_text(ierr), static_cast<int>(ierr), call),
                    kPetscOptionsKey);
}

const std::vector<IntegratorBackend>& integrator_backends() {
  static const std::vector<IntegratorBackend> backends = {petsc_ts_backend(), arkode_backend(), cvode_backend()};
  return backends;
}

const IntegratorBackend* find_integrator_backend(const std::string& name) {
  for (const auto& b : integrator_backends())
    if (b.name == name) return &b;
  return nullptr;
}

std::vector<std::string> accepted_method_names(const IntegratorBackend& backend) {
  std::vector<std::string> names;
  for (const auto& m : backend.methods) names.push_back(m.name);
  for (const auto& e : backend.equivalents) names.push_back(e.name);
  return names;
}

const MethodInfo& method_info(const IntegratorBackend& backend, const std::string& method, const SettingNames& names) {
  std::vector<std::string> allowed;
  for (const auto& m : backend.methods) {
    if (m.name == method) return m;
    allowed.push_back(m.name);
  }
  for (const auto& e : backend.equivalents)
    if (e.name == method) return method_info(backend, e.method, names);
  throw BadSettings(fmt::format("{} = {} is not a method of {} {}; allowed: {}{}", names.method, method,
                                names.integrator, backend.name, fmt::join(allowed, ", "),
                                did_you_mean_suffix(method, allowed)),
                    names.method);
}

}  // namespace nf
