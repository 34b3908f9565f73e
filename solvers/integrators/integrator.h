#pragma once
// What every time-integration backend takes and gives back.
#include <span>
#include <stdexcept>
#include <string>

#include "solvers/step_observer.h"

namespace nf {

struct IntegratorSettings {
  double t0 = 0;          // s
  double t_end = 1;       // s
  double dt = 1e-3;       // s, the fixed step (the first step when adaptive)
  std::string method = "rk4";
};

struct RunStats {
  PetscInt steps = 0;
  double t_final = 0;     // s
  double wall_seconds = 0;
};

// A run that stopped because the state stopped being finite.
class BlowUp : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A method name the backend does not know, or settings it cannot honour.
class BadSettings : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace nf
