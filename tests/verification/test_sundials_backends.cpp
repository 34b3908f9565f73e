// The SUNDIALS backends (ARKODE, CVODE) against exact and analytical answers:
// (a) the predictive-coding chain's least-damped mode (the rightmost root of its
//     characteristic equation) with every backend and a representative method;
// (b) the scalar DDE y'(t) = -y(t - 1), y = 1 for t <= 0, whose exact solution is a
//     polynomial on each [k-1, k], run through each backend's Integrator with
//     adaptive steps, and with fixed steps for the observed order;
// (c) settings a backend must refuse, with the deck key at fault.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "solvers/integrators/integrator.h"
#include "solvers/integrators/sundials_support.h"
#include "base/petsc_error.h"
#include "base/petsc_handles.h"
#include "tests/support/rate_tolerance.h"
#include "tests/support/run_deck.h"
#include "tests/support/scalar_delay_system.h"

namespace nf {
namespace {

// --- (a) the chain's free response --------------------------------------------------
struct ChainCase {
  const char* tag;
  std::vector<std::string> overrides;
  int order;      // fixed steps: the method's order; 0: error-controlled (time.rtol)
  double step;    // s: the fixed step, or rtol for error-controlled runs
};

// The rate tolerance for the case (tests/support/rate_tolerance.h).
double rate_tolerance(const ChainCase& c, std::complex<double> lambda, const RunStats& stats) {
  if (c.order > 0) return test::fixed_step_rate_tolerance(lambda, c.step, c.order);
  return test::adaptive_rate_tolerance(c.step, static_cast<double>(stats.steps), stats.t_final);
}

class SundialsChain : public ::testing::TestWithParam<ChainCase> {};

TEST_P(SundialsChain, LeastDampedModeMatchesCharacteristicEquation) {
  std::vector<std::string> overrides = GetParam().overrides;
  overrides.insert(overrides.end(), {"output.vtk=false", "output.hdf5=false"});
  const auto r = test::run_deck_text(test::deck_text("pc_chain.yaml"), overrides, PETSC_COMM_WORLD, GetParam().tag);
  ASSERT_TRUE(r.predicted.has_value());
  ASSERT_TRUE(r.measured.found);
  const double f = std::abs(r.predicted->rate.imag()) / (2 * std::numbers::pi);
  const double tol = rate_tolerance(GetParam(), r.predicted->rate, r.stats);
  EXPECT_NEAR(r.measured.frequency_hz, f, test::frequency_tolerance(tol));
  EXPECT_NEAR(r.measured.growth_rate_per_s, r.predicted->rate.real(), tol);
  std::printf("%s: %.8f Hz (predicted %.8f), growth %.7f /s (predicted %.7f), %d steps; errors %.2e Hz, %.2e /s, "
              "bound %.2e /s\n",
              GetParam().tag, r.measured.frequency_hz, f, r.measured.growth_rate_per_s, r.predicted->rate.real(),
              static_cast<int>(r.stats.steps), std::abs(r.measured.frequency_hz - f),
              std::abs(r.measured.growth_rate_per_s - r.predicted->rate.real()), tol);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, SundialsChain,
    ::testing::Values(
        ChainCase{"arkode_rk4", {"time.integrator=arkode", "time.method=rk4", "time.dt=0.001"}, 4, 0.001},
        ChainCase{"arkode_ark3", {"time.integrator=arkode", "time.method=ark3", "time.dt=0.001"}, 3, 0.001},
        ChainCase{"arkode_rk5dp_adaptive",
                  {"time.integrator=arkode", "time.method=rk5dp", "time.adaptive=true", "time.rtol=1e-8",
                   "time.atol=1e-10"},
                  0, 1e-8},
        ChainCase{"cvode_bdf",
                  {"time.integrator=cvode", "time.method=bdf", "time.rtol=1e-8", "time.atol=1e-10"}, 0, 1e-8},
        ChainCase{"cvode_adams",
                  {"time.integrator=cvode", "time.method=adams", "time.rtol=1e-8", "time.atol=1e-10"}, 0, 1e-8},
        ChainCase{"cvode_bdf_petsc_ksp",
                  {"time.integrator=cvode", "time.method=bdf", "time.rtol=1e-8", "time.atol=1e-10",
                   "cvode.linear_solver=petsc"},
                  0, 1e-8}),
    [](const auto& info) { return std::string(info.param.tag); });

// --- (b) y'(t) = -y(t - 1) ----------------------------------------------------------
// One cell on a DMDA of the world communicator (this suite runs on one rank).
test::ScalarDelaySystem scalar_dde(double lag) {
  return test::ScalarDelaySystem(lag, 1.0, [](double, double, double y_delayed) { return -y_delayed; });
}

double exact(double t) { return test::negative_feedback_exact(t); }

TEST(ScalarDdeExact, PiecesMatchTheMethodOfSteps) {
  for (double t : {0.25, 0.5, 1.0}) EXPECT_DOUBLE_EQ(exact(t), 1 - t);
  for (double t : {1.25, 1.5, 2.0}) EXPECT_NEAR(exact(t), 1 - t + (t - 1) * (t - 1) / 2, 1e-15);
  for (double t : {2.25, 2.5}) EXPECT_NEAR(exact(t), 1 - t + (t - 1) * (t - 1) / 2 - std::pow(t - 2, 3) / 6, 1e-15);
}

class ErrorObserver final : public StepObserver {
 public:
  void observe(const StepState& s) override {
    const PetscScalar* a = nullptr;
    check_petsc(VecGetArrayRead(s.u, &a));
    final_error = std::abs(a[0] - exact(s.t));
    values.push_back(a[0]);
    check_petsc(VecRestoreArrayRead(s.u, &a));
    max_error = std::max(max_error, final_error);
    times.push_back(s.t);
  }
  double max_error = 0, final_error = 0;
  std::vector<double> times, values;
};

struct DdeRun {
  ErrorObserver errors;
  RunStats stats;
};

DdeRun run_dde(const std::string& backend, IntegratorSettings s) {
  const test::ScalarDelaySystem system = scalar_dde(1.0);
  const IntegratorBackend* b = find_integrator_backend(backend);
  if (!b) throw std::runtime_error("no backend " + backend);
  auto integrator = b->make(system, s);
  OwnedVec u;
  check_petsc(DMCreateGlobalVector(system.dm(), u.out()));
  DdeRun r;
  StepObserver* observers[] = {&r.errors};
  r.stats = integrator->run(u, observers);
  return r;
}

struct AdaptiveCase {
  const char* backend;
  const char* method;
  int order;  // the method's order: breaking points of derivatives up to it are landed on
};

class AdaptiveDde : public ::testing::TestWithParam<AdaptiveCase> {};

TEST_P(AdaptiveDde, ErrorWithinToleranceAndBreakingPointsLanded) {
  const auto c = GetParam();
  IntegratorSettings s;
  s.t0 = 0;
  s.t_end = 5;
  s.dt = 1e-3;
  s.method = c.method;
  s.adaptive = true;
  s.rtol = 1e-8;
  s.atol = 1e-10;
  const DdeRun r = run_dde(c.backend, s);
  const auto& times = r.errors.times;
  const auto& values = r.errors.values;
  // The integrator's error: each step's local error is held to its target
  // rtol |y_n| + atol, and the DDE does not amplify perturbations (the rightmost root
  // of lambda + exp(-lambda) = 0 has real part -0.318), so the global error is at most
  // the sum of the targets. The history adds nothing up to t = 5: y is a polynomial of
  // degree <= 4 on each [k-1, k] for k <= 4, which the quartic history (methods of
  // order 5, with the backend's dense output) reproduces exactly; for the lower-order
  // methods y^(4) = 1 on [3, 4] leaves a cubic Hermite error of h^5/720 per step there
  // (the integral of s^2 (1-s)^2 over [0, 1] is 1/30), which their own step control,
  // sized for the same fourth derivative, keeps far below the target.
  double targets = 0;
  for (std::size_t n = 1; n < times.size(); ++n) targets += s.rtol * std::abs(values[n]) + s.atol;
  EXPECT_LE(r.errors.max_error, targets) << c.backend << " " << c.method;
  EXPECT_LE(r.errors.max_error, 1e-7) << c.backend << " " << c.method;
  // y^(k) jumps at t = k - 1: the points t = 1 .. min(order, 5) are breaking points of
  // derivatives up to the method's order, and t_end = 5 ends the run.
  for (int k = 1; k <= 5; ++k) {
    if (k > c.order && k < 5) continue;
    const auto hit = std::find_if(times.begin(), times.end(), [k](double t) { return std::abs(t - k) <= 1e-12; });
    EXPECT_NE(hit, times.end()) << c.backend << " " << c.method << ": no accepted step at t = " << k;
  }
  EXPECT_NEAR(times.back(), 5.0, 1e-12);
  std::printf("%s %s: max error %.3e (sum of step targets %.3e) over %zu steps, %d rejected\n", c.backend,
              c.method, r.errors.max_error, targets, times.size() - 1, static_cast<int>(r.stats.rejected));
}

INSTANTIATE_TEST_SUITE_P(Backends, AdaptiveDde,
                         ::testing::Values(AdaptiveCase{"arkode", "rk5dp", 5}, AdaptiveCase{"arkode", "rk4z", 4},
                                           AdaptiveCase{"cvode", "adams", 12}, AdaptiveCase{"cvode", "bdf", 5},
                                           AdaptiveCase{"petsc", "rk5dp", 5}, AdaptiveCase{"petsc", "rk3bs", 3}),
                         [](const auto& info) { return fmt::format("{}_{}", info.param.backend, info.param.method); });

// A PETSc option that changes the deck's method (rk2 in the deck, -ts_rk_type 5dp)
// is honoured: steps land on the breaking points t = 1..5 that a fifth-order method
// needs (rk2 alone would land on 1 and 2), and with the quartic history rk5dp is exact
// on the polynomial pieces: a fifth-order quadrature of the degree-<=4 delayed term.
TEST(PetscOptions, ChangedMethodLandsOnItsBreakingPoints) {
  IntegratorSettings s;
  s.t0 = 0;
  s.t_end = 5;
  s.dt = 0.3;
  s.method = "rk2";
  check_petsc(PetscOptionsSetValue(nullptr, "-ts_rk_type", "5dp"));
  DdeRun r;
  try {
    r = run_dde("petsc", s);
  } catch (...) {
    PetscOptionsClearValue(nullptr, "-ts_rk_type");
    throw;
  }
  check_petsc(PetscOptionsClearValue(nullptr, "-ts_rk_type"));
  for (int k = 1; k <= 5; ++k) {
    const auto& times = r.errors.times;
    EXPECT_NE(std::find_if(times.begin(), times.end(), [k](double t) { return std::abs(t - k) <= 1e-12; }),
              times.end())
        << "no accepted step at t = " << k;
  }
  EXPECT_LE(r.errors.max_error, 1e-12);
  std::printf("petsc rk2 -ts_rk_type 5dp, dt 0.3: max error %.3e over %zu steps\n", r.errors.max_error,
              r.errors.times.size() - 1);
}

// Fixed steps: accepted times are the grid t0 + k dt plus the breaking points, and
// the error at t = 5 falls at least as fast as dt^p, p the method's order. Only a
// lower bound: y' = -y(t - 1) does not involve y(t), so a step is a quadrature of the
// delayed term and methods can beat their ODE order (Kutta's rk3 is Simpson's rule,
// exact for the cubic pieces); the two-sided order test is the MMS one.
struct FixedCase {
  const char* method;
  double order;
};

class FixedStepDde : public ::testing::TestWithParam<FixedCase> {};

TEST_P(FixedStepDde, GridKeptAndOrderObserved) {
  const auto c = GetParam();
  IntegratorSettings s;
  s.t0 = 0;
  s.t_end = 5;
  s.method = c.method;
  std::vector<double> errors;
  for (double dt : {0.3, 0.15, 0.075, 0.0375}) {
    s.dt = dt;
    const DdeRun r = run_dde("arkode", s);
    for (double t : r.errors.times) {
      const double k = t / dt;
      const bool on_grid = std::abs(k - std::round(k)) <= 1e-9;
      const bool on_breaking_point = std::abs(t - std::round(t)) <= 1e-12;
      EXPECT_TRUE(on_grid || on_breaking_point) << c.method << ", dt = " << dt << ": step at t = " << t;
    }
    errors.push_back(r.errors.final_error);
  }
  // The mean order over three halvings of dt, within 0.25 of p from below.
  const double p = std::log2(errors.front() / errors.back()) / 3;
  EXPECT_GE(p, c.order - 0.25) << c.method << ": errors " << errors.front() << " -> " << errors.back();
  std::printf("arkode %s: mean observed order %.3f (errors %.3e -> %.3e)\n", c.method, p, errors.front(),
              errors.back());
}

INSTANTIATE_TEST_SUITE_P(ArkodeMethods, FixedStepDde,
                         ::testing::Values(FixedCase{"euler", 1}, FixedCase{"rk2", 2}, FixedCase{"rk3", 3},
                                           FixedCase{"rk3bs", 3}, FixedCase{"rk4", 4}, FixedCase{"rk4z", 4},
                                           FixedCase{"ark3", 3}, FixedCase{"ark4", 4}),
                         [](const auto& info) { return std::string(info.param.method); });

// --- (c) refused settings -----------------------------------------------------------
IntegratorSettings fixed(const std::string& method, double dt) {
  IntegratorSettings s;
  s.t_end = 1;
  s.dt = dt;
  s.method = method;
  return s;
}

template <class F>
BadSettings bad_settings(F&& f) {
  try {
    f();
  } catch (const BadSettings& e) {
    return e;
  }
  ADD_FAILURE() << "no BadSettings thrown";
  return BadSettings("", "");
}

TEST(SundialsSupport, FailuresNameTheRoutineAndTheFlag) {
  const auto message = [](int flag, const char* call) {
    try {
      check_sundials(flag, call, "detail");
    } catch (const SundialsFailure& e) {
      return std::string(e.what());
    }
    return std::string("no throw");
  };
  EXPECT_EQ(message(-4, "ARKStepEvolve"), "SUNDIALS ARKStepEvolve failed: ARK_CONV_FAILURE (-4): detail");
  EXPECT_EQ(message(-4, "CVode"), "SUNDIALS CVode failed: CV_CONV_FAILURE (-4): detail");
  EXPECT_EQ(message(-3, "CVodeSetLinearSolver"), "SUNDIALS CVodeSetLinearSolver failed: CVLS_ILL_INPUT (-3): detail");
  EXPECT_EQ(message(-805, "SUNLinSolSolve"), "SUNDIALS SUNLinSolSolve failed: SUNLS_ATIMES_FAIL_UNREC (-805): detail");
  EXPECT_EQ(message(1, "CVode"), "no throw");  // CV_TSTOP_RETURN
}

TEST(SundialsSettings, FixedStepLongerThanLagIsRefused) {
  const test::ScalarDelaySystem system = scalar_dde(0.05);
  const auto e = bad_settings([&] { find_integrator_backend("arkode")->make(system, fixed("rk4", 0.1)); });
  EXPECT_EQ(e.key, "dt");
  EXPECT_NE(std::string(e.what()).find("0.1"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("0.05"), std::string::npos) << e.what();
}

TEST(SundialsSettings, AdaptiveWithoutEmbeddingIsRefused) {
  const test::ScalarDelaySystem system = scalar_dde(1.0);
  IntegratorSettings s = fixed("rk4", 0.01);
  s.adaptive = true;
  const auto e = bad_settings([&] { find_integrator_backend("arkode")->make(system, s); });
  EXPECT_EQ(e.key, "adaptive");
  EXPECT_NE(std::string(e.what()).find("rk4"), std::string::npos) << e.what();
}

// Another backend's name runs the nearest CVODE method (test_method_names); a name no
// backend knows is refused with the allowed ones.
TEST(SundialsSettings, CvodeRefusesUnknownMethodsAndTooHighOrders) {
  const test::ScalarDelaySystem system = scalar_dde(1.0);
  const auto method = bad_settings([&] { find_integrator_backend("cvode")->make(system, fixed("rk7", 0.01)); });
  EXPECT_EQ(method.key, "method");
  EXPECT_NE(std::string(method.what()).find("adams, bdf"), std::string::npos) << method.what();
  IntegratorSettings s = fixed("bdf", 0.01);
  s.options["max_order"] = "6";
  const auto order = bad_settings([&] { find_integrator_backend("cvode")->make(system, s); });
  EXPECT_EQ(order.key, "max_order");
}

TEST(SundialsSettings, CvodeTakesDtLongerThanLagAsFirstStepOnly) {
  IntegratorSettings s = fixed("bdf", 2.0);  // longer than the lag 1: CVODE is adaptive
  s.t_end = 2;
  s.rtol = 1e-8;
  s.atol = 1e-10;
  const DdeRun r = run_dde("cvode", s);
  EXPECT_LE(r.errors.max_error, 1e-7);
}

}  // namespace
}  // namespace nf
