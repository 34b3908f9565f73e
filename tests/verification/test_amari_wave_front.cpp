// Amari fronts with an axonal delay, by the wave method (model.delay_method wave:
// the exponential kernel's delayed convolution as two damped transport equations,
// solvers/convolution/wave_coupling.h), run through the shipped deck. A front of speed
// c0 without delay moves, with conduction velocity v, at 1/c = 1/c0 + 1/v
// (VERIFICATION: the activated set seen at retarded times; S. Coombes, Biol Cybern
// 93:91-108 (2005)). Exponential kernel s = 1 m: theta = 0.25, v = 2 m/s gives
// c = 2/3 m/s; theta = 0.3, v = 5 m/s gives 0.588235 m/s. The transported fields
// have a kink at the front, where the upwind scheme is second order: at h = 0.025 m
// (40 cells per s) each speed is within 1e-3 relative (measured 4.3e-4 and 5.8e-4),
// with steps at a Courant number v dt / h of 0.8 and 1.6 (rk4's bound: 1.745).
// In 2D the wave method's damped-wave equation with its source-derivative term
// reduces, for a field uniform along y, to the 1D equations exactly: a planar front
// moves at the 1D exponential kernel's 1/c = 1/c0 + 1/v, c0 = 1 m/s, so 2/3 m/s at
// theta = 0.25, v = 2 m/s; at h = 0.1 m within 1e-3 (measured 7.3e-4; 2.0e-4 and
// 6.5e-5 at h = 0.05 and 0.025 m: second order, the 5-point Laplacian's).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tests/support/run_deck.h"

namespace nf {
namespace {

struct WaveCase {
  const char* name;
  double threshold;
  double velocity;  // m/s
  double dt;        // s
  double expected;  // m/s: 1/(1/c0 + 1/v), c0 = (1 - 2 theta)/(2 theta)
};

class WaveFront : public ::testing::TestWithParam<WaveCase> {};

TEST_P(WaveFront, SpeedMatchesRetardedThreshold) {
  const WaveCase& c = GetParam();
  const auto r = test::run_deck_text(
      test::deck_text("amari_front_1d.yaml"),
      {"output.vtk=false", "output.hdf5=false", "model.delay_method=wave", "mesh.cells=[1200]", "mesh.length=[30]",
       fmt::format("model.threshold={}", c.threshold), fmt::format("model.conduction_velocity={}", c.velocity),
       fmt::format("time.dt={}", c.dt)},
      PETSC_COMM_WORLD, "wave_front");
  ASSERT_TRUE(r.front_speed.has_value());
  std::printf("%s: %.8f m/s, theory %.8f m/s, rel %.2e\n", c.name, *r.front_speed, c.expected,
              *r.front_speed / c.expected - 1);
  EXPECT_NEAR(*r.front_speed / c.expected, 1.0, 1e-3);
  EXPECT_NEAR(r.summary["predicted"]["front_speed"].get<double>() / c.expected, 1.0, 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Wave, WaveFront,
                         ::testing::Values(WaveCase{"theta_025_v2", 0.25, 2.0, 0.01, 2.0 / 3},
                                           WaveCase{"theta_030_v5", 0.3, 5.0, 0.008, 1 / (1.5 + 0.2)}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(WaveFrontPlane, PlanarFrontMovesAsOnTheLine) {
  const auto r = test::run_deck_text(
      test::deck_text("amari_front_1d.yaml"),
      {"output.vtk=false", "output.hdf5=false", "model.delay_method=wave", "model.conduction_velocity=2",
       "mesh.cells=[300,4]", "mesh.length=[30,1]", "mesh.boundary=[bounded,periodic]", "time.dt=0.05"},
      PETSC_COMM_WORLD, "wave_front_plane");
  ASSERT_TRUE(r.front_speed.has_value());
  const double expected = 2.0 / 3;
  std::printf("plane: %.8f m/s, theory %.8f m/s, rel %.2e\n", *r.front_speed, expected, *r.front_speed / expected - 1);
  EXPECT_NEAR(*r.front_speed / expected, 1.0, 1e-3);
}

}  // namespace
}  // namespace nf
