// Each step of an explicit Runge-Kutta method costs its new stages and nothing more:
// s right-hand sides for an s-stage tableau, s - 1 when it is first-same-as-last
// (FSAL: the last stage is f(t_{n+1}, u_{n+1}), the next step's first). The history's
// f(t_n, u_n) comes from the method (its first stage, its FSAL stage, or ARKODE's
// Hermite interpolant), not from an extra evaluation.
//
// Counted on y' = -y(t - 1) with fixed steps over [0, T] with T < 1 (no breaking
// point inside): the evaluations of a run of 2N steps minus those of N steps, over
// N, cancel what a run spends once (the history at t0, the first step's start).
#include <gtest/gtest.h>

#include <string>

#include <arkode/arkode_arkstep.h>

#include "solvers/integrators/arkode_integrator.h"
#include "solvers/integrators/integrator.h"
#include "base/petsc_error.h"
#include "base/petsc_handles.h"
#include "tests/support/scalar_delay_system.h"

namespace nf {
namespace {

struct CountCase {
  const char* backend;
  const char* method;
  // PETSc: the tableau's stages s, or s - 1 for FSAL (Hairer, Norsett & Wanner,
  // Solving ODEs I, II.1 and II.5). ARKODE: what ARKStep itself evaluates per step
  // (its own count is asserted against ours): s for rk4, whose last stage at c = 1
  // ends the interpolant, so the history evaluates f(t_n, u_n) itself (+1); ARKStep
  // does not reuse an FSAL stage (rk5dp 7), evaluates f at the step's end for its Hermite interpolant
  // (euler 1 + 1, rk4z 5 + 1), and for its quartic one (rk5dp 7 + 2) an interior
  // point and, for the derivative at the step's start that the history takes, one
  // more: there the history's own evaluation is only moved into ARKODE (9 before
  // and after).
  // Below order 4 ARKODE's interpolant has degree q - 1 < 3, whose derivative is
  // not f at the step's start, so the history evaluates it: one more per step.
  int per_step;
  int order;
};

struct Counts {
  long ours = 0;     // calls of the system's rhs()
  long library = 0;  // ARKODE's own count (ARKStepGetNumRhsEvals); ours for PETSc
};

Counts evaluations(const CountCase& c, int steps) {
  test::ScalarDelaySystem system(1.0, 1.0, [](double, double, double y_delayed) { return -y_delayed; });
  IntegratorSettings s;
  s.dt = 0.01;
  s.t_end = steps * s.dt;
  s.method = c.method;
  auto integrator = find_integrator_backend(c.backend)->make(system, s);
  OwnedVec u;
  check_petsc(DMCreateGlobalVector(system.dm(), u.out()));
  const RunStats stats = integrator->run(u, {});
  EXPECT_EQ(stats.steps, steps);
  Counts n{system.evaluations(), system.evaluations()};
  if (auto* ark = dynamic_cast<ArkodeIntegrator*>(integrator.get())) {
    long nfi = 0;
    EXPECT_EQ(ARKStepGetNumRhsEvals(ark->arkode_mem(), &n.library, &nfi), 0);
  }
  return n;
}

class RhsCount : public ::testing::TestWithParam<CountCase> {};

TEST_P(RhsCount, NewStagesPerStepOnly) {
  const CountCase& c = GetParam();
  const int n = 20;
  const Counts once = evaluations(c, n), twice = evaluations(c, 2 * n);
  EXPECT_EQ((twice.ours - once.ours) % n, 0);
  EXPECT_EQ((twice.ours - once.ours) / n, c.per_step) << c.backend << "/" << c.method;
  // Beyond the library's own evaluations, the history costs one per step only where
  // the method cannot give f(t_n, u_n) (ARKODE below order 4).
  const bool history_evaluates =
      std::string(c.backend) == "arkode" && (c.order < 4 || std::string(c.method) == "rk4");
  EXPECT_EQ((twice.ours - once.ours) - (twice.library - once.library), history_evaluates ? n : 0) << c.method;
}

INSTANTIATE_TEST_SUITE_P(
    Methods, RhsCount,
    ::testing::Values(CountCase{"petsc", "euler", 1, 1}, CountCase{"petsc", "rk2", 2, 2},
                      CountCase{"petsc", "rk3", 3, 3}, CountCase{"petsc", "rk3bs", 4 - 1, 3},
                      CountCase{"petsc", "rk4", 4, 4}, CountCase{"petsc", "rk5dp", 7 - 1, 5},
                      CountCase{"arkode", "euler", 1 + 1 + 1, 1}, CountCase{"arkode", "rk2", 2 + 1, 2},
                      CountCase{"arkode", "rk3", 3 + 1, 3}, CountCase{"arkode", "rk3bs", 4 + 1, 3},
                      CountCase{"arkode", "rk4", 4 + 1, 4}, CountCase{"arkode", "rk4z", 5 + 1, 4},
                      CountCase{"arkode", "rk5dp", 7 + 2, 5}),
    [](const auto& info) { return std::string(info.param.backend) + "_" + info.param.method; });

}  // namespace
}  // namespace nf
