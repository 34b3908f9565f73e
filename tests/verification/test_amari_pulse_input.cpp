// An Amari field that never fires (threshold far above anything reached: f(u) = 0)
// driven by a pulse, model.input {type: pulse}: at the pulse's centre (a cell centre,
// where the Gaussian is 1) u solves tau u' = -u + I(t), I = A on [t_on, t_off), 0
// otherwise, u(0) = 0:
//   u = A (1 - e^{-(t - t_on)/tau})             on [t_on, t_off],
//   u = u(t_off) e^{-(t - t_off)/tau}           after.
// The on and off times are reported as forcing discontinuities, so steps land on
// them, off the step grid too, and a stage at a jump sees the side of its own step
// (solvers/integrators/delay_run.cpp). Measured: 2.5e-11 at dt = 0.01 s, order 4.0.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "tests/support/run_deck.h"

namespace nf {
namespace {

constexpr double kA = 0.8, kTau = 1.0;  // 1, s

double exact(double t, double on, double off) {
  if (t < on) return 0;
  if (t <= off) return kA * (1 - std::exp(-(t - on) / kTau));
  return kA * (1 - std::exp(-(off - on) / kTau)) * std::exp(-(t - off) / kTau);
}

struct PulseRun {
  double error = 0;   // max over steps of |u - exact| at the centre
  bool landed_on = false, landed_off = false;
};

PulseRun run_pulse(double on, double duration, double dt) {
  const auto r = test::run_deck_text(
      test::deck_text("amari_front_1d.yaml"),
      {"mesh.cells=[64]", "mesh.length=[16]", "initial.type=rest", "model.threshold=100",
       fmt::format("model.tau={}", kTau),
       fmt::format("model.input={{type: pulse, amplitude: {}, centre: [8.125], width: 1.5, onset: {}, duration: {}}}",
                   kA, on, duration),
       "output.probes=[[32]]", "time.t_end=3", fmt::format("time.dt={}", dt), "time.method=rk4", "output.vtk=false",
       "output.hdf5=false"},
      PETSC_COMM_WORLD, "amari_pulse");
  PulseRun out;
  const double off = on + duration;
  for (std::size_t n = 0; n < r.probe_times.size(); ++n) {
    const double t = r.probe_times[n];
    out.error = std::max(out.error, std::abs(r.probe_signals[0][n] - exact(t, on, off)));
    out.landed_on = out.landed_on || std::abs(t - on) < 1e-12;
    out.landed_off = out.landed_off || std::abs(t - off) < 1e-12;
  }
  return out;
}

// rk4 on u' = (-u + A)/tau errs by (h/tau)^5/120 |u - A| per step, so by at most
// A t_end h^4 / (120 tau^5) over the run (t_end = 3 s: 2e-10 at dt = 0.01 s); the
// observed order over dt = 0.02, 0.01, 0.005 s is 4 +- 0.15. With the forcing's value
// at the jump seen from the wrong side, the error would be A h / 6 (1.3e-3) and the
// order 1.
TEST(AmariPulseInput, CentreFollowsTheLinearOde) {
  for (const double on : {0.5, 0.5037}) {  // on the step grid, and off it
    std::vector<double> errors;
    for (const double dt : {0.02, 0.01, 0.005}) {
      const PulseRun r = run_pulse(on, 1.0, dt);
      EXPECT_TRUE(r.landed_on && r.landed_off) << "dt " << dt;
      EXPECT_LT(r.error, kA * 3.0 * std::pow(dt, 4) / (120 * std::pow(kTau, 5))) << "dt " << dt;
      errors.push_back(r.error);
    }
    for (std::size_t i = 0; i + 1 < errors.size(); ++i) {
      const double order = std::log2(errors[i] / errors[i + 1]);
      std::printf("pulse on %g s: max error %.3e -> %.3e, observed order %.3f\n", on, errors[i], errors[i + 1],
                  order);
      EXPECT_NEAR(order, 4.0, 0.15);
    }
  }
}

}  // namespace
}  // namespace nf
