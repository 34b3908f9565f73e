#include "solvers/integrators/petsc_ts_integrator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "solvers/petsc_error.h"

namespace nf {
namespace {

enum class Kind { explicit_method, imex, implicit };

struct PetscMethod {
  MethodInfo info;
  TSType type;
  const char* subtype;  // RK/SSP/ARKIMEX tableau; nullptr otherwise
  Kind kind;
  int bdf_order = 0;
};

const std::vector<PetscMethod>& methods() {
  static const std::vector<PetscMethod> table = {
      {{"euler", 1, "forward Euler"}, TSRK, TSRK1FE, Kind::explicit_method},
      {{"rk2", 2, "Heun's method (explicit trapezoid)"}, TSRK, TSRK2A, Kind::explicit_method},
      {{"rk3", 3, "Kutta's third-order method"}, TSRK, TSRK3, Kind::explicit_method},
      {{"rk3bs", 3, "Bogacki-Shampine 3(2), embedded: adaptive"}, TSRK, TSRK3BS, Kind::explicit_method},
      {{"rk4", 4, "classical fourth-order Runge-Kutta"}, TSRK, TSRK4, Kind::explicit_method},
      {{"rk5dp", 5, "Dormand-Prince 5(4), embedded: adaptive; its dense output gives the history's quartic"},
       TSRK, TSRK5DP, Kind::explicit_method},
      {{"ssp3", 3, "strong-stability-preserving RK, 4 stages, order 3"}, TSSSP, TSSSPRKS3, Kind::explicit_method},
      {{"arkimex2", 2, "additive RK IMEX 2(1) (ARS 2E), stiff part implicit"}, TSARKIMEX, TSARKIMEX2E, Kind::imex},
      {{"arkimex3", 3, "additive RK IMEX 3(2) (Kennedy-Carpenter), stiff part implicit"}, TSARKIMEX, TSARKIMEX3,
       Kind::imex},
      {{"arkimex4", 4, "additive RK IMEX 4(3) (Kennedy-Carpenter ARK4(3)6L), stiff part implicit"}, TSARKIMEX,
       TSARKIMEX4, Kind::imex},
      {{"beuler", 1, "backward Euler, Newton-Krylov"}, TSBEULER, nullptr, Kind::implicit},
      {{"cn", 2, "Crank-Nicolson, Newton-Krylov"}, TSCN, nullptr, Kind::implicit},
      {{"bdf2", 2, "BDF order 2, Newton-Krylov"}, TSBDF, nullptr, Kind::implicit, 2},
  };
  return table;
}

const PetscMethod& find_method(const std::string& name) {
  static const IntegratorBackend backend = petsc_ts_backend();
  const MethodInfo& info = method_info(backend, name);
  for (const auto& m : methods())
    if (m.info.name == info.name) return m;
  throw BadSettings("no PETSc method " + name, "time.method");
}

void select_method(TS ts, const PetscMethod& m) {
  check_petsc(TSSetType(ts, m.type));
  const std::string type = m.type;
  if (type == TSRK) check_petsc(TSRKSetType(ts, m.subtype));
  if (type == TSSSP) {
    check_petsc(TSSSPSetType(ts, m.subtype));
    check_petsc(TSSSPSetNumStages(ts, 4));
  }
  if (type == TSARKIMEX) check_petsc(TSARKIMEXSetType(ts, m.subtype));
  if (type == TSBDF) check_petsc(TSBDFSetOrder(ts, m.bdf_order));
}

// Whether the TS still runs the method chosen from the deck: PETSc options (-ts_type,
// -ts_rk_type, -ts_arkimex_type, -ts_ssp_type, -ts_bdf_order) may change it.
bool unchanged_by_options(TS ts, const PetscMethod& m) {
  TSType type = nullptr;
  check_petsc(TSGetType(ts, &type));
  const std::string t = type;
  if (t != m.type) return false;
  const char* subtype = nullptr;
  if (t == TSRK) check_petsc(TSRKGetType(ts, &subtype));
  if (t == TSSSP) check_petsc(TSSSPGetType(ts, &subtype));
  if (t == TSARKIMEX) check_petsc(TSARKIMEXGetType(ts, &subtype));
  if (subtype) return std::string(subtype) == m.subtype;
  if (t == TSBDF) {
    PetscInt order = 0;
    check_petsc(TSBDFGetOrder(ts, &order));
    return order == m.bdf_order;
  }
  return true;
}

// An RK tableau of order >= 5 whose dense output has order >= 4 (e.g. 5dp): the
// history then needs the quartic Hermite to keep the method's order (see History).
bool wants_dense_midpoints(TS ts) {
  TSType type = nullptr;
  check_petsc(TSGetType(ts, &type));
  if (std::string(type) != TSRK) return false;
  PetscInt stages = 0, order = 0, interp_order = 0;
  const PetscReal *a = nullptr, *b = nullptr, *c = nullptr, *b_embedded = nullptr, *b_interp = nullptr;
  PetscBool fsal = PETSC_FALSE;
  check_petsc(TSRKGetOrder(ts, &order));
  check_petsc(TSRKGetTableau(ts, &stages, &a, &b, &c, &b_embedded, &interp_order, &b_interp, &fsal));
  return order >= 5 && b_interp && interp_order >= 4;
}

// Implicit stages: Jacobian-free Newton-Krylov, GMRES without preconditioner.
void use_matrix_free_newton(TS ts) {
  SNES snes = nullptr;
  KSP ksp = nullptr;
  PC pc = nullptr;
  check_petsc(TSGetSNES(ts, &snes));
  check_petsc(SNESSetUseMatrixFree(snes, PETSC_FALSE, PETSC_TRUE));
  check_petsc(SNESGetKSP(snes, &ksp));
  check_petsc(KSPSetType(ksp, KSPGMRES));
  check_petsc(KSPGetPC(ksp, &pc));
  check_petsc(PCSetType(pc, PCNONE));
}

}  // namespace

IntegratorBackend petsc_ts_backend() {
  IntegratorBackend b;
  b.name = "petsc";
  b.doc = "PETSc TS: explicit RK and SSP, IMEX ARK, BDF and theta methods; any TS option after --";
  for (const auto& m : methods()) b.methods.push_back(m.info);
  b.default_method = "rk4";
  // ARKODE's and CVODE's names.
  b.equivalents = {{"rk4z", "rk4"}, {"ark3", "arkimex3"}, {"ark4", "arkimex4"}, {"adams", "rk5dp"}, {"bdf", "bdf2"}};
  b.make = [](const DelaySystem& s, const IntegratorSettings& st) -> std::unique_ptr<Integrator> {
    return std::make_unique<PetscTsIntegrator>(s, st);
  };
  return b;
}

PetscTsIntegrator::PetscTsIntegrator(const DelaySystem& system, const IntegratorSettings& settings)
    : run_(system, settings, find_method(settings.method).info.order) {
  const PetscMethod& method = find_method(settings.method);
  imex_ = method.kind == Kind::imex;
  DM dm = system.dm();
  check_petsc(TSCreate(PetscObjectComm(reinterpret_cast<PetscObject>(dm)), &ts_));
  check_petsc(TSSetDM(ts_, dm));
  check_petsc(TSSetProblemType(ts_, TS_NONLINEAR));
  select_method(ts_, method);
  check_petsc(TSSetRHSFunction(ts_, nullptr, &PetscTsIntegrator::rhs_callback, this));
  if (imex_) {
    check_petsc(DMCreateGlobalVector(dm, &stiff_));
    check_petsc(TSSetIFunction(ts_, nullptr, &PetscTsIntegrator::ifunction_callback, this));
  }
  if (method.kind != Kind::explicit_method) use_matrix_free_newton(ts_);
  check_petsc(TSSetApplicationContext(ts_, this));
  check_petsc(TSSetPostStep(ts_, &PetscTsIntegrator::post_step_callback));
  check_petsc(TSSetTime(ts_, settings.t0));
  check_petsc(TSSetTimeStep(ts_, run_.next_step(settings.t0, settings.dt)));
  check_petsc(TSSetMaxTime(ts_, settings.t_end));
  check_petsc(TSSetMaxSteps(ts_, PETSC_MAX_INT));
  check_petsc(TSSetExactFinalTime(ts_, TS_EXACTFINALTIME_MATCHSTEP));
  check_petsc(TSSetTolerances(ts_, settings.atol, nullptr, settings.rtol, nullptr));
  TSAdapt adapt = nullptr;
  check_petsc(TSGetAdapt(ts_, &adapt));
  check_petsc(TSAdaptSetType(adapt, settings.adaptive ? TSADAPTBASIC : TSADAPTNONE));
  if (std::isfinite(run_.max_step())) check_petsc(TSAdaptSetStepLimits(adapt, PETSC_DEFAULT, run_.max_step()));
  check_petsc(TSSetFromOptions(ts_));
  const bool as_deck = unchanged_by_options(ts_, method);
  capture_first_stage_ = method.kind == Kind::explicit_method && as_deck;
  // Another method from the options: land on breaking points up to order 5 (what the
  // history supports), not the deck method's order; extra landings only cost steps.
  if (!as_deck) run_.set_breaking_order(5);
  if (wants_dense_midpoints(ts_)) {
    run_.use_midpoints();
    if (run_.wants_midpoints()) check_petsc(DMCreateGlobalVector(dm, &midpoint_));
  }
}

PetscTsIntegrator::~PetscTsIntegrator() {
  TSDestroy(&ts_);
  VecDestroy(&stiff_);
  VecDestroy(&midpoint_);
}

// Explicit methods get all of f; IMEX methods get the non-stiff part here. In the
// explicit tableaux of the table only the first stage sits at c = 0, at the accepted
// state, so an evaluation at the newest accepted time is f(t_n, u_n).
PetscErrorCode PetscTsIntegrator::rhs_callback(TS, PetscReal t, Vec u, Vec f, void* ctx) {
  auto* self = static_cast<PetscTsIntegrator*>(ctx);
  return self->run_.rhs(t, u, f, self->imex_ ? RhsPart::nonstiff : RhsPart::all, self->capture_first_stage_);
}

// IMEX implicit part: F(t, u, u') = u' - f_stiff(t, u).
PetscErrorCode PetscTsIntegrator::ifunction_callback(TS, PetscReal t, Vec u, Vec udot, Vec f, void* ctx) {
  PetscFunctionBeginUser;
  auto* self = static_cast<PetscTsIntegrator*>(ctx);
  PetscCall(self->run_.rhs(t, u, self->stiff_, RhsPart::stiff));
  PetscCall(VecWAXPY(f, -1.0, self->stiff_, udot));
  PetscFunctionReturn(0);
}

PetscErrorCode PetscTsIntegrator::post_step_callback(TS ts) {
  void* ctx = nullptr;
  PetscCall(TSGetApplicationContext(ts, &ctx));
  return static_cast<PetscTsIntegrator*>(ctx)->after_step();
}

PetscErrorCode PetscTsIntegrator::after_step() {
  PetscFunctionBeginUser;
  PetscReal t = 0, dt = 0;
  Vec u = nullptr;
  PetscCall(TSGetTime(ts_, &t));
  PetscCall(TSGetSolution(ts_, &u));
  // Within round-off of t_end is t_end (a landing on a breaking point merged with it):
  // TS would otherwise take a step below round-off to reach its maximum time exactly.
  if (run_.finished(t) && t != run_.settings().t_end) {
    t = run_.settings().t_end;
    PetscCall(TSSetTime(ts_, t));
    PetscCall(TSSetConvergedReason(ts_, TS_CONVERGED_TIME));
  }
  if (midpoint_) PetscCall(TSInterpolate(ts_, 0.5 * (run_.last_time() + t), midpoint_));
  PetscCall(run_.accept_in_callback(t, u, midpoint_));
  PetscCall(TSGetTimeStep(ts_, &dt));
  PetscCall(TSSetTimeStep(ts_, run_.next_step(t, dt)));
  PetscFunctionReturn(0);
}

RunStats PetscTsIntegrator::run(Vec u, std::span<StepObserver* const> observers) {
  run_.begin(u, observers);
  const PetscErrorCode ierr = TSSolve(ts_, u);
  run_.rethrow_if_failed();
  if (ierr == PETSC_ERR_FP) run_.throw_non_finite_step("PETSc: floating point exception in TSSolve");
  check_petsc(ierr, "TSSolve");
  PetscReal t = 0;
  PetscInt rejected = 0;
  check_petsc(TSGetTime(ts_, &t));
  check_petsc(TSGetStepRejections(ts_, &rejected));
  return run_.stats(t, rejected);
}

}  // namespace nf
