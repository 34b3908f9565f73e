#include "solvers/integrators/cvode_integrator.h"

#include <cvode/cvode.h>
#include <cvode/cvode_ls.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "base/time_tolerance.h"
#include "solvers/integrators/petsc_ksp_linear_solver.h"
#include "base/petsc_error.h"

namespace nf {
namespace {

constexpr const char* kBackend = "cvode";

struct CvodeMethod {
  MethodInfo info;  // order: the highest order of the variable-order family
  int lmm;          // CV_ADAMS or CV_BDF
};

const std::vector<CvodeMethod>& methods() {
  static const std::vector<CvodeMethod> table = {
      {{"adams", 12, "Adams-Moulton, variable order 1-12 and step, Newton iteration: non-stiff problems"},
       CV_ADAMS},
      {{"bdf", 5, "BDF, variable order 1-5 and step, Newton iteration: stiff problems"}, CV_BDF},
  };
  return table;
}

std::vector<ParamSpec> option_specs() {
  return {
      choice_param("linear_solver", {"auto", "gmres", "petsc"}, "auto",
                   "Newton systems: gmres = SUNDIALS GMRES, matrix-free; petsc = a PETSc KSP on the same "
                   "matrix-free operator, with options -cvode_ksp_type, -cvode_pc_type, ... (default GMRES, "
                   "preconditioned by I - gamma L with the model's assembled diffusion L, else no PC); "
                   "auto = petsc with a diffusion, gmres without"),
      integer_param("max_order", 0, 0, 12, "highest order used (0: the method's, 12 for adams and 5 for bdf)"),
      integer_param("max_krylov", 30, 1, 1000,
                    "GMRES Krylov dimension (restart length); a linear solve stops after 6 restarts of it "
                    "(gmres and petsc; -cvode_ksp_max_it overrides the petsc limit)"),
  };
}

const CvodeMethod& find_method(const std::string& name, const SettingNames& names) {
  static const IntegratorBackend backend = cvode_backend();
  const MethodInfo& info = method_info(backend, name, names);
  for (const auto& m : methods())
    if (m.info.name == info.name) return m;
  throw BadSettings("no CVODE method " + name, names.method);
}

int effective_max_order(const IntegratorSettings& s) {
  const CvodeMethod& m = find_method(s.method, s.names);
  const long q = option_integer(s, option_specs(), kBackend, "max_order");
  if (q == 0) return m.info.order;
  if (q > m.info.order)
    throw BadSettings(fmt::format("{} = {} is above the highest order of {} {} ({}); allowed: 1 to {}, or 0 for {}",
                                  s.names.option("max_order"), q, s.names.method, m.info.name, m.info.order,
                                  m.info.order, m.info.order),
                      s.names.option("max_order"));
  return static_cast<int>(q);
}

// Breaking points are tracked for derivatives up to this order (Adams reaches 12):
// the quartic Hermite history caps the delay order at 5 anyway, and the count of
// points grows combinatorially with the order when there are several lags.
constexpr int kMaxBreakingOrder = 5;

// CVODE always adapts its steps: dt is only the first one, so a dt longer than
// a lag is no error here.
IntegratorSettings as_adaptive(IntegratorSettings s) {
  s.adaptive = true;
  return s;
}

MPI_Comm comm_of(const DelaySystem& system) { return PetscObjectComm(reinterpret_cast<PetscObject>(system.dm())); }

}  // namespace

IntegratorBackend cvode_backend() {
  IntegratorBackend b;
  b.name = kBackend;
  b.doc = "SUNDIALS CVODE: variable-order Adams and BDF with Newton-Krylov (SUNDIALS GMRES or a PETSc KSP); "
          "always adaptive (rtol, atol; dt is the first step, adaptive is ignored); "
          "restarts at breaking points";
  for (const auto& m : methods()) {
    b.methods.push_back(m.info);
    b.methods.back().implicit_stiff = true;
  }
  b.default_method = "adams";
  // PETSc's and ARKODE's names: explicit methods become the non-stiff family (Adams),
  // implicit and IMEX ones the stiff family (BDF).
  for (const char* name : {"euler", "rk2", "rk3", "rk3bs", "rk4", "rk4z", "rk5dp", "ssp3"})
    b.equivalents.push_back({name, "adams"});
  for (const char* name : {"beuler", "cn", "bdf2", "arkimex2", "arkimex3", "arkimex4", "ark3", "ark4"})
    b.equivalents.push_back({name, "bdf"});
  b.options = option_specs();
  b.make = [](const DelaySystem& s, const IntegratorSettings& st) -> std::unique_ptr<Integrator> {
    return std::make_unique<CvodeIntegrator>(s, st);
  };
  return b;
}

CvodeIntegrator::CvodeIntegrator(const DelaySystem& system, const IntegratorSettings& settings)
    : max_order_(effective_max_order(settings)),
      run_(system, as_adaptive(settings), std::min(max_order_, kMaxBreakingOrder)),
      ctx_(comm_of(system)) {
  OwnedVec layout;
  check_petsc(DMCreateGlobalVector(system.dm(), layout.out()));
  PetscNVector y(layout, ctx_.get());
  mem_ = OwnedCvodeMemory(check_sundials_ptr(CVodeCreate(find_method(settings.method, settings.names).lmm, ctx_.get()), "CVodeCreate"));
  configure(layout, y.get());
}

KSP CvodeIntegrator::ksp() const { return petsc_ls_ ? petsc_ksp_of(ls_) : nullptr; }

void CvodeIntegrator::call(int flag, const char* routine) { check_sundials(flag, routine, log_.take()); }

void CvodeIntegrator::configure(Vec layout, N_Vector y) {
  const IntegratorSettings& s = run_.settings();
  const auto specs = option_specs();
  call(CVodeSetErrHandlerFn(mem_, &SundialsErrorLog::handler, &log_), "CVodeSetErrHandlerFn");
  call(CVodeInit(mem_, &CvodeIntegrator::rhs_callback, s.t0, y), "CVodeInit");
  call(CVodeSetUserData(mem_, this), "CVodeSetUserData");
  call(CVodeSStolerances(mem_, s.rtol, s.atol), "CVodeSStolerances");
  call(CVodeSetMaxOrd(mem_, max_order_), "CVodeSetMaxOrd");
  if (std::isfinite(run_.max_step())) call(CVodeSetMaxStep(mem_, run_.max_step()), "CVodeSetMaxStep");
  call(CVodeSetInitStep(mem_, std::min(s.dt, run_.max_step())), "CVodeSetInitStep");
  call(CVodeSetMaxNumSteps(mem_, 1000000), "CVodeSetMaxNumSteps");
  const int krylov = static_cast<int>(option_integer(s, specs, kBackend, "max_krylov"));
  const std::string choice = option_choice(s, specs, kBackend, "linear_solver");
  if (choice != "gmres") stiff_ = SundialsStiffPreconditioner(run_.system());
  petsc_ls_ = choice == "petsc" || (choice == "auto" && stiff_);
  if (petsc_ls_)
    ls_ = make_petsc_ksp_linear_solver(layout, ctx_.get(), "cvode_", krylov, krylov * (1 + kGmresRestarts),
                                       stiff_ ? stiff_.preconditioning() : KspPreconditioning{});
  else
    ls_ = make_sundials_gmres(y, krylov, ctx_.get());
  call(CVodeSetLinearSolver(mem_, ls_, nullptr), "CVodeSetLinearSolver");
  if (petsc_ls_ && stiff_)
    call(CVodeSetPreconditioner(mem_, &CvodeIntegrator::stiff_setup, nullptr), "CVodeSetPreconditioner");
  // CVODE's Nordsieck interpolant has the order of the current step, so from order 5
  // up its midpoint value lets the history keep up (quartic Hermite, see History).
  if (max_order_ >= 5) {
    run_.use_midpoints();
    if (run_.wants_midpoints()) midpoint_.allocate(run_.system().dm(), ctx_.get());
  }
}

// f(t, y), all of it. 0 on success, 1 (recoverable: CVODE retries a shorter step)
// outside the model's domain, -1 (unrecoverable) on failure: the cause is kept by
// DelayRun and rethrown after CVode returns.
int CvodeIntegrator::rhs_callback(double t, N_Vector y, N_Vector f, void* self) {
  auto* me = static_cast<CvodeIntegrator*>(self);
  return sundials_rhs_flag(me->run_.rhs(t, N_VGetVector_Petsc(y), N_VGetVector_Petsc(f), RhsPart::all));
}

// P = I - gamma L for the Newton matrix I - gamma J, J = L + the reaction's Jacobian.
int CvodeIntegrator::stiff_setup(double, N_Vector, N_Vector, int, int* jcur, double gamma, void* self) {
  *jcur = 1;
  return static_cast<CvodeIntegrator*>(self)->stiff_.setup(gamma);
}

// Error-test and nonlinear-solver failures since the last (re)initialisation.
PetscInt CvodeIntegrator::failed_attempts() {
  long error_tests = 0, convergence = 0;
  call(CVodeGetNumErrTestFails(mem_, &error_tests), "CVodeGetNumErrTestFails");
  call(CVodeGetNumNonlinSolvConvFails(mem_, &convergence), "CVodeGetNumNonlinSolvConvFails");
  return static_cast<PetscInt>(error_tests + convergence);
}

MethodDescription CvodeIntegrator::describe() const {
  MethodDescription d;
  d.backend = kBackend;
  const CvodeMethod& m = find_method(run_.settings().method, run_.settings().names);
  d.method = m.info.name;
  d.order = max_order_;
  d.library = fmt::format("CVODE {}, variable order 1-{}, {} linear solver", m.lmm == CV_ADAMS ? "Adams-Moulton" : "BDF",
                          max_order_,
                          petsc_ls_ ? (stiff_ ? "PETSc KSP with the diffusion preconditioner" : "PETSc KSP")
                                    : "SUNDIALS GMRES");
  d.adaptive = true;
  return d;
}

RunStats CvodeIntegrator::run(Vec u, std::span<StepObserver* const> observers, const RunCheckpoints& checkpoints) {
  run_.set_step_size_source([this] {
    sunrealtype h = 0;
    call(CVodeGetCurrentStep(mem_, &h), "CVodeGetCurrentStep");
    return static_cast<double>(h);
  });
  run_.begin(u, observers, checkpoints);
  PetscNVector y(u, ctx_.get());
  double t = run_.last_time();
  // Resumed: the multistep method restarts at order 1 from the checkpointed state,
  // with the step it would have attempted next.
  call(CVodeReInit(mem_, t, y.get()), "CVodeReInit");
  if (run_.resumed() && run_.resumed_step() > 0)
    call(CVodeSetInitStep(mem_, std::min(run_.resumed_step(), run_.max_step())), "CVodeSetInitStep");
  PetscInt rejected = 0;
  while (!run_.finished(t)) {
    const double stop = run_.next_stop(t), breaking = run_.next_breaking_point(t);
    call(CVodeSetStopTime(mem_, stop), "CVodeSetStopTime");
    // tout bounds CVODE's first-step estimate (which samples f up to 0.1 |tout - t|
    // ahead) to one lag, where the history is known.
    const double tout = std::min(stop, t + run_.max_step());
    sunrealtype reached = t;
    const int flag = CVode(mem_, tout, y.get(), &reached, CV_ONE_STEP);
    run_.rethrow_if_failed();
    call(flag, "CVode");
    if (midpoint_.vec()) call(CVodeGetDky(mem_, 0.5 * (t + reached), 0, midpoint_.nvector()), "CVodeGetDky");
    t = reached;
    run_.accept(t, u, midpoint_.vec());
    if (flag == CV_TSTOP_RETURN && !run_.finished(t) && !later_than(breaking, t)) {
      // A breaking point (an output time is only a stop): restart the multistep method at order 1 from (t, u), with
      // a first step CVODE estimates.
      rejected += failed_attempts();
      call(CVodeReInit(mem_, t, y.get()), "CVodeReInit");
      call(CVodeSetInitStep(mem_, 0), "CVodeSetInitStep");
    }
  }
  rejected += failed_attempts();
  return run_.stats(t, rejected);
}

}  // namespace nf
