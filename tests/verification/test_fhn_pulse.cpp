// FitzHugh-Nagumo pulses (models/fitzhugh_nagumo.h) through input_decks/fhn_pulse_1d.yaml.
// The pulse has no closed form, so its speed is checked by convergence: the second-order
// Laplacian makes the speed c(h) = c0 + K h^2 + O(h^4), and differences of successive
// refinements remove c0 and the time-stepping error (the same dt at every h), so
//   p = log2((c(h) - c(h/2)) / (c(h/2) - c(h/4)))
// must be 2 +- 0.15 for h = 0.5, 0.25, 0.125 m. The crossing interpolation (O(h^4)) and
// the least-squares speed fit over 500 steps add well under 1e-6 m/s, against
// differences of 1.4e-3 m/s and more.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "models/fitzhugh_nagumo.h"
#include "tests/support/run_deck.h"

namespace nf {
namespace {

struct Pulse {
  double speed;  // m/s
  double width;  // m
};

Pulse run_pulse(int cells) {
  const auto r = test::run_deck_text(test::deck_text("fhn_pulse_1d.yaml"),
                                     {fmt::format("mesh.cells=[{}]", cells), "output.vtk=false", "output.hdf5=false"},
                                     PETSC_COMM_WORLD, "fhn_pulse");
  EXPECT_TRUE(r.summary["pulse_speed"].is_number()) << cells;
  EXPECT_TRUE(r.summary["pulse_width"].is_number()) << cells;
  if (!r.summary["pulse_speed"].is_number() || !r.summary["pulse_width"].is_number()) return {NAN, NAN};
  return {r.summary["pulse_speed"].get<double>(), r.summary["pulse_width"].get<double>()};
}

TEST(FitzhughNagumoPulse, SpeedConvergesAtSecondOrder) {
  std::vector<Pulse> pulses;
  for (int cells : {400, 800, 1600}) pulses.push_back(run_pulse(cells));
  const double order = std::log2((pulses[0].speed - pulses[1].speed) / (pulses[1].speed - pulses[2].speed));
  const double extrapolated = pulses[2].speed + (pulses[2].speed - pulses[1].speed) / 3;
  std::printf("FHN pulse speed %.8f %.8f %.8f m/s (h = 0.5, 0.25, 0.125 m): order %.3f, Richardson %.8f m/s; "
              "widths %.5f %.5f %.5f m\n",
              pulses[0].speed, pulses[1].speed, pulses[2].speed, order, extrapolated, pulses[0].width,
              pulses[1].width, pulses[2].width);
  EXPECT_NEAR(order, 2.0, 0.15);
  // The width is measured from the same crossings, so it converges alike: order 2 +- 0.15.
  const double width_order = std::log2((pulses[0].width - pulses[1].width) / (pulses[1].width - pulses[2].width));
  EXPECT_NEAR(width_order, 2.0, 0.15);
}

// The rest state solves the cubic and its k = 0 eigenvalues are those of the 2x2
// Jacobian: FitzHugh's values (0.7, 0.8, 0.08) give u* = -1.1994080352, w* =
// -0.6242600441, lambda = -0.25128982 +- 0.21194934i /s (numpy roots and eigvals).
TEST(FitzhughNagumoRest, CubicRootAndEigenvalues) {
  FitzhughNagumoParams p;
  const auto [u, w] = fitzhugh_nagumo_rest(p);
  EXPECT_NEAR(u, -1.1994080352440346, 1e-13);
  EXPECT_NEAR(w, -0.6242600440550433, 1e-13);
  EXPECT_NEAR(u - u * u * u / 3 - w, 0.0, 1e-14);
  const std::complex<double> lambda = fitzhugh_nagumo_rest_eigenvalue(p, 0.0);
  EXPECT_NEAR(lambda.real(), -0.25128982, 1e-8);
  EXPECT_NEAR(std::abs(lambda.imag()), 0.21194934, 1e-8);
  // 1 - u*^2 < 0: tr(k) < 0 and det(k) >= det(0) > 0, so every mode decays; with D_w = 0
  // the rightmost root rises towards -eps gamma = -0.064 /s as k grows, never above.
  for (double k : {0.1, 0.5, 1.0, 10.0, 1000.0}) {
    const double re = fitzhugh_nagumo_rest_eigenvalue(p, k).real();
    EXPECT_LT(re, -p.epsilon * p.gamma) << k;
  }
  EXPECT_NEAR(fitzhugh_nagumo_rest_eigenvalue(p, 1000.0).real(), -p.epsilon * p.gamma, 1e-6);
}

}  // namespace
}  // namespace nf
