#pragma once
// The PETSc TS methods reachable by name from a deck (time.method). Any other TS type
// stays reachable with PETSc options (-ts_type, -ts_rk_type, ...).
#include <petscts.h>

#include <string>
#include <vector>

namespace nf {

struct PetscMethod {
  std::string name;       // deck name
  TSType ts_type;
  TSRKType rk_type;       // for TSRK
  int order;              // classical order
  std::string doc;
};

const std::vector<PetscMethod>& petsc_methods();
// Throws BadSettings listing the allowed names (and the nearest one) if unknown.
const PetscMethod& petsc_method(const std::string& name);

}  // namespace nf
