#include "solvers/integrators/arkode_integrator.h"

#include <arkode/arkode_arkstep.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "base/petsc_error.h"
#include "solvers/integrators/petsc_ksp_linear_solver.h"

namespace nf {
namespace {

constexpr const char* kBackend = "arkode";

enum class Kind {
  explicit_embedded,  // an ARKODE ERK table with an embedding: fixed or adaptive steps
  explicit_plain,     // a table built here without an embedding: fixed steps only
  imex,               // an ARKODE ARK pair: explicit non-stiff part, implicit stiff part
};

struct ArkMethod {
  MethodInfo info;
  Kind kind;
  ARKODE_ERKTableID erk = ARKODE_ERK_NONE;
  ARKODE_DIRKTableID dirk = ARKODE_DIRK_NONE;
  ARKodeButcherTable (*plain)() = nullptr;
};

// Forward Euler: c = (0), b = (1).
ARKodeButcherTable euler_table() {
  sunrealtype c[] = {0}, A[] = {0}, b[] = {1};
  return ARKodeButcherTable_Create(1, 1, 0, c, A, b, nullptr);
}

// Kutta's third-order method (Hairer, Norsett & Wanner, Solving ODEs I, Table II.1.1):
// c = (0, 1/2, 1), a21 = 1/2, a31 = -1, a32 = 2, b = (1/6, 2/3, 1/6).
ARKodeButcherTable kutta3_table() {
  sunrealtype c[] = {0, 0.5, 1};
  sunrealtype A[] = {0, 0, 0, 0.5, 0, 0, -1, 2, 0};
  sunrealtype b[] = {1.0 / 6, 2.0 / 3, 1.0 / 6};
  return ARKodeButcherTable_Create(3, 3, 0, c, A, b, nullptr);
}

// The classical fourth-order method: c = (0, 1/2, 1/2, 1), b = (1/6, 1/3, 1/3, 1/6).
ARKodeButcherTable rk4_table() {
  sunrealtype c[] = {0, 0.5, 0.5, 1};
  sunrealtype A[] = {0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 1, 0};
  sunrealtype b[] = {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6};
  return ARKodeButcherTable_Create(4, 4, 0, c, A, b, nullptr);
}

const std::vector<ArkMethod>& methods() {
  static const std::vector<ArkMethod> table = {
      {{"euler", 1, "forward Euler; fixed steps only"}, Kind::explicit_plain, ARKODE_ERK_NONE, ARKODE_DIRK_NONE,
       &euler_table},
      {{"rk2", 2, "Heun's method with Euler embedded (HEUN_EULER_2_1_2): adaptive"}, Kind::explicit_embedded,
       ARKODE_HEUN_EULER_2_1_2},
      {{"rk3", 3, "Kutta's third-order method; fixed steps only"}, Kind::explicit_plain, ARKODE_ERK_NONE,
       ARKODE_DIRK_NONE, &kutta3_table},
      {{"rk3bs", 3, "Bogacki-Shampine 3(2) (BOGACKI_SHAMPINE_4_2_3): adaptive"}, Kind::explicit_embedded,
       ARKODE_BOGACKI_SHAMPINE_4_2_3},
      {{"rk4", 4, "classical fourth-order Runge-Kutta; fixed steps only"}, Kind::explicit_plain, ARKODE_ERK_NONE,
       ARKODE_DIRK_NONE, &rk4_table},
      {{"rk4z", 4, "Zonneveld 4(3) (ZONNEVELD_5_3_4): adaptive"}, Kind::explicit_embedded, ARKODE_ZONNEVELD_5_3_4},
      {{"rk5dp", 5, "Dormand-Prince 5(4) (DORMAND_PRINCE_7_4_5): adaptive; ARKODE's dense output gives the "
                    "history's quartic"},
       Kind::explicit_embedded, ARKODE_DORMAND_PRINCE_7_4_5},
      {{"ark3", 3, "IMEX ARK 3(2) (ARK324L2SA, Kennedy-Carpenter), stiff part implicit"}, Kind::imex,
       ARKODE_ARK324L2SA_ERK_4_2_3, ARKODE_ARK324L2SA_DIRK_4_2_3},
      {{"arkimex3", 3, "the same as ark3 (the PETSc backend's name)"}, Kind::imex, ARKODE_ARK324L2SA_ERK_4_2_3,
       ARKODE_ARK324L2SA_DIRK_4_2_3},
      {{"ark4", 4, "IMEX ARK 4(3) (ARK436L2SA, Kennedy-Carpenter), stiff part implicit"}, Kind::imex,
       ARKODE_ARK436L2SA_ERK_6_3_4, ARKODE_ARK436L2SA_DIRK_6_3_4},
  };
  return table;
}

std::vector<ParamSpec> option_specs() {
  return {
      integer_param("max_krylov", 30, 1, 1000,
                    "Krylov dimension (restart length) of the matrix-free GMRES of implicit stages, restarted up "
                    "to 5 times (SPGMR maxl; IMEX methods)"),
      integer_param("max_nonlinear_iterations", 3, 1, 100,
                    "Newton iterations per implicit stage before the step fails (IMEX methods)"),
      real_param("linear_tolerance_factor", "1", 0.05, 0, 1,
                 "GMRES tolerance as a fraction of the Newton tolerance (SUNDIALS eplifac; IMEX methods)", true),
      integer_param("predictor", 0, 0, 3,
                    "initial guess of implicit stages: 0 previous stage, 1 maximum-order, 2 variable-order, "
                    "3 cutoff-order interpolant (ARKStepSetPredictorMethod; IMEX methods)"),
  };
}

const ArkMethod& find_method(const IntegratorSettings& s) {
  static const IntegratorBackend backend = arkode_backend();
  const MethodInfo& info = method_info(backend, s.method, s.names);
  for (const auto& m : methods()) {
    if (m.info.name != info.name) continue;
    if (m.kind == Kind::explicit_plain && s.adaptive)
      throw BadSettings(fmt::format("{} = {} ({}) has no embedded error estimate, so {} = true is not possible "
                                    "with {} arkode. Use fixed steps, or an embedded method: rk2, rk3bs, rk4z, "
                                    "rk5dp, ark3, ark4",
                                    s.names.method, m.info.name, m.info.doc, s.names.adaptive, s.names.integrator),
                        s.names.adaptive);
    return m;
  }
  throw BadSettings("no ARKODE method " + s.method, s.names.method);
}

MPI_Comm comm_of(const DelaySystem& system) { return PetscObjectComm(reinterpret_cast<PetscObject>(system.dm())); }

}  // namespace

IntegratorBackend arkode_backend() {
  IntegratorBackend b;
  b.name = kBackend;
  b.doc = "SUNDIALS ARKODE (ARKStep): explicit RK tables and IMEX ARK pairs (stiff part by Newton with matrix-free "
          "GMRES); fixed steps on the t0 + k dt grid or adaptive (rtol, atol); steps land on breaking points";
  for (const auto& m : methods()) {
    b.methods.push_back(m.info);
    b.methods.back().implicit_stiff = m.kind == Kind::imex;
  }
  b.default_method = "rk4";
  // PETSc's and CVODE's names: the same order where ARKODE has it; implicit methods
  // become the IMEX pair (the stiff part implicit), the nearest ARKStep offers here.
  b.equivalents = {{"ssp3", "rk3bs"}, {"arkimex2", "ark3"}, {"arkimex4", "ark4"}, {"beuler", "ark3"},
                   {"cn", "ark3"},   {"bdf2", "ark3"},     {"adams", "rk5dp"},   {"bdf", "ark3"}};
  b.options = option_specs();
  b.make = [](const DelaySystem& s, const IntegratorSettings& st) -> std::unique_ptr<Integrator> {
    return std::make_unique<ArkodeIntegrator>(s, st);
  };
  return b;
}

ArkodeIntegrator::ArkodeIntegrator(const DelaySystem& system, const IntegratorSettings& settings)
    : run_(system, settings, find_method(settings).info.order),
      imex_(find_method(settings).kind == Kind::imex),
      ctx_(comm_of(system)),
      stiff_(imex_ ? SundialsStiffPreconditioner(system) : SundialsStiffPreconditioner()) {
  OwnedVec layout;
  check_petsc(DMCreateGlobalVector(system.dm(), layout.out()));
  PetscNVector y(layout, ctx_.get());
  mem_ = OwnedArkodeMemory(check_sundials_ptr(
      ARKStepCreate(&ArkodeIntegrator::explicit_rhs, imex_ ? &ArkodeIntegrator::implicit_rhs : nullptr, settings.t0,
                    y.get(), ctx_.get()),
      "ARKStepCreate"));
  configure(y.get());
  // Adaptive runs can retry a step whose stage left the model's domain: from a copy
  // of the last accepted state.
  if (settings.adaptive) check_petsc(VecDuplicate(layout, accepted_.out()));
}

void ArkodeIntegrator::call(int flag, const char* routine) { check_sundials(flag, routine, log_.take()); }

void ArkodeIntegrator::configure(N_Vector y) {
  const IntegratorSettings& s = run_.settings();
  const ArkMethod& m = find_method(s);
  call(ARKStepSetErrHandlerFn(mem_, &SundialsErrorLog::handler, &log_), "ARKStepSetErrHandlerFn");
  call(ARKStepSetUserData(mem_, this), "ARKStepSetUserData");
  call(ARKStepSStolerances(mem_, s.rtol, s.atol), "ARKStepSStolerances");
  call(ARKStepSetMaxNumSteps(mem_, 1000000), "ARKStepSetMaxNumSteps");
  // A fixed step is set before every step (see run()); this one marks the mode.
  if (!s.adaptive) call(ARKStepSetFixedStep(mem_, run_.next_step(s.t0, s.dt)), "ARKStepSetFixedStep");
  if (m.kind == Kind::explicit_plain) {
    ARKodeButcherTable table = check_sundials_ptr(m.plain(), "ARKodeButcherTable_Create");
    const int flag = ARKStepSetTables(mem_, m.info.order, 0, nullptr, table);
    ARKodeButcherTable_Free(table);
    call(flag, "ARKStepSetTables");
  } else {
    call(ARKStepSetTableNum(mem_, m.dirk, m.erk), "ARKStepSetTableNum");
  }
  if (s.adaptive) {
    if (std::isfinite(run_.max_step())) call(ARKStepSetMaxStep(mem_, run_.max_step()), "ARKStepSetMaxStep");
    call(ARKStepSetInitStep(mem_, std::min(s.dt, run_.max_step())), "ARKStepSetInitStep");
  }
  if (imex_) configure_newton(y);
  if (m.info.order >= 5) use_dense_midpoints();
  // Methods of order >= 4 give the history f at each step's start from the
  // interpolant's derivative: ARKODE's Hermite interpolant has degree q - 1 >= 3
  // there, and matches f at both ends. Lower orders cap the degree below 3, so the
  // history evaluates f itself (one right-hand side per step more). So does a table
  // whose last stage sits at c = 1 without being the step's result (classical rk4:
  // c_4 = 1, a_4j != b_j): ARKStep takes that stage, f(t_n+1, Y_4), as the end value
  // of its interpolant, which is not f(t_n+1, u_n+1) (the order test with an
  // inconsistent history fails with it: 4.77, 3.21).
  if (m.info.order >= 4 && interpolant_end_is_f()) derivative_.allocate(run_.system().dm(), ctx_.get());
}

// Whether ARKStep's interpolant ends on f(t_n+1, u_n+1): the explicit table's last
// stage is not at c = 1, or it is and equals the step's result (first same as last).
bool ArkodeIntegrator::interpolant_end_is_f() const {
  ARKodeButcherTable implicit_table = nullptr, explicit_table = nullptr;
  check_sundials(ARKStepGetCurrentButcherTables(mem_, &implicit_table, &explicit_table),
                 "ARKStepGetCurrentButcherTables");
  const ARKodeButcherTable t = explicit_table ? explicit_table : implicit_table;
  const int s = t->stages;
  if (t->c[s - 1] != 1.0) return true;
  for (int j = 0; j < s; ++j)
    if (t->A[s - 1][j] != t->b[j]) return false;
  return true;
}

// Methods of order 5 need the quartic history (see History): ARKODE's Hermite dense
// output of degree 4 supplies each step's midpoint.
void ArkodeIntegrator::use_dense_midpoints() {
  run_.use_midpoints();
  if (!run_.wants_midpoints()) return;
  call(ARKStepSetInterpolantDegree(mem_, 4), "ARKStepSetInterpolantDegree");
  midpoint_.allocate(run_.system().dm(), ctx_.get());
}

// Implicit stages: Newton (ARKODE's default nonlinear solver) with matrix-free GMRES
// and ARKODE's difference-quotient J*v; no preconditioner. With an assembled linear
// stiff part: configure_stiff_solve.
void ArkodeIntegrator::configure_newton(N_Vector y) {
  const IntegratorSettings& s = run_.settings();
  const auto specs = option_specs();
  const int maxl = static_cast<int>(option_integer(s, specs, kBackend, "max_krylov"));
  if (stiff_) {
    ls_ = make_petsc_ksp_linear_solver(N_VGetVector_Petsc(y), ctx_.get(), "arkode_", maxl, maxl * (1 + kGmresRestarts),
                                       stiff_.preconditioning());
    configure_stiff_solve(y);
  } else {
    ls_ = make_sundials_gmres(y, maxl, ctx_.get());
    call(ARKStepSetLinearSolver(mem_, ls_, nullptr), "ARKStepSetLinearSolver");
  }
  call(ARKStepSetMaxNonlinIters(mem_, static_cast<int>(option_integer(s, specs, kBackend, "max_nonlinear_iterations"))),
       "ARKStepSetMaxNonlinIters");
  call(ARKStepSetEpsLin(mem_, option_real(s, specs, kBackend, "linear_tolerance_factor")), "ARKStepSetEpsLin");
  call(ARKStepSetPredictorMethod(mem_, static_cast<int>(option_integer(s, specs, kBackend, "predictor"))),
       "ARKStepSetPredictorMethod");
}

// Explicit methods get all of f; IMEX methods get the non-stiff part (with every
// delayed term) here. 0 on success, 1 (recoverable: ARKODE retries a shorter step)
// outside the model's domain, -1 (unrecoverable) on failure: the cause is kept by
// DelayRun and rethrown after ARKStepEvolve returns.
int ArkodeIntegrator::explicit_rhs(double t, N_Vector y, N_Vector f, void* self) {
  auto* me = static_cast<ArkodeIntegrator*>(self);
  const RhsPart part = me->imex_ ? RhsPart::nonstiff : RhsPart::all;
  return sundials_rhs_flag(me->run_.rhs(t, N_VGetVector_Petsc(y), N_VGetVector_Petsc(f), part));
}

// f_stiff = L u: linear and time-independent, so each stage is one linear solve
// with J v = L v, preconditioned by P = I - gamma L.
void ArkodeIntegrator::configure_stiff_solve(N_Vector) {
  call(ARKStepSetLinearSolver(mem_, ls_, nullptr), "ARKStepSetLinearSolver");
  call(ARKStepSetLinear(mem_, 0), "ARKStepSetLinear");
  call(ARKStepSetJacTimes(mem_, nullptr, &ArkodeIntegrator::stiff_times), "ARKStepSetJacTimes");
  call(ARKStepSetPreconditioner(mem_, &ArkodeIntegrator::stiff_setup, nullptr), "ARKStepSetPreconditioner");
}

int ArkodeIntegrator::stiff_setup(double, N_Vector, N_Vector, int, int* jcur, double gamma, void* self) {
  *jcur = 1;
  return static_cast<ArkodeIntegrator*>(self)->stiff_.setup(gamma);
}

int ArkodeIntegrator::stiff_times(N_Vector v, N_Vector jv, double, N_Vector, N_Vector, void* self, N_Vector) {
  return static_cast<ArkodeIntegrator*>(self)->stiff_.apply(v, jv);
}

int ArkodeIntegrator::implicit_rhs(double t, N_Vector y, N_Vector f, void* self) {
  auto* me = static_cast<ArkodeIntegrator*>(self);
  return sundials_rhs_flag(me->run_.rhs(t, N_VGetVector_Petsc(y), N_VGetVector_Petsc(f), RhsPart::stiff));
}

MethodDescription ArkodeIntegrator::describe() const {
  MethodDescription d;
  d.backend = kBackend;
  d.method = find_method(run_.settings()).info.name;
  ARKodeButcherTable implicit_table = nullptr, explicit_table = nullptr;
  check_sundials(ARKStepGetCurrentButcherTables(mem_, &implicit_table, &explicit_table),
                 "ARKStepGetCurrentButcherTables");
  const ARKodeButcherTable table = explicit_table ? explicit_table : implicit_table;
  if (!table) throw std::logic_error("ARKODE holds no Butcher table after construction");
  d.order = table->q;
  d.library = fmt::format("ARKStep {}, {} stages, order {}{}", implicit_table ? "ARK pair" : "ERK table",
                          table->stages, table->q, table->d ? fmt::format(", embedded order {}", table->p) : "");
  d.adaptive = run_.settings().adaptive;
  return d;
}

// An explicit stage left the model's domain (the right-hand side returned 1):
// ARKStep cannot retry an explicit stage itself (ARK_UNREC_RHSFUNC_ERR), so the step
// is retried here from the last accepted state (t, accepted_), at a quarter of its
// length.
void ArkodeIntegrator::retry_outside_domain(double t, N_Vector y) {
  constexpr int kMaxRetries = 40;  // 4^-40: far below any step's round-off
  if (++consecutive_retries_ > kMaxRetries)
    check_sundials(ARK_UNREC_RHSFUNC_ERR, "ARKStepEvolve",
                   log_.take() + fmt::format(" The state left the model's domain after t = {:g} s in {} retries with "
                                             "ever shorter steps.",
                                             t, kMaxRetries));
  log_.take();
  sunrealtype h = 0;
  call(ARKStepGetCurrentStep(mem_, &h), "ARKStepGetCurrentStep");
  check_petsc(VecCopy(accepted_, N_VGetVector_Petsc(y)));
  call(ARKStepSetInitStep(mem_, 0.25 * h), "ARKStepSetInitStep");
  call(ARKStepReset(mem_, t, y), "ARKStepReset");
  ++domain_retries_;
}

RunStats ArkodeIntegrator::run(Vec u, std::span<StepObserver* const> observers, const RunCheckpoints& checkpoints) {
  const IntegratorSettings& s = run_.settings();
  run_.set_step_size_source([this] {
    sunrealtype h = 0;
    call(ARKStepGetCurrentStep(mem_, &h), "ARKStepGetCurrentStep");
    return static_cast<double>(h);
  });
  run_.begin(u, observers, checkpoints);
  PetscNVector y(u, ctx_.get());
  double t = run_.last_time();
  // Resumed: the step ARKODE would have attempted next, without the error history of
  // its controller (which a restart does not keep).
  if (run_.resumed() && s.adaptive && run_.resumed_step() > 0)
    call(ARKStepSetInitStep(mem_, run_.resumed_step()), "ARKStepSetInitStep");
  call(ARKStepReset(mem_, t, y.get()), "ARKStepReset");
  if (accepted_) check_petsc(VecCopy(u, accepted_));
  while (!run_.finished(t)) {
    const double stop = run_.next_stop(t);
    // Adaptive steps are cut to land on `stop`. Fixed ones are chosen to land there,
    // and get no stop time: ARKODE returns its dense output at a stop time, whose
    // degree is q - 1 (for forward Euler the state before the step).
    if (s.adaptive) call(ARKStepSetStopTime(mem_, stop), "ARKStepSetStopTime");
    else call(ARKStepSetFixedStep(mem_, run_.next_step(t, s.dt)), "ARKStepSetFixedStep");
    sunrealtype reached = t;
    const int flag = ARKStepEvolve(mem_, stop, y.get(), &reached, ARK_ONE_STEP);
    run_.rethrow_if_failed();
    if (flag == ARK_UNREC_RHSFUNC_ERR && s.adaptive) {
      retry_outside_domain(t, y.get());
      continue;
    }
    if (flag == ARK_CONV_FAILURE && !s.adaptive)
      check_sundials(flag, "ARKStepEvolve",
                     log_.take() +
                         fmt::format(" With fixed steps ARKODE cannot shorten a step whose Newton iteration fails: "
                                     "raise {} (GMRES is unpreconditioned) or {}, halve {}, or set {} = true",
                                     s.names.option("max_krylov"), s.names.option("max_nonlinear_iterations"),
                                     s.names.dt, s.names.adaptive));
    call(flag, "ARKStepEvolve");
    if (midpoint_.vec())
      call(ARKStepGetDky(mem_, 0.5 * (t + reached), 0, midpoint_.nvector()), "ARKStepGetDky");
    run_.rethrow_if_failed();
    // f(t, y(t)) at the step's start, for the history: the derivative of ARKODE's
    // Hermite interpolant there, which matches f at both ends from degree 3 on.
    if (derivative_.vec()) {
      call(ARKStepGetDky(mem_, t, 1, derivative_.nvector()), "ARKStepGetDky");
      run_.supply_newest_derivative(t, derivative_.vec());
    }
    t = reached;
    consecutive_retries_ = 0;
    run_.accept(t, u, midpoint_.vec());
    if (accepted_) check_petsc(VecCopy(u, accepted_));
  }
  long attempts = 0, steps = 0;
  call(ARKStepGetNumStepAttempts(mem_, &attempts), "ARKStepGetNumStepAttempts");
  call(ARKStepGetNumSteps(mem_, &steps), "ARKStepGetNumSteps");
  return run_.stats(t, static_cast<PetscInt>(attempts - steps) + domain_retries_);
}

}  // namespace nf
