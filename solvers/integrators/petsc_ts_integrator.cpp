#include "solvers/integrators/petsc_ts_integrator.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "base/petsc_error.h"
#include "solvers/integrators/stiff_linear_solver.h"

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

const PetscMethod& find_method(const std::string& name, const SettingNames& names) {
  static const IntegratorBackend backend = petsc_ts_backend();
  const MethodInfo& info = method_info(backend, name, names);
  for (const auto& m : methods())
    if (m.info.name == info.name) return m;
  throw BadSettings("no PETSc method " + name, names.method);
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

std::string subtype_of(TS ts, const std::string& type) {
  const char* subtype = nullptr;
  if (type == TSRK) check_petsc(TSRKGetType(ts, &subtype));
  if (type == TSSSP) check_petsc(TSSSPGetType(ts, &subtype));
  if (type == TSARKIMEX) check_petsc(TSARKIMEXGetType(ts, &subtype));
  return subtype ? subtype : "";
}

std::string type_of(TS ts) {
  TSType type = nullptr;
  check_petsc(TSGetType(ts, &type));
  return type;
}

// The entry of the table that the TS runs (PETSc options -ts_type, -ts_rk_type,
// -ts_arkimex_type, -ts_ssp_type, -ts_bdf_order may have changed the deck's), or
// nullptr for a method outside the table.
const PetscMethod* method_running(TS ts) {
  const std::string type = type_of(ts);
  const std::string subtype = subtype_of(ts, type);
  PetscInt bdf_order = 0;
  if (type == TSBDF) check_petsc(TSBDFGetOrder(ts, &bdf_order));
  for (const auto& m : methods())
    if (type == m.type && subtype == (m.subtype ? m.subtype : "") && bdf_order == m.bdf_order) return &m;
  return nullptr;
}

bool has_embedded_estimate(TS ts) {
  if (type_of(ts) != TSRK) return true;
  PetscInt stages = 0, interp_order = 0;
  const PetscReal *a = nullptr, *b = nullptr, *c = nullptr, *b_embedded = nullptr, *b_interp = nullptr;
  PetscBool fsal = PETSC_FALSE;
  check_petsc(TSRKGetTableau(ts, &stages, &a, &b, &c, &b_embedded, &interp_order, &b_interp, &fsal));
  return b_embedded != nullptr;
}

bool is_fsal(TS ts) {
  if (type_of(ts) != TSRK) return false;
  PetscInt stages = 0, interp_order = 0;
  const PetscReal *a = nullptr, *b = nullptr, *c = nullptr, *b_embedded = nullptr, *b_interp = nullptr;
  PetscBool fsal = PETSC_FALSE;
  check_petsc(TSRKGetTableau(ts, &stages, &a, &b, &c, &b_embedded, &interp_order, &b_interp, &fsal));
  return fsal == PETSC_TRUE;
}

bool adapts(TS ts) {
  TSAdapt adapt = nullptr;
  TSAdaptType type = nullptr;
  check_petsc(TSGetAdapt(ts, &adapt));
  check_petsc(TSAdaptGetType(adapt, &type));
  return std::string(type) != TSADAPTNONE;
}

std::string names_of_kind(Kind kind) {
  std::vector<std::string> names;
  for (const auto& m : methods())
    if (m.kind == kind) names.push_back(m.info.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string kind_text(Kind kind, bool article) {
  switch (kind) {
    case Kind::explicit_method: return article ? "an explicit" : "explicit";
    case Kind::imex: return article ? "an IMEX" : "IMEX";
    case Kind::implicit: return article ? "an implicit" : "implicit";
  }
  return "?";
}

// The TS after TSSetFromOptions must still be a method this backend has set up: of
// the deck method's kind (an explicit method has no implicit function nor Newton
// solver; an IMEX one needs its split), with an error estimate if it adapts, and
// with the deck's step and end time (the history and the breaking points are
// built for those).
void check_options_kept_setup(TS ts, const PetscMethod& deck, const IntegratorSettings& s, double first_step) {
  const std::string type = type_of(ts);
  const PetscMethod* run = method_running(ts);
  const bool same_kind = run ? run->kind == deck.kind
                             : deck.kind == Kind::explicit_method && (type == TSRK || type == TSSSP);
  if (!same_kind)
    throw BadSettings(
        fmt::format("the PETSc options select TS type '{}'{}, which is not {} method like {} = {}: this "
                    "backend sets up the implicit function and the Newton solver from {} only. Choose the "
                    "method with {}{} (allowed with -ts_type: another {} method: {})",
                    type, run ? fmt::format(" ({} {})", s.names.method, run->info.name) : "",
                    kind_text(deck.kind, true), s.names.method, deck.info.name, s.names.method, s.names.method,
                    run ? fmt::format("={}", run->info.name) : "", kind_text(deck.kind, false),
                    names_of_kind(deck.kind)),
        kPetscOptionsKey);
  if (adapts(ts) && !has_embedded_estimate(ts)) {
    const bool from_deck = s.adaptive;
    throw BadSettings(
        fmt::format("{} = {} has no embedded error estimate, so adaptive steps ({} = true{}) are not "
                    "possible with {} petsc. Use fixed steps, or an embedded method: rk2, rk3bs, "
                    "rk5dp, arkimex2, arkimex3, arkimex4, bdf2",
                    run == &deck ? s.names.method : "the TS method", run ? run->info.name : subtype_of(ts, type),
                    s.names.adaptive, from_deck ? "" : ", or -ts_adapt_type", s.names.integrator),
        from_deck ? s.names.adaptive : kPetscOptionsKey);
  }
  PetscReal dt = 0, t_max = 0;
  check_petsc(TSGetTimeStep(ts, &dt));
  check_petsc(TSGetMaxTime(ts, &t_max));
  if (dt != first_step)
    throw BadSettings(fmt::format("the PETSc option -ts_dt {:g} sets the step, which {} owns: use {}={:g} instead",
                                  dt, s.names.dt, s.names.dt, dt),
                      kPetscOptionsKey);
  if (t_max != s.t_end)
    throw BadSettings(fmt::format("the PETSc option -ts_max_time {:g} sets the end time, which {} owns: use "
                                  "{}={:g} instead",
                                  t_max, s.names.t_end, s.names.t_end, t_max),
                      kPetscOptionsKey);
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

// The stiff part is linear and assembled (stiff_linear_solver.h). IMEX: the implicit
// function u' - L u has the Jacobian s I - L, and each stage is one linear solve.
// Fully implicit: matrix-free Newton on all of f (u' - f(u) has the Jacobian
// s I - f'(u)), preconditioned by s I - L, the Jacobian of the stiff part.
void PetscTsIntegrator::use_assembled_stiff_operator(bool imex, const IntegratorSettings& settings) {
  SNES snes = nullptr;
  KSP ksp = nullptr;
  check_petsc(TSGetSNES(ts_, &snes));
  check_petsc(MatDuplicate(stiff_l_, MAT_DO_NOT_COPY_VALUES, stiff_j_.out()));
  check_petsc(TSSetIJacobian(ts_, stiff_j_, stiff_j_, &PetscTsIntegrator::ijacobian_callback, this));
  check_petsc(SNESGetKSP(snes, &ksp));
  if (imex) {
    check_petsc(SNESSetType(snes, SNESKSPONLY));
    use_stiff_solver_defaults(ksp, run_.system().dm(),
                              settings.adaptive ? std::numeric_limits<double>::infinity()
                                                : stage_condition_bound(stiff_l_, settings.dt));
  } else {
    check_petsc(SNESSetUseMatrixFree(snes, PETSC_TRUE, PETSC_FALSE));
    check_petsc(KSPSetType(ksp, KSPGMRES));
    use_stiff_preconditioner_defaults(ksp, run_.system().dm());
  }
}

// L does not change, so s I - L is rebuilt only when s does (a new dt or a_ii): an
// untouched matrix keeps its multigrid setup. A matrix-free operator a (fully
// implicit methods) takes its new base point u on assembly.
PetscErrorCode PetscTsIntegrator::ijacobian_callback(TS, PetscReal, Vec, Vec, PetscReal shift, Mat a, Mat p,
                                                     void* ctx) {
  PetscFunctionBeginUser;
  auto* self = static_cast<PetscTsIntegrator*>(ctx);
  if (a != p) {
    PetscCall(MatAssemblyBegin(a, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(a, MAT_FINAL_ASSEMBLY));
  }
  if (same_shift(shift, self->stiff_shift_)) PetscFunctionReturn(0);
  PetscCall(shifted_stiff_operator(self->stiff_l_, shift, p));
  self->stiff_shift_ = shift;
  PetscFunctionReturn(0);
}

IntegratorBackend petsc_ts_backend() {
  IntegratorBackend b;
  b.name = "petsc";
  b.doc = "PETSc TS: explicit RK and SSP, IMEX ARK, BDF and theta methods; any TS option after --";
  for (const auto& m : methods()) {
    b.methods.push_back(m.info);
    b.methods.back().implicit_stiff = m.kind != Kind::explicit_method;
  }
  b.default_method = "rk4";
  // ARKODE's and CVODE's names.
  b.equivalents = {{"rk4z", "rk4"}, {"ark3", "arkimex3"}, {"ark4", "arkimex4"}, {"adams", "rk5dp"}, {"bdf", "bdf2"}};
  b.make = [](const DelaySystem& s, const IntegratorSettings& st) -> std::unique_ptr<Integrator> {
    return std::make_unique<PetscTsIntegrator>(s, st);
  };
  return b;
}

PetscTsIntegrator::PetscTsIntegrator(const DelaySystem& system, const IntegratorSettings& settings)
    : run_(system, settings, find_method(settings.method, settings.names).info.order) {
  const PetscMethod& method = find_method(settings.method, settings.names);
  imex_ = method.kind == Kind::imex;
  DM dm = system.dm();
  check_petsc(TSCreate(PetscObjectComm(reinterpret_cast<PetscObject>(dm)), ts_.out()));
  check_petsc(TSSetDM(ts_, dm));
  check_petsc(TSSetProblemType(ts_, TS_NONLINEAR));
  select_method(ts_, method);
  check_petsc(TSSetRHSFunction(ts_, nullptr, &PetscTsIntegrator::rhs_callback, this));
  if (imex_) {
    check_petsc(DMCreateGlobalVector(dm, stiff_.out()));
    check_petsc(TSSetIFunction(ts_, nullptr, &PetscTsIntegrator::ifunction_callback, this));
  }
  if (method.kind != Kind::explicit_method) {
    stiff_l_ = assemble_stiff_operator(system);
    if (stiff_l_) use_assembled_stiff_operator(method.kind == Kind::imex, settings);
    else use_matrix_free_newton(ts_);
  }
  check_petsc(TSSetApplicationContext(ts_, this));
  check_petsc(TSSetPostStep(ts_, &PetscTsIntegrator::post_step_callback));
  check_petsc(TSSetFunctionDomainError(ts_, &PetscTsIntegrator::domain_callback));
  check_petsc(TSSetTime(ts_, settings.t0));
  const double first_step = run_.next_step(settings.t0, settings.dt);
  check_petsc(TSSetTimeStep(ts_, first_step));
  check_petsc(TSSetMaxTime(ts_, settings.t_end));
  check_petsc(TSSetMaxSteps(ts_, PETSC_MAX_INT));
  check_petsc(TSSetExactFinalTime(ts_, TS_EXACTFINALTIME_MATCHSTEP));
  check_petsc(TSSetTolerances(ts_, settings.atol, nullptr, settings.rtol, nullptr));
  TSAdapt adapt = nullptr;
  check_petsc(TSGetAdapt(ts_, &adapt));
  check_petsc(TSAdaptSetType(adapt, settings.adaptive ? TSADAPTBASIC : TSADAPTNONE));
  if (std::isfinite(run_.max_step())) check_petsc(TSAdaptSetStepLimits(adapt, PETSC_DEFAULT, run_.max_step()));
  check_petsc_options(TSSetFromOptions(ts_), "TSSetFromOptions");
  check_options_kept_setup(ts_, method, settings, first_step);
  const PetscMethod* running = method_running(ts_);
  const bool as_deck = running == &method;
  capture_first_stage_ = method.kind == Kind::explicit_method && as_deck;
  // Another method from the options: land on breaking points up to order 5 (what the
  // history supports), not the deck method's order; extra landings only cost steps.
  if (!as_deck) run_.set_breaking_order(5);
  if (capture_first_stage_ && is_fsal(ts_)) check_petsc(DMCreateGlobalVector(dm, fsal_f_.out()));
  if (wants_dense_midpoints(ts_)) {
    run_.use_midpoints();
    if (run_.wants_midpoints()) check_petsc(DMCreateGlobalVector(dm, midpoint_.out()));
  }
}

// Explicit methods get all of f; IMEX methods get the non-stiff part here. In the
// explicit tableaux of the table only the first stage sits at c = 0, at the accepted
// state, so an evaluation at the newest accepted time is f(t_n, u_n).
PetscErrorCode PetscTsIntegrator::rhs_callback(TS, PetscReal t, Vec u, Vec f, void* ctx) {
  auto* self = static_cast<PetscTsIntegrator*>(ctx);
  const PetscErrorCode ierr =
      self->run_.rhs(t, u, f, self->imex_ ? RhsPart::nonstiff : RhsPart::all, self->capture_first_stage_);
  if (ierr == kRhsOutsideDomain) return self->mark_outside_domain(f);
  if (ierr || !self->fsal_f_) return ierr;
  return self->keep_fsal_stage(t, f);
}

// An FSAL tableau's last stage sits at c = 1 with the stage value u_{n+1}: its f is
// f(t_{n+1}, u_{n+1}), which PETSc reuses as the next first stage and never
// evaluates again, so it is kept for the history (after_step). Other stages may sit
// at c = 1 too (Dormand-Prince's sixth), and PETSc's c of the last one may differ
// from 1 by round-off: the last evaluation of the step at t_n + h wins.
PetscErrorCode PetscTsIntegrator::keep_fsal_stage(double t, Vec f) {
  PetscFunctionBeginUser;
  PetscReal tn = 0, h = 0;
  PetscCall(TSGetTime(ts_, &tn));
  PetscCall(TSGetTimeStep(ts_, &h));
  const double round_off = 64 * std::numeric_limits<double>::epsilon() * (std::abs(tn) + h);
  if (std::abs(t - (tn + h)) <= round_off && t > run_.last_time()) {
    PetscCall(VecCopy(f, fsal_f_));
    fsal_time_ = tn + h;  // the time TS gives the accepted step
  }
  PetscFunctionReturn(0);
}

// A stage left the model's domain: f is set to zero (harmless to the step, which is
// rejected) and the step is rejected at the next stage check (TSSetFunctionDomainError)
// or, for the last stage, rolled back after it (after_step).
PetscErrorCode PetscTsIntegrator::mark_outside_domain(Vec f) {
  PetscFunctionBeginUser;
  outside_domain_ = true;
  PetscCall(VecZeroEntries(f));
  PetscFunctionReturn(0);
}

PetscErrorCode PetscTsIntegrator::domain_callback(TS ts, PetscReal, Vec, PetscBool* accept) {
  void* ctx = nullptr;
  PetscCall(TSGetApplicationContext(ts, &ctx));
  auto* self = static_cast<PetscTsIntegrator*>(ctx);
  *accept = self->outside_domain_ ? PETSC_FALSE : PETSC_TRUE;
  self->outside_domain_ = false;
  return 0;
}

// The step's last stage left the domain after the last stage check: undo the step
// and retry it at a quarter of its length (PETSc's factor for a rejected stage).
PetscErrorCode PetscTsIntegrator::retry_outside_domain() {
  PetscFunctionBeginUser;
  outside_domain_ = false;
  PetscCall(TSRollBack(ts_));
  PetscCall(TSSetConvergedReason(ts_, TS_CONVERGED_ITERATING));
  PetscReal dt = 0;
  PetscCall(TSGetTimeStep(ts_, &dt));
  PetscCall(TSSetTimeStep(ts_, 0.25 * dt));
  ++domain_retries_;
  PetscFunctionReturn(0);
}

// IMEX implicit part: F(t, u, u') = u' - f_stiff(t, u).
PetscErrorCode PetscTsIntegrator::ifunction_callback(TS, PetscReal t, Vec u, Vec udot, Vec f, void* ctx) {
  PetscFunctionBeginUser;
  auto* self = static_cast<PetscTsIntegrator*>(ctx);
  const PetscErrorCode ierr = self->run_.rhs(t, u, self->stiff_, RhsPart::stiff);
  if (ierr == kRhsOutsideDomain) PetscCall(self->mark_outside_domain(self->stiff_));
  else PetscCall(ierr);
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
  if (outside_domain_) {
    PetscCall(retry_outside_domain());
    PetscFunctionReturn(0);
  }
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
  if (fsal_f_ && fsal_time_ == t)
    PetscCall(callback_guard(run_.saved(), [&] {
      run_.supply_newest_derivative(t, fsal_f_);
      return PetscErrorCode(0);
    }));
  PetscCall(TSGetTimeStep(ts_, &dt));
  PetscCall(TSSetTimeStep(ts_, run_.next_step(t, dt)));
  PetscFunctionReturn(0);
}

MethodDescription PetscTsIntegrator::describe() const {
  MethodDescription d;
  d.backend = "petsc";
  const std::string type = type_of(ts_);
  const std::string subtype = subtype_of(ts_, type);
  const PetscMethod* m = method_running(ts_);
  d.method = m ? m->info.name : "";
  d.library = fmt::format("TS {}{}", type, subtype.empty() ? "" : " " + subtype);
  if (type == TSBDF) {
    PetscInt q = 0;
    check_petsc(TSBDFGetOrder(ts_, &q));
    d.library += fmt::format(" order {}", q);
  }
  d.order = m ? m->info.order : 0;
  if (type == TSRK) {
    PetscInt q = 0;
    check_petsc(TSRKGetOrder(ts_, &q));
    d.order = static_cast<int>(q);
  }
  d.adaptive = adapts(ts_);
  return d;
}

RunStats PetscTsIntegrator::run(Vec u, std::span<StepObserver* const> observers, const RunCheckpoints& checkpoints) {
  run_.set_step_size_source([this] {
    PetscReal dt = 0;
    check_petsc(TSGetTimeStep(ts_, &dt));
    return static_cast<double>(dt);
  });
  run_.begin(u, observers, checkpoints);
  if (run_.resumed()) {
    // The step TS had chosen after the checkpointed step, cut as after_step() cuts it.
    const double t = run_.last_time();
    check_petsc(TSSetTime(ts_, t));
    check_petsc(TSSetStepNumber(ts_, run_.steps()));
    if (run_.resumed_step() > 0) check_petsc(TSSetTimeStep(ts_, run_.next_step(t, run_.resumed_step())));
  }
  const PetscErrorCode ierr = TSSolve(ts_, u);
  run_.rethrow_if_failed();
  if (ierr == PETSC_ERR_FP) run_.throw_non_finite_step("PETSc: floating point exception in TSSolve");
  check_petsc(ierr, "TSSolve");
  PetscReal t = 0;
  PetscInt rejected = 0;
  check_petsc(TSGetTime(ts_, &t));
  check_petsc(TSGetStepRejections(ts_, &rejected));
  RunStats stats = run_.stats(t, rejected + domain_retries_);
  TSConvergedReason reason = TS_CONVERGED_ITERATING;
  check_petsc(TSGetConvergedReason(ts_, &reason));
  if (reason != TS_CONVERGED_TIME) {
    PetscInt max_steps = 0;
    check_petsc(TSGetMaxSteps(ts_, &max_steps));
    stats.stopped_early = reason == TS_CONVERGED_ITS
                              ? fmt::format("PETSc TS stopped after its step limit of {} (-ts_max_steps)", max_steps)
                              : fmt::format("PETSc TS stopped: {}", TSConvergedReasons[reason]);
  }
  return stats;
}

}  // namespace nf
