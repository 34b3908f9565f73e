#include "solvers/integrators/petsc_ts_integrator.h"

#include <fmt/format.h>
#include <petscdmda.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <utility>

#include "solvers/integrators/petsc_methods.h"
#include "solvers/petsc_error.h"

namespace nf {
namespace {

double shortest(const std::vector<double>& lags) {
  return lags.empty() ? std::numeric_limits<double>::infinity() : *std::min_element(lags.begin(), lags.end());
}

double longest(const std::vector<double>& lags) {
  return lags.empty() ? 0.0 : *std::max_element(lags.begin(), lags.end());
}

void check_step_against_lags(const IntegratorSettings& s, const std::vector<double>& lags) {
  const double lag = shortest(lags);
  if (s.dt > lag * (1 + 1e-12))
    throw BadSettings(fmt::format(
        "time.dt = {:g} s is longer than the shortest lag {:g} s: explicit stages would need u(t - lag) "
        "after the last accepted step. Set time.dt <= {:g}",
        s.dt, lag, lag));
  if (!(s.dt > 0) || !(s.t_end > s.t0))
    throw BadSettings(fmt::format("need time.dt > 0 and time.t_end > t0 (got dt = {:g}, t_end = {:g})", s.dt, s.t_end));
}

// The first non-finite owned entry: global cell index and component, or -1.
std::pair<PetscInt, PetscInt> first_non_finite(DM dm, Vec u) {
  const PetscScalar* a = nullptr;
  PetscInt lo = 0, hi = 0, dof = 1;
  check_petsc(VecGetOwnershipRange(u, &lo, &hi));
  check_petsc(DMDAGetInfo(dm, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, &dof, nullptr,
                          nullptr, nullptr, nullptr, nullptr));
  check_petsc(VecGetArrayRead(u, &a));
  PetscInt found = std::numeric_limits<PetscInt>::max();
  for (PetscInt i = 0; i < hi - lo; ++i)
    if (!std::isfinite(a[i])) {
      found = lo + i;
      break;
    }
  check_petsc(VecRestoreArrayRead(u, &a));
  PetscInt global = found;
  MPI_Allreduce(&found, &global, 1, MPIU_INT, MPI_MIN, PetscObjectComm(reinterpret_cast<PetscObject>(u)));
  if (global == std::numeric_limits<PetscInt>::max()) return {-1, -1};
  return {global / dof, global % dof};
}

}  // namespace

PetscTsIntegrator::PetscTsIntegrator(const DelaySystem& system, const IntegratorSettings& settings)
    : system_(system), settings_(settings) {
  check_step_against_lags(settings_, system_.lags());
  const PetscMethod& method = petsc_method(settings_.method);
  DM dm = system_.dm();
  check_petsc(DMCreateGlobalVector(dm, &dudt_));
  history_ = std::make_unique<History>(dudt_, longest(system_.lags()), settings_.dt,
                                       [this](double t, Vec out) { system_.history_before_start(t, out); });
  rhs_ = std::make_unique<DelayedRhs>(system_, *history_);

  check_petsc(TSCreate(PetscObjectComm(reinterpret_cast<PetscObject>(dm)), &ts_));
  check_petsc(TSSetDM(ts_, dm));
  check_petsc(TSSetProblemType(ts_, TS_NONLINEAR));
  check_petsc(TSSetType(ts_, method.ts_type));
  if (std::string(method.ts_type) == TSRK) check_petsc(TSRKSetType(ts_, method.rk_type));
  check_petsc(TSSetRHSFunction(ts_, nullptr, &PetscTsIntegrator::rhs_callback, this));
  check_petsc(TSSetApplicationContext(ts_, this));
  check_petsc(TSSetPostStep(ts_, &PetscTsIntegrator::post_step_callback));
  check_petsc(TSSetTime(ts_, settings_.t0));
  check_petsc(TSSetTimeStep(ts_, settings_.dt));
  check_petsc(TSSetMaxTime(ts_, settings_.t_end));
  check_petsc(TSSetMaxSteps(ts_, PETSC_MAX_INT));
  check_petsc(TSSetExactFinalTime(ts_, TS_EXACTFINALTIME_MATCHSTEP));
  TSAdapt adapt = nullptr;
  check_petsc(TSGetAdapt(ts_, &adapt));
  check_petsc(TSAdaptSetType(adapt, TSADAPTNONE));
  if (std::isfinite(shortest(system_.lags())))
    check_petsc(TSAdaptSetStepLimits(adapt, PETSC_DEFAULT, shortest(system_.lags())));
  check_petsc(TSSetFromOptions(ts_));
}

PetscTsIntegrator::~PetscTsIntegrator() {
  TSDestroy(&ts_);
  VecDestroy(&dudt_);
}

PetscErrorCode PetscTsIntegrator::rhs_callback(TS, PetscReal t, Vec u, Vec f, void* ctx) {
  auto* self = static_cast<PetscTsIntegrator*>(ctx);
  return self->rhs_->evaluate(t, u, f, &self->saved_);
}

PetscErrorCode PetscTsIntegrator::post_step_callback(TS ts) {
  void* ctx = nullptr;
  PetscCall(TSGetApplicationContext(ts, &ctx));
  return static_cast<PetscTsIntegrator*>(ctx)->after_step();
}

PetscErrorCode PetscTsIntegrator::after_step() {
  return callback_guard(&saved_, [&] {
    PetscReal t = 0;
    PetscInt step = 0;
    Vec u = nullptr;
    check_petsc(TSGetTime(ts_, &t));
    check_petsc(TSGetStepNumber(ts_, &step));
    check_petsc(TSGetSolution(ts_, &u));
    check_finite(t, u);
    record(t, u);
    notify(t, step, u);
    return PetscErrorCode(0);
  });
}

// du/dt at an accepted step, for the Hermite dense output of the next intervals.
void PetscTsIntegrator::record(double t, Vec u) {
  const PetscErrorCode ierr = rhs_->evaluate(t, u, dudt_, &saved_);
  if (saved_) std::rethrow_exception(std::exchange(saved_, nullptr));
  check_petsc(ierr, "right-hand side at an accepted step");
  history_->push(t, u, dudt_);
}

void PetscTsIntegrator::check_finite(double t, Vec u) const {
  PetscReal norm = 0;
  check_petsc(VecNorm(u, NORM_INFINITY, &norm));
  if (std::isfinite(norm)) return;
  DM dm = system_.dm();
  const auto [cell, component] = first_non_finite(dm, u);
  const char* field = nullptr;
  check_petsc(DMDAGetFieldName(dm, std::max<PetscInt>(component, 0), &field));
  throw BlowUp(fmt::format(
      "t = {:.6g} s: field '{}' stopped being finite (first at cell {}). Likely cause: the step time.dt = {:g} s "
      "is too large for the explicit method '{}', or the model is unstable at these parameters. Fix: halve "
      "time.dt; if the blow-up time does not move, the growth is physical: shorten time.t_end or change the "
      "parameters",
      t, field ? field : "?", cell, settings_.dt, settings_.method));
}

void PetscTsIntegrator::notify(double t, PetscInt step, Vec u) {
  const StepState state{t, step, u};
  for (StepObserver* o : observers_) o->observe(state);
}

RunStats PetscTsIntegrator::run(Vec u, std::span<StepObserver* const> observers) {
  const auto start = std::chrono::steady_clock::now();
  observers_ = observers;
  system_.history_before_start(settings_.t0, u);
  record(settings_.t0, u);
  notify(settings_.t0, 0, u);
  const PetscErrorCode ierr = TSSolve(ts_, u);
  if (saved_) std::rethrow_exception(std::exchange(saved_, nullptr));
  check_petsc(ierr, "TSSolve");
  RunStats stats;
  check_petsc(TSGetStepNumber(ts_, &stats.steps));
  check_petsc(TSGetTime(ts_, &stats.t_final));
  stats.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace nf
