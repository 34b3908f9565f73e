#include "solvers/integrators/petsc_methods.h"

#include <fmt/format.h>

#include "io/did_you_mean.h"
#include "solvers/integrators/integrator.h"

namespace nf {

const std::vector<PetscMethod>& petsc_methods() {
  static const std::vector<PetscMethod> table = {
      {"euler", TSRK, TSRK1FE, 1, "forward Euler"},
      {"rk2", TSRK, TSRK2A, 2, "Heun's method (explicit trapezoid)"},
      {"rk3", TSRK, TSRK3, 3, "Kutta's third-order method"},
      {"rk3bs", TSRK, TSRK3BS, 3, "Bogacki-Shampine 3(2)"},
      {"rk4", TSRK, TSRK4, 4, "classical fourth-order Runge-Kutta"},
      {"rk5dp", TSRK, TSRK5DP, 5, "Dormand-Prince 5(4) (dense output limits the delay order to 4)"},
  };
  return table;
}

const PetscMethod& petsc_method(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& m : petsc_methods()) {
    if (m.name == name) return m;
    names.push_back(m.name);
  }
  throw BadSettings(fmt::format("unknown PETSc method '{}'; allowed: {}{}", name, fmt::join(names, ", "),
                                did_you_mean_suffix(name, names)));
}

}  // namespace nf
