// A fixed step that does not divide t_end, or that puts a grid time within round-off
// of it, ends the run cleanly on t_end on every backend: the last step is shortened to
// land there, or stretched by the sliver that round-off left (base/time_tolerance.h),
// never followed by a step below round-off (which the blow-up guard refuses).
// dt = 0.3 ms to 6 s leaves 8.9e-16 s after 20000 steps; 1 us to 50 ms and 7 us to
// 70 ms the same; 0.7 ms to 0.3 s leaves 4/7 of a step.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <algorithm>
#include <vector>
#include <string>

#include "io/vtk_series.h"
#include "tests/support/run_deck.h"

namespace nf {
namespace {

struct EndCase {
  const char* integrator;
  double dt;     // s
  double t_end;  // s
};

class LastStep : public ::testing::TestWithParam<EndCase> {};

TEST_P(LastStep, EndsOnTEnd) {
  const EndCase c = GetParam();
  const auto r = test::run_deck_text(test::deck_text("pc_chain.yaml"),
                                     {fmt::format("time.integrator={}", c.integrator),
                                      fmt::format("time.dt={}", c.dt), fmt::format("time.t_end={}", c.t_end),
                                      "output.vtk=false", "output.hdf5=false"},
                                     PETSC_COMM_WORLD, "last_step");
  EXPECT_DOUBLE_EQ(r.stats.t_final, c.t_end);
  ASSERT_FALSE(r.probe_times.empty());
  // CVODE picks its own steps; the fixed-step backends take one step per grid
  // interval, the last one shortened, plus one per breaking point off the grid.
  if (std::string(c.integrator) != "cvode") {
    const double intervals = std::ceil(c.t_end / c.dt - 1e-6);
    EXPECT_GE(static_cast<double>(r.stats.steps), intervals) << c.integrator;
    EXPECT_LE(static_cast<double>(r.stats.steps), intervals + 12) << c.integrator;
  }
  std::printf("%s dt %g t_end %g: %d steps, t_final - t_end = %.3g\n", c.integrator, c.dt, c.t_end,
              static_cast<int>(r.stats.steps), r.stats.t_final - c.t_end);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, LastStep,
    ::testing::Values(EndCase{"petsc", 0.0003, 6.0}, EndCase{"petsc", 1e-6, 0.05}, EndCase{"petsc", 7e-6, 0.07},
                      EndCase{"petsc", 0.0007, 0.3}, EndCase{"arkode", 0.0003, 6.0}, EndCase{"arkode", 1e-6, 0.05},
                      EndCase{"arkode", 7e-6, 0.07}, EndCase{"arkode", 0.0007, 0.3}, EndCase{"cvode", 0.0003, 6.0},
                      EndCase{"cvode", 0.0007, 0.3}),
    [](const auto& info) {
      std::string name = fmt::format("{}_dt{:g}_to{:g}", info.param.integrator, info.param.dt, info.param.t_end);
      for (char& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return name;
    });

// Adaptive steps landing on the knots of a white-noise drive: the knot 76 ms plus the
// lag 24 ms is 0.1 - 1.4e-17 s, merged with the knot at 0.1 s = t_end; the run ends
// there instead of taking a step of 1.4e-17 s to reach t_end exactly.
TEST(LastStep, AdaptiveLandingMergedWithTEnd) {
  for (const char* integrator : {"petsc", "arkode", "cvode"}) {
    const auto r = test::run_deck_text(
        test::deck_text("pc_chain.yaml"),
        {fmt::format("time.integrator={}", integrator), "time.adaptive=true",
         fmt::format("time.method={}", std::string(integrator) == "cvode" ? "adams" : "rk5dp"),
         "input.type=white_noise", "time.t_end=0.1", "output.vtk=false", "output.hdf5=false"},
        PETSC_COMM_WORLD, "last_step_noise");
    EXPECT_DOUBLE_EQ(r.stats.t_final, 0.1) << integrator;
  }
}

// An output interval that is not a multiple of dt: steps land on every output time
// k 1.5 ms (the fixed-step grid keeps its own times too), on every backend.
TEST(OutputTimes, StepsLandOnThem) {
  constexpr double every = 0.0015, t_end = 0.03;
  for (const char* integrator : {"petsc", "arkode", "cvode"}) {
    const auto r = test::run_deck_text(test::deck_text("pc_chain.yaml"),
                                       {fmt::format("time.integrator={}", integrator), "time.dt=0.001",
                                        fmt::format("time.t_end={}", t_end), fmt::format("output.vtk_every={}", every),
                                        "output.hdf5=false"},
                                       PETSC_COMM_WORLD, "output_times");
    ASSERT_FALSE(r.probe_times.empty());
    for (int k = 0; k * every <= t_end + 1e-12; ++k) {
      double nearest = 1;
      for (const double t : r.probe_times) nearest = std::min(nearest, std::abs(t - k * every));
      EXPECT_LE(nearest, 1e-15) << integrator << ": no step lands on the output time " << k * every;
    }
  }
}

TEST(OutputTimes, WrittenAsAsked) {
  OutputSchedule schedule(0.0015);
  std::vector<std::string> written;
  for (int k = 0; k <= 6; ++k)
    if (schedule.due(k * 0.0015 + (k % 2 ? 1e-18 : 0))) written.push_back(output_time_text(schedule.time()));
  EXPECT_EQ(written, (std::vector<std::string>{"0", "0.0015", "0.003", "0.0045", "0.006", "0.0075", "0.009"}));
}

}  // namespace
}  // namespace nf
