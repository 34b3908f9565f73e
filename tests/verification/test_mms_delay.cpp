// Observed order of every registered fixed-step method on a manufactured delay PDE
// (tests/support/delayed_diffusion.h) whose lag, 0.9871, is not a multiple of any
// step. The semi-discrete solution is exact, so the error (max over steps and cells) is
// the integrator's alone; p = log2(E_h / E_{h/2}) over three refinements must match the
// method's order
// (the cubic Hermite history supports up to 4) within 0.15 (STYLE.md §8).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "solvers/integrators/integrator.h"
#include "solvers/petsc_error.h"
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
};

std::string case_name(const ::testing::TestParamInfo<OrderCase>& info) {
  return std::string(info.param.backend) + "_" + info.param.method;
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

double max_error(const OrderCase& c, double dt) {
  test::DelayedDiffusion system(PETSC_COMM_WORLD, 16, 1.0, kLag);
  IntegratorSettings s;
  s.t_end = kTEnd;
  s.dt = dt;
  s.method = c.method;
  auto integrator = find_integrator_backend(c.backend)->make(system, s);
  Vec u = nullptr;
  check_petsc(DMCreateGlobalVector(system.dm(), &u));
  MaxError error(system);
  StepObserver* observers[] = {&error};
  integrator->run(u, observers);
  VecDestroy(&u);
  return error.value();
}

class ManufacturedDelayPde : public ::testing::TestWithParam<OrderCase> {};

TEST_P(ManufacturedDelayPde, ObservedOrderMatchesMethod) {
  const OrderCase c = GetParam();
  ASSERT_NE(find_integrator_backend(c.backend), nullptr) << c.backend;
  std::vector<double> e;
  for (int r = 0; r < 4; ++r) e.push_back(max_error(c, c.dt0 / std::pow(2.0, r)));
  for (int r = 0; r + 1 < 4; ++r)
    EXPECT_NEAR(std::log2(e[r] / e[r + 1]), c.order, 0.15)
        << c.backend << " " << c.method << ": errors " << e[r] << ", " << e[r + 1];
}

INSTANTIATE_TEST_SUITE_P(
    FixedStep, ManufacturedDelayPde,
    ::testing::Values(OrderCase{"petsc", "euler", 1, 0.005}, OrderCase{"petsc", "rk2", 2, 0.01},
                      OrderCase{"petsc", "rk3bs", 3, 0.02}, OrderCase{"petsc", "ssp3", 3, 0.02},
                      OrderCase{"petsc", "rk4", 4, 0.02}, OrderCase{"petsc", "arkimex2", 2, 0.02},
                      OrderCase{"petsc", "arkimex3", 3, 0.02}, OrderCase{"petsc", "bdf2", 2, 0.02},
                      OrderCase{"petsc", "cn", 2, 0.02}, OrderCase{"petsc", "beuler", 1, 0.01}),
    case_name);

}  // namespace
}  // namespace nf
