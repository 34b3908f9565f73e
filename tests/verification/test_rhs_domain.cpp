// A right-hand side that declares its state outside the model's domain makes every
// backend retry a shorter step, and the run still reaches t_end with the right
// answer. The system is y'(t) = -y(t - 1), y = 1 for t <= 0 (exact solution: a
// polynomial on each [k-1, k], see test_sundials_backends.cpp), whose "model" is
// declared undefined where y strays more than a margin from the exact solution. An
// explicit stage errs from the solution by O(h^2 y''), so the long steps that the
// controller would choose at rtol = 1e-8 on [1, 3] (y'' up to 1) leave the domain
// and only steps with h^2 / 8 below the margin stay in it.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "solvers/integrators/integrator.h"
#include "base/petsc_error.h"
#include "base/petsc_handles.h"
#include "tests/support/scalar_delay_system.h"

namespace nf {
namespace {

constexpr double kTEnd = 3.0;

double exact(double t) { return test::negative_feedback_exact(t); }

struct DomainCase {
  const char* backend;
  const char* method;
  // How far y may stray from the exact solution (kMargin above). CVODE's predicted
  // and Newton iterates stay much closer to it than explicit stages do, so its
  // margin is smaller, to be left at all.
  double margin;
};

class RhsDomain : public ::testing::TestWithParam<DomainCase> {};

TEST_P(RhsDomain, AdaptiveRunRetriesShorterStepsAndReachesTEnd) {
  test::ScalarDelaySystem system(1.0, 1.0, [](double, double, double y_delayed) { return -y_delayed; });
  const double margin = GetParam().margin;
  system.set_domain([margin](double t, double y) { return std::abs(y - exact(t)) > margin; });
  IntegratorSettings s;
  s.t_end = kTEnd;
  s.dt = 0.5;  // the first step: long enough to leave the domain on its own
  s.method = GetParam().method;
  s.adaptive = true;
  s.rtol = 1e-8;
  s.atol = 1e-10;
  auto integrator = find_integrator_backend(GetParam().backend)->make(system, s);
  OwnedVec u;
  check_petsc(DMCreateGlobalVector(system.dm(), u.out()));
  const RunStats stats = integrator->run(u, {});
  const PetscScalar* a = nullptr;
  check_petsc(VecGetArrayRead(u, &a));
  const double y_end = a[0];
  check_petsc(VecRestoreArrayRead(u, &a));
  EXPECT_GT(system.domain_errors(), 0) << "the domain was never left: the test proves nothing";
  EXPECT_GE(stats.rejected, 1);
  EXPECT_NEAR(stats.t_final, kTEnd, 1e-12);
  // A local error of rtol |y| + atol <= 1.1e-8 per step over at most a few hundred
  // steps: the global error stays below 1e-6 (observed about 1e-9).
  EXPECT_NEAR(y_end, exact(kTEnd), 1e-6);
  std::printf("%s/%s: %d steps, %d rejected, %ld domain errors, error %.2e\n", GetParam().backend,
              GetParam().method, static_cast<int>(stats.steps), static_cast<int>(stats.rejected),
              system.domain_errors(), std::abs(y_end - exact(kTEnd)));
}

INSTANTIATE_TEST_SUITE_P(Backends, RhsDomain,
                         ::testing::Values(DomainCase{"petsc", "rk5dp", 1e-4}, DomainCase{"petsc", "rk3bs", 1e-4},
                                           DomainCase{"arkode", "rk5dp", 1e-4}, DomainCase{"arkode", "rk3bs", 1e-4},
                                           DomainCase{"cvode", "adams", 1e-8}, DomainCase{"cvode", "bdf", 1e-8}),
                         [](const auto& info) {
                           return std::string(info.param.backend) + "_" + info.param.method;
                         });

}  // namespace
}  // namespace nf
