// A run that blows up stops with BlowUp at the right time, on every backend.
// y'(t) = lambda y(t) + 0 * y(t - 1), y = 1 for t <= 0: the declared lag only caps the
// step, and y = exp(lambda t) crosses the guard's bound 1e150 at
//   t* = 150 ln(10) / lambda.
// The guard checks each accepted step, so the reported time is the first accepted
// time at or after t* (less the run's relative error, ~rtol, over lambda): within
// one step after t*.
#include <gtest/gtest.h>
#include <petscdmda.h>

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "solvers/integrators/delay_run.h"
#include "solvers/integrators/integrator.h"
#include "solvers/petsc_error.h"

namespace nf {
namespace {

constexpr double kLambda = 100;  // 1/s
constexpr double kBound = 1e150;  // the guard's bound (DelayRun)

class Growth final : public DelaySystem {
 public:
  Growth() {
    check_petsc(DMDACreate1d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, 1, 1, 0, nullptr, &dm_));
    check_petsc(DMSetUp(dm_));
    check_petsc(DMDASetFieldName(dm_, 0, "y"));
  }
  ~Growth() override { DMDestroy(&dm_); }
  DM dm() const override { return dm_; }
  const std::vector<double>& lags() const override { return lags_; }
  void history_before_start(double, Vec u) const override { check_petsc(VecSet(u, 1.0)); }
  PetscErrorCode rhs(double, Vec u, std::span<const Vec>, Vec f, RhsPart part) const override {
    PetscFunctionBeginUser;
    if (part == RhsPart::stiff) {
      PetscCall(VecSet(f, 0.0));
      PetscFunctionReturn(0);
    }
    const PetscScalar* y = nullptr;
    PetscScalar* out = nullptr;
    PetscCall(VecGetArrayRead(u, &y));
    PetscCall(VecGetArray(f, &out));
    out[0] = kLambda * y[0];
    PetscCall(VecRestoreArray(f, &out));
    PetscCall(VecRestoreArrayRead(u, &y));
    PetscFunctionReturn(0);
  }

 private:
  DM dm_ = nullptr;
  std::vector<double> lags_{1.0};
};

struct BlowUpCase {
  const char* backend;
  const char* method;
  bool adaptive;
};

class BlowUpTime : public ::testing::TestWithParam<BlowUpCase> {};

TEST_P(BlowUpTime, StopsWithinOneStepOfTheCrossing) {
  const auto c = GetParam();
  Growth system;
  IntegratorSettings s;
  s.t_end = 10;
  s.dt = 1e-3;
  s.method = c.method;
  s.adaptive = c.adaptive;
  s.rtol = 1e-6;
  s.atol = 1e-9;
  const double crossing = std::log(kBound) / kLambda;
  auto integrator = find_integrator_backend(c.backend)->make(system, s);
  Vec u = nullptr;
  check_petsc(DMCreateGlobalVector(system.dm(), &u));
  double reported = -1;
  std::string message;
  PetscInt steps = 0;
  try {
    steps = integrator->run(u, {}).steps;
  } catch (const BlowUp& e) {
    reported = e.time;
    message = e.what();
  }
  VecDestroy(&u);
  ASSERT_GE(reported, 0) << c.backend << " " << c.method << " ran to the end in " << steps << " steps";
  // Adaptive steps near t* are ~(rtol)^(1/p) / lambda, well under 0.01 s; fixed ones are dt.
  const double step = c.adaptive ? 0.01 : s.dt;
  EXPECT_GE(reported, crossing - 10 * s.rtol / kLambda) << message;
  EXPECT_LE(reported, crossing + step * (1 + 1e-9)) << message;
  EXPECT_NE(message.find("field 'y' exceeded 1e+150"), std::string::npos) << message;
  EXPECT_NE(message.find(c.adaptive ? "time.rtol" : "time.dt"), std::string::npos) << message;
  std::printf("%s %s: blow-up reported at t = %.6f s, crossing t* = %.6f s\n", c.backend, c.method, reported,
              crossing);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, BlowUpTime,
    ::testing::Values(BlowUpCase{"petsc", "rk4", false}, BlowUpCase{"petsc", "rk5dp", true},
                      BlowUpCase{"arkode", "rk4", false}, BlowUpCase{"arkode", "rk5dp", true},
                      BlowUpCase{"cvode", "adams", true}, BlowUpCase{"cvode", "bdf", true}),
    [](const auto& info) { return fmt::format("{}_{}", info.param.backend, info.param.method); });

// A step that does not advance t (what CVODE returns once its step is below the
// round-off of t) is a blow-up too, named with its time.
TEST(BlowUpGuard, StalledStepStops) {
  Growth system;
  IntegratorSettings s;
  s.dt = 1e-3;
  DelayRun run(system, s, 4);
  Vec u = nullptr;
  check_petsc(DMCreateGlobalVector(system.dm(), &u));
  run.begin(u, {});
  run.accept(0.5, u);
  double reported = -1;
  std::string message;
  try {
    run.accept(0.5, u);
  } catch (const BlowUp& e) {
    reported = e.time;
    message = e.what();
  }
  VecDestroy(&u);
  EXPECT_EQ(reported, 0.5);
  EXPECT_NE(message.find("fell below the round-off of t"), std::string::npos) << message;
}

}  // namespace
}  // namespace nf
