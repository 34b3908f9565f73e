#pragma once
// What every time-integration backend takes and gives back, and the registry of
// backends (PETSc TS, ARKODE, CVODE) by name. A backend knows no model: it integrates
// a DelaySystem.
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/parameters.h"
#include "solvers/checkpoint.h"
#include "solvers/delay_system.h"
#include "solvers/history/history_memory.h"
#include "solvers/step_observer.h"

namespace nf {

// How the layer above names each setting (its deck keys), for messages and for
// BadSettings::key: the solvers never spell them. The defaults are the settings'
// own names.
struct SettingNames {
  std::string t_end = "t_end", dt = "dt", method = "method", adaptive = "adaptive", rtol = "rtol", atol = "atol",
              integrator = "integrator";
  std::string option_prefix;  // put before a backend option's name
  std::string option(const std::string& name) const { return option_prefix + name; }
};

struct IntegratorSettings {
  double t0 = 0;          // s
  double t_end = 1;       // s
  double dt = 1e-3;       // s: the fixed step, or the first step when adaptive
  std::string method = "rk4";
  bool adaptive = false;  // error-controlled steps (rtol, atol), never longer than the shortest lag
  double rtol = 1e-6;     // relative tolerance per step
  double atol = 1e-9;     // absolute tolerance per step (units of the state)
  // Output intervals (s): steps also land on t0 + k Δ for each Δ > 0, so that output
  // is written at the times asked for, not at the step after them.
  std::vector<double> output_every;
  // Backend-specific knobs (IntegratorBackend::options), by option name.
  std::map<std::string, std::string> options;
  SettingNames names;
};

struct RunStats {
  PetscInt steps = 0;
  PetscInt rejected = 0;
  double t_final = 0;     // s: the final time reached
  double wall_seconds = 0;
  // Why the run stopped before t_end (e.g. PETSc's -ts_max_steps); empty when it
  // reached t_end.
  std::string stopped_early;
};

// What a backend runs, read back from its solver objects after construction (PETSc
// options may have changed the deck's choice).
struct MethodDescription {
  std::string backend;    // integrator
  std::string method;     // the method name of what runs; empty if it has none
  std::string library;    // the library's own account: "TS rk 5dp", "ARKStep ERK table, 4 stages", ...
  int order = 0;          // classical order; the highest of a variable-order family; 0 if unknown
  bool adaptive = false;  // error-controlled steps
};

// A run that stopped because the state stopped being finite, grew beyond any model's
// range, or its step fell below round-off. `time` (s): when it was detected.
class BlowUp : public std::runtime_error {
 public:
  BlowUp(const std::string& what, double time) : std::runtime_error(what), time(time) {}
  double time;
};

// A run stopped cleanly after the accepted step at `time` (s), because a rank received
// a stop signal (base/stop_request.h): SIGINT or SIGTERM, `signal` on this rank (0 if
// it was another rank's).
class StopRequested : public std::runtime_error {
 public:
  StopRequested(const std::string& what, double time, int signal)
      : std::runtime_error(what), time(time), signal(signal) {}
  double time;
  int signal;
};

// Settings a backend cannot honour (unknown method, a step longer than a lag, ...).
// `key` names the setting at fault as SettingNames does, or is kPetscOptionsKey.
class BadSettings : public std::invalid_argument {
 public:
  BadSettings(const std::string& what, std::string key)
      : std::invalid_argument(what), key(std::move(key)) {}
  std::string key;
};

// BadSettings::key for the PETSc options (the command line after --, the deck's
// petsc entry): the layer above names where they came from.
inline constexpr const char* kPetscOptionsKey = "petsc";

// After XxxSetFromOptions: throws BadSettings (key kPetscOptionsKey) if it failed,
// with PETSc's own message, which names the bad value ("Unknown TS type: foo").
void check_petsc_options(PetscErrorCode ierr, const char* call);

class Integrator {
 public:
  virtual ~Integrator() = default;
  // Starts from the history at t0 (or from checkpoints.resume_from) and integrates to
  // t_end; observers see the initial state and every accepted step. Throws BlowUp if
  // the state stops being finite. Checkpoints as DelayRun::begin() says.
  virtual RunStats run(Vec u, std::span<StepObserver* const> observers, const RunCheckpoints& checkpoints = {}) = 0;
  virtual MethodDescription describe() const = 0;
  // The delay history's memory, estimated before it was allocated (rank.slots == 0
  // without lags).
  virtual HistoryMemory history_memory() const { return {}; }
};

struct MethodInfo {
  std::string name;       // deck name (method)
  int order;              // classical order of the method
  std::string doc;
  bool implicit_stiff = false;  // the stiff part (diffusion) is solved implicitly: no explicit stability limit
};

// A method name of another backend and this backend's nearest method, so that
// switching integrator alone keeps a deck running (rk4 on CVODE runs adams).
struct MethodEquivalent {
  std::string name;       // the other backend's name
  std::string method;     // this backend's method
};

struct IntegratorBackend {
  std::string name;       // deck name (integrator)
  std::string doc;
  std::vector<MethodInfo> methods;
  std::string default_method;
  std::vector<MethodEquivalent> equivalents;
  std::vector<ParamSpec> options;   // the deck section named after the backend
  std::function<std::unique_ptr<Integrator>(const DelaySystem&, const IntegratorSettings&)> make;
};

const std::vector<IntegratorBackend>& integrator_backends();
const IntegratorBackend* find_integrator_backend(const std::string& name);
// The method's entry of a backend, through its equivalents for another backend's
// name; throws BadSettings (key method) listing the allowed names and the
// nearest one.
const MethodInfo& method_info(const IntegratorBackend& backend, const std::string& method,
                              const SettingNames& names = {});
// Every name method accepts with this backend: its methods, then the
// equivalents.
std::vector<std::string> accepted_method_names(const IntegratorBackend& backend);

}  // namespace nf
