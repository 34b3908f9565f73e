// Amari fronts with an axonal delay, by delay rings, run through the shipped deck.
// A single front of speed c0 without delay moves, with conduction velocity v, at
//   1/c = 1/c0 + 1/v
// (VERIFICATION: the activated set seen at retarded times; S. Coombes, Biol Cybern
// 93:91-108 (2005)), for any kernel. Exponential kernel s = 1 m: theta = 0.25, v = 2
// m/s gives c = 2/3 m/s; theta = 0.3, v = 5 m/s gives 0.588235 m/s. Mexican hat
// (1/2) e^{-|x|} - (1/8) e^{-|x|/2}, theta = 0.1: c0 = (sqrt 21 - 3)/2, v = 2 m/s gives
// 0.5669697 m/s. At h = 0.1 m (10 cells and rings per kernel width, the automatic
// ring width) each is within 1e-3 relative.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tests/support/run_deck.h"

namespace nf {
namespace {

SimulationResult run_front(std::vector<std::string> overrides) {
  overrides.insert(overrides.end(), {"output.vtk=false", "output.hdf5=false", "model.delay_method=rings"});
  return test::run_deck_text(test::deck_text("amari_front_1d.yaml"), overrides, PETSC_COMM_WORLD, "delay_front");
}

double delayed(double c0, double v) { return 1 / (1 / c0 + 1 / v); }

struct DelayCase {
  const char* name;
  std::vector<std::string> overrides;
  double c0;        // m/s without delay
  double velocity;  // m/s
};

class DelayedFront : public ::testing::TestWithParam<DelayCase> {};

TEST_P(DelayedFront, SpeedMatchesRetardedThreshold) {
  const DelayCase& c = GetParam();
  std::vector<std::string> o = c.overrides;
  o.push_back(fmt::format("model.conduction_velocity={}", c.velocity));
  const auto r = run_front(o);
  const double expected = delayed(c.c0, c.velocity);
  ASSERT_TRUE(r.front_speed.has_value());
  std::printf("%s: %.8f m/s, theory %.8f m/s, rel %.2e\n", c.name, *r.front_speed, expected,
              *r.front_speed / expected - 1);
  EXPECT_NEAR(*r.front_speed / expected, 1.0, 1e-3);
  EXPECT_NEAR(r.summary["predicted"]["front_speed"].get<double>() / expected, 1.0, 1e-6);
}

INSTANTIATE_TEST_SUITE_P(
    Rings, DelayedFront,
    ::testing::Values(DelayCase{"exponential_theta_025_v2", {"mesh.cells=[1000]", "model.threshold=0.25"}, 1.0, 2.0},
                      DelayCase{"exponential_theta_030_v5", {"mesh.cells=[1000]", "model.threshold=0.3"}, 2.0 / 3, 5.0},
                      DelayCase{"mexican_hat_v2",
                                {"model.kernel={type: exp_difference, a_e: 1, sigma_e: 1, a_i: 0.5, sigma_i: 2}",
                                 "model.threshold=0.1", "mesh.length=[120]", "mesh.cells=[1200]"},
                                (std::sqrt(21.0) - 3) / 2, 2.0}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace nf
