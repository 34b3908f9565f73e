// A run that blows up stops with BlowUp at the right time, on every backend.
// y'(t) = lambda y(t) + 0 * y(t - 1), y = 1 for t <= 0: the declared lag only caps the
// step, and y = exp(lambda t) crosses the guard's bound 1e150 at
//   t* = 150 ln(10) / lambda.
// The guard checks each accepted step, so the reported time is the first accepted
// time at or after t* (less the run's relative error, ~rtol, over lambda): within
// one step after t*.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "solvers/integrators/delay_run.h"
#include "solvers/integrators/integrator.h"
#include "base/petsc_error.h"
#include "tests/support/scalar_delay_system.h"

namespace nf {
namespace {

constexpr double kLambda = 100;  // 1/s
constexpr double kBound = 1e150;  // the guard's bound (DelayRun)

// y' = lambda y(t) + 0 * y(t - 1), y = 1 before t = 0.
test::ScalarDelaySystem growth() {
  return test::ScalarDelaySystem(1.0, 1.0, [](double, double y, double) { return kLambda * y; });
}

struct BlowUpCase {
  const char* backend;
  const char* method;
  bool adaptive;
};

class BlowUpTime : public ::testing::TestWithParam<BlowUpCase> {};

TEST_P(BlowUpTime, StopsWithinOneStepOfTheCrossing) {
  const auto c = GetParam();
  const test::ScalarDelaySystem system = growth();
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
  // The fix names the setting to change, as the layer above calls it (here: its own name).
  EXPECT_NE(message.find(c.adaptive ? "Fix: divide rtol by 100" : "Fix: halve dt"), std::string::npos) << message;
  std::printf("%s %s: blow-up reported at t = %.6f s, crossing t* = %.6f s\n", c.backend, c.method, reported,
              crossing);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, BlowUpTime,
    ::testing::Values(BlowUpCase{"petsc", "rk4", false}, BlowUpCase{"petsc", "rk5dp", true},
                      BlowUpCase{"arkode", "rk4", false}, BlowUpCase{"arkode", "rk5dp", true},
                      BlowUpCase{"cvode", "adams", true}, BlowUpCase{"cvode", "bdf", true}),
    [](const auto& info) { return fmt::format("{}_{}", info.param.backend, info.param.method); });

// A right-hand side that stops being finite at t = 0.5 s (an exp overflow in a
// model, say): every backend stops with BlowUp near that time instead of a raw
// library failure. Fixed steps accept the non-finite state and the guard sees it one
// step after 0.5; adaptive controllers reject every step past 0.5 and fail, which is
// reported at the last accepted time, before 0.5.
class NonFiniteRhs : public ::testing::TestWithParam<BlowUpCase> {};

TEST_P(NonFiniteRhs, StopsNearTheTime) {
  const auto c = GetParam();
  const test::ScalarDelaySystem system(1.0, 1.0, [](double t, double, double) {
    return t > 0.5 ? std::numeric_limits<double>::quiet_NaN() : -1.0;
  });
  IntegratorSettings s;
  s.t_end = 2;
  s.dt = 1e-2;
  s.method = c.method;
  s.adaptive = c.adaptive;
  auto integrator = find_integrator_backend(c.backend)->make(system, s);
  Vec u = nullptr;
  check_petsc(DMCreateGlobalVector(system.dm(), &u));
  double reported = -1;
  std::string message;
  try {
    integrator->run(u, {});
  } catch (const BlowUp& e) {
    reported = e.time;
    message = e.what();
  } catch (const std::exception& e) {
    message = e.what();
  }
  VecDestroy(&u);
  ASSERT_GE(reported, 0) << c.backend << " " << c.method << ": no BlowUp; got: " << message;
  // Fixed steps: the first step ending after 0.5. Adaptive: the last accepted time,
  // at most one maximum step (the lag, 1 s) before 0.5 and never after it.
  if (c.adaptive) {
    EXPECT_LE(reported, 0.5 + 1e-12) << message;
  } else {
    EXPECT_GT(reported, 0.5) << message;
    EXPECT_LE(reported, 0.5 + s.dt * (1 + 1e-9)) << message;
  }
  EXPECT_NE(message.find("Likely cause"), std::string::npos) << message;
  std::printf("%s %s: stopped at t = %.6f s: %.80s...\n", c.backend, c.method, reported, message.c_str());
}

INSTANTIATE_TEST_SUITE_P(
    Backends, NonFiniteRhs,
    ::testing::Values(BlowUpCase{"petsc", "rk4", false}, BlowUpCase{"petsc", "rk5dp", true},
                      BlowUpCase{"arkode", "rk4", false}, BlowUpCase{"arkode", "rk5dp", true},
                      BlowUpCase{"cvode", "adams", true}, BlowUpCase{"cvode", "bdf", true}),
    [](const auto& info) { return fmt::format("{}_{}", info.param.backend, info.param.method); });

// A step that does not advance t (what CVODE returns once its step is below the
// round-off of t) is a blow-up too, named with its time.
TEST(BlowUpGuard, StalledStepStops) {
  const test::ScalarDelaySystem system = growth();
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
