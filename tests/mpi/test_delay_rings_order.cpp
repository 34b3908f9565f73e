// Observed order of the delay rings on the manufactured field with a distance-
// dependent delay (tests/support/delayed_field.h): cells, ring width (= cell width,
// automatic) and step refined together by 2. The cell-weight convolution of point
// values and the single lag per ring are second order in h, the time interpolation of
// the records fourth (rk4, cubic): p = log2(E_h / E_{h/2}) must be 2 within 0.15, on 1
// and 2 ranks. The error is the max over steps and cells of |u - u*|.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "base/petsc_error.h"
#include "solvers/integrators/integrator.h"
#include "tests/support/delayed_field.h"

namespace nf {
namespace {

class MaxError final : public StepObserver {
 public:
  explicit MaxError(const test::DelayedField& system) : system_(system) {}
  void observe(const StepState& s) override { max_ = std::max(max_, system_.max_error(s.t, s.u)); }
  double value() const { return max_; }

 private:
  const test::DelayedField& system_;
  double max_ = 0;
};

double max_error(PetscInt cells, double velocity, const char* backend, const char* method) {
  test::DelayedField system(PETSC_COMM_WORLD, cells, velocity);
  IntegratorSettings s;
  s.t_end = 2.0;                                  // s
  s.dt = 0.125 * 128.0 / static_cast<double>(cells);  // s: dt / h fixed
  s.method = method;
  auto integrator = find_integrator_backend(backend)->make(system, s);
  Vec u = nullptr;
  check_petsc(DMCreateGlobalVector(system.dm(), &u));
  MaxError error(system);
  StepObserver* observers[] = {&error};
  integrator->run(u, observers);
  VecDestroy(&u);
  return error.value();
}

struct RingCase {
  const char* backend;
  const char* method;
  double velocity;  // m/s
};

class DelayRingsOrder : public ::testing::TestWithParam<RingCase> {};

TEST_P(DelayRingsOrder, SecondOrderUnderJointRefinement) {
  const RingCase c = GetParam();
  std::vector<double> e;
  for (PetscInt cells : {128, 256, 512}) e.push_back(max_error(cells, c.velocity, c.backend, c.method));
  for (std::size_t r = 0; r + 1 < e.size(); ++r) {
    const double order = std::log2(e[r] / e[r + 1]);
    std::printf("%s %s v = %g: error %.3e -> %.3e, order %.3f\n", c.backend, c.method, c.velocity, e[r], e[r + 1],
                order);
    EXPECT_NEAR(order, 2.0, 0.15) << "errors " << e[r] << ", " << e[r + 1];
  }
}

INSTANTIATE_TEST_SUITE_P(Rings, DelayRingsOrder,
                         ::testing::Values(RingCase{"petsc", "rk4", 2.0}, RingCase{"petsc", "rk4", 1.0}, RingCase{"petsc", "rk2", 1.0},
                                           RingCase{"arkode", "rk4", 2.0}),
                         [](const auto& info) {
                           return std::string(info.param.backend) + "_" + info.param.method + "_v" +
                                  std::to_string(static_cast<int>(10 * info.param.velocity));
                         });

}  // namespace
}  // namespace nf
