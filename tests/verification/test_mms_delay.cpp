// Observed order of every registered fixed-step method on a manufactured delay PDE
// (tests/support/delayed_diffusion.h) whose lag, 0.9871, is not a multiple of any
// step. The semi-discrete solution is exact, so the error (max over steps and cells) is
// the integrator's alone; p = log2(E_h / E_{h/2}) over three refinements must match the
// method's order within 0.15 (two-sided): up to 4 with the cubic Hermite history, 5
// with the quartic one (rk5dp, whose dense output supplies each step's midpoint).
// CVODE always adapts its steps and order, so its case checks that the error scales
// with the tolerance instead.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "solvers/integrators/integrator.h"
#include "base/petsc_error.h"
#include "tests/support/delayed_diffusion.h"

namespace nf {
namespace {

constexpr double kLag = 0.9871;   // s
constexpr double kTEnd = 2.0;     // s

struct OrderCase {
  const char* backend;
  const char* method;
  double order;
  double dt0;  // s: coarsest step, inside the stability region of D L_h (|lambda| <= 104 /s)
  int levels = 4;  // steps dt0, dt0/2, ...: fifth-order methods stop at 3, whose finest
                   // error (~1e-12) is a decade or two above the round-off of the run;
                   // arkimex4 too, above the floor its Newton tolerance sets (~1e-9)
  bool assembled = false;  // the stiff part assembled: implicit stages solve s I - L directly
};

std::string case_name(const ::testing::TestParamInfo<OrderCase>& info) {
  return std::string(info.param.backend) + "_" + info.param.method + (info.param.assembled ? "_assembled" : "");
}

// max over accepted steps and cells of |u - u*|: one time's error can cancel by chance.
class MaxError final : public StepObserver {
 public:
  explicit MaxError(const test::DelayedDiffusion& system) : system_(system) {}
  void observe(const StepState& s) override { max_ = std::max(max_, system_.max_error(s.t, s.u)); }
  double value() const { return max_; }

 private:
  const test::DelayedDiffusion& system_;
  double max_ = 0;
};

// One run of the manufactured problem to kTEnd with settings s (t_end is set here).
double max_error(const char* backend, IntegratorSettings s, bool assembled = false) {
  test::DelayedDiffusion system(PETSC_COMM_WORLD, 16, 1.0, kLag, assembled);
  s.t_end = kTEnd;
  auto integrator = find_integrator_backend(backend)->make(system, s);
  Vec u = nullptr;
  check_petsc(DMCreateGlobalVector(system.dm(), &u));
  MaxError error(system);
  StepObserver* observers[] = {&error};
  integrator->run(u, observers);
  VecDestroy(&u);
  return error.value();
}

double max_error(const OrderCase& c, double dt) {
  IntegratorSettings s;
  s.dt = dt;
  s.method = c.method;
  return max_error(c.backend, s, c.assembled);
}

class ManufacturedDelayPde : public ::testing::TestWithParam<OrderCase> {};

TEST_P(ManufacturedDelayPde, ObservedOrderMatchesMethod) {
  const OrderCase c = GetParam();
  ASSERT_NE(find_integrator_backend(c.backend), nullptr) << c.backend;
  std::vector<double> e;
  for (int r = 0; r < c.levels; ++r) e.push_back(max_error(c, c.dt0 / std::pow(2.0, r)));
  std::printf("%s %s: observed orders", c.backend, c.method);
  for (int r = 0; r + 1 < c.levels; ++r) {
    EXPECT_NEAR(std::log2(e[r] / e[r + 1]), c.order, 0.15)
        << c.backend << " " << c.method << ": errors " << e[r] << ", " << e[r + 1];
    std::printf(" %.3f", std::log2(e[r] / e[r + 1]));
  }
  std::printf(" (errors %.3e -> %.3e)\n", e.front(), e.back());
}

INSTANTIATE_TEST_SUITE_P(
    FixedStep, ManufacturedDelayPde,
    ::testing::Values(OrderCase{"petsc", "euler", 1, 0.005}, OrderCase{"petsc", "rk2", 2, 0.01},
                      OrderCase{"petsc", "rk3bs", 3, 0.02}, OrderCase{"petsc", "ssp3", 3, 0.02},
                      OrderCase{"petsc", "rk4", 4, 0.02}, OrderCase{"petsc", "arkimex2", 2, 0.02},
                      OrderCase{"petsc", "arkimex3", 3, 0.02},
                      OrderCase{"petsc", "arkimex4", 4, 0.04, 3}, OrderCase{"petsc", "bdf2", 2, 0.02},
                      OrderCase{"petsc", "cn", 2, 0.02}, OrderCase{"petsc", "beuler", 1, 0.01},
                      OrderCase{"petsc", "rk5dp", 5, 0.025, 3}, OrderCase{"arkode", "euler", 1, 0.005},
                      OrderCase{"arkode", "rk2", 2, 0.01}, OrderCase{"arkode", "rk3", 3, 0.02},
                      OrderCase{"arkode", "rk3bs", 3, 0.02}, OrderCase{"arkode", "rk4", 4, 0.02},
                      OrderCase{"arkode", "rk4z", 4, 0.02}, OrderCase{"arkode", "rk5dp", 5, 0.025, 3},
                      OrderCase{"arkode", "ark3", 3, 0.02}, OrderCase{"arkode", "ark4", 4, 0.02}),
    case_name);

// The same, with the diffusion assembled: IMEX stages are one LU solve of s I - L
// each (exact, so arkimex4 keeps four levels), fully implicit methods precondition
// their matrix-free Newton systems with it. ARKODE's stages solve with a PETSc KSP
// preconditioned by I - gamma L (J v = L v exactly).
INSTANTIATE_TEST_SUITE_P(
    AssembledDiffusion, ManufacturedDelayPde,
    ::testing::Values(OrderCase{"petsc", "arkimex2", 2, 0.02, 4, true}, OrderCase{"petsc", "arkimex3", 3, 0.02, 4, true},
                      OrderCase{"petsc", "arkimex4", 4, 0.04, 4, true}, OrderCase{"petsc", "bdf2", 2, 0.02, 4, true},
                      OrderCase{"petsc", "beuler", 1, 0.01, 4, true}, OrderCase{"arkode", "ark3", 3, 0.02, 4, true},
                      OrderCase{"arkode", "ark4", 4, 0.02, 4, true}),
    case_name);

// CVODE: error against tolerance, rtol = atol from 1e-4 to 1e-8. CVODE holds each
// step's local error to the tolerance, so at order q its step is h ~ tol^(1/(q+1)) and
// the global error, about (steps) x tol, ~ tol^(q/(q+1)): the slope of log error
// against log tol lies between q/(q+1) and 1. On this smooth problem CVODE runs at
// order 4 or more (Adams up to 12, BDF up to 5), so the slope must lie in
// [4/5, 1], with 0.1 either side for the scatter of a variable-order controller.
struct ToleranceCase {
  const char* method;
  bool assembled = false;  // GMRES preconditioned by I - gamma L (PETSc KSP), not SUNDIALS' own
};

class CvodeTolerance : public ::testing::TestWithParam<ToleranceCase> {};

TEST_P(CvodeTolerance, ErrorScalesWithTolerance) {
  const char* method = GetParam().method;
  const bool assembled = GetParam().assembled;
  std::vector<double> tols, errors;
  for (double tol = 1e-4; tol >= 1e-8 * 0.99; tol /= 10) {
    IntegratorSettings s;
    s.dt = 1e-3;
    s.method = method;
    s.rtol = s.atol = tol;
    const double error = max_error("cvode", s, assembled);
    tols.push_back(std::log10(tol));
    errors.push_back(std::log10(error));
    std::printf("cvode %s: tol %.0e  max error %.3e\n", method, tol, error);
  }
  // Least-squares slope of log10(error) against log10(tol).
  const double n = static_cast<double>(tols.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < tols.size(); ++i) mx += tols[i] / n, my += errors[i] / n;
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < tols.size(); ++i) {
    sxy += (tols[i] - mx) * (errors[i] - my);
    sxx += (tols[i] - mx) * (tols[i] - mx);
  }
  const double slope = sxy / sxx;
  std::printf("cvode %s: slope %.3f\n", method, slope);
  EXPECT_GE(slope, 0.8 - 0.1) << method;
  EXPECT_LE(slope, 1.0 + 0.1) << method;
}

INSTANTIATE_TEST_SUITE_P(Cvode, CvodeTolerance,
                         ::testing::Values(ToleranceCase{"adams"}, ToleranceCase{"bdf"}, ToleranceCase{"bdf", true}),
                         [](const auto& info) {
                           return std::string(info.param.method) + (info.param.assembled ? "_assembled" : "");
                         });

}  // namespace
}  // namespace nf
