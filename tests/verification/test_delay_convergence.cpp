// Order of accuracy with a delay that is not a multiple of the step: the chain with
// dT = 12.3 ms driven by a smooth pulse, at dt = 1/2, 1/4, 1/8, 1/16 ms (dT/dt =
// 24.6, 49.2, 98.4, 196.8). The history is zero and the pulse is negligible at t <= 0, so the
// solution is smooth and no breaking point lowers the order. Observed order from
// successive differences, p = log2(|u_h - u_{h/2}| / |u_{h/2} - u_{h/4}|), must be the
// method's order (capped at 4 by the cubic Hermite history) within 0.15.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>

#include "tests/support/run_deck.h"

namespace nf {
namespace {

struct MethodCase {
  const char* method;
  double order;
};

std::vector<double> final_state(const char* method, double dt) {
  const auto r = test::run_deck_text(test::deck_text("pc_chain.yaml"),
                                     {"model.delay=0.0123", "model.feedback_delay=0.0123", "input.onset=0.05",
                                      "input.width=0.01", "time.t_end=0.3", fmt::format("time.dt={}", dt),
                                      fmt::format("time.method={}", method), "output.vtk=false", "output.hdf5=false"},
                                     PETSC_COMM_WORLD, "convergence");
  return r.final_state;
}

double max_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

class DelayConvergence : public ::testing::TestWithParam<MethodCase> {};

TEST_P(DelayConvergence, ObservedOrderMatchesMethod) {
  const auto [method, order] = GetParam();
  std::vector<std::vector<double>> u;
  for (double dt : {0.0005, 0.00025, 0.000125, 0.0000625}) u.push_back(final_state(method, dt));
  const double e1 = max_difference(u[0], u[1]), e2 = max_difference(u[1], u[2]), e3 = max_difference(u[2], u[3]);
  EXPECT_NEAR(std::log2(e1 / e2), order, 0.15) << method << ": differences " << e1 << ", " << e2;
  EXPECT_NEAR(std::log2(e2 / e3), order, 0.15) << method << ": differences " << e2 << ", " << e3;
  std::printf("%s: observed orders %.4f %.4f\n", method, std::log2(e1 / e2), std::log2(e2 / e3));
}

INSTANTIATE_TEST_SUITE_P(PetscMethods, DelayConvergence,
                         ::testing::Values(MethodCase{"euler", 1}, MethodCase{"rk2", 2}, MethodCase{"rk3", 3},
                                           MethodCase{"rk3bs", 3}, MethodCase{"rk4", 4}),
                         [](const auto& info) { return std::string(info.param.method); });

}  // namespace
}  // namespace nf
