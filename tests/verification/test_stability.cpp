// `neurofield stability` against the chain's characteristic equation (docs/theory.md,
// "Linear stability"): the rightmost eigenvalues of the generic linearisation of the
// predictive-coding Problem are roots of the mode functions pc_mode_function (open
// chain), of the Lambert-W formula (two levels) and of the lattice dispersion relation
// (ring), to 1e-8 relative; stability.json carries them.
#include <gtest/gtest.h>
#include <slepcsys.h>

#include <cmath>
#include <fstream>
#include <numbers>

#include "models/predictive_coding.h"
#include "problem/linear_stability.h"
#include "solvers/stability/complex_roots.h"
#include "tests/support/run_deck.h"

namespace nf {
namespace {

using cd = std::complex<double>;

StabilityResult stability(const std::string& deck_name, std::vector<std::string> overrides, const std::string& tag,
                          test::TempDir& dir) {
  static const bool slepc = SlepcInitialize(nullptr, nullptr, nullptr, nullptr) == 0;
  EXPECT_TRUE(slepc);
  overrides.push_back("output.dir=" + (dir.path() / tag).string());
  const Deck deck = Deck::parse(test::deck_text(deck_name), deck_name, overrides);
  return run_stability(deck, PETSC_COMM_WORLD, tag);
}

PcParams params(const std::string& deck_name, const std::vector<std::string>& overrides) {
  return PcParams::from(Deck::parse(test::deck_text(deck_name), deck_name, overrides).section("model"));
}

double relative(cd a, cd b) { return std::abs(a - b) / std::abs(b); }

// All roots of the open chain's mode functions j = 1..N in a box, rightmost first
// (upper half plane).
std::vector<cd> chain_roots(const PcParams& p, double re_min, double im_max) {
  std::vector<cd> all;
  for (int j = 1; j <= p.layers; ++j) {
    const double theta = j * std::numbers::pi / (p.layers + 1);
    const auto roots = find_roots([&](cd l) { return pc_mode_function(p, theta, l); },
                                  [&](cd l) { return pc_mode_derivative(p, theta, l); },
                                  {re_min, 60.0, -1e-6, im_max, 60, 120});
    for (cd r : roots)
      if (r.imag() >= -1e-9 && r.real() >= re_min) all.push_back(cd(r.real(), std::abs(r.imag())));
  }
  std::sort(all.begin(), all.end(), [](cd a, cd b) { return a.real() > b.real(); });
  return all;
}

// The chain at db = dT (and db = 0): the reported eigenvalues are exactly the rightmost
// roots of the mode functions, and the first is pc_dominant_mode.
void expect_chain(const std::vector<std::string>& overrides, const std::string& tag, double hz, double growth) {
  test::TempDir dir(PETSC_COMM_WORLD, tag);
  const StabilityResult r = stability("pc_chain.yaml", overrides, tag, dir);
  const PcParams p = params("pc_chain.yaml", overrides);
  const auto& eig = r.spectrum.eigenvalues;
  ASSERT_EQ(eig.size(), 10u);
  EXPECT_TRUE(r.spectrum.met_tolerance);
  const PredictedMode dominant = pc_dominant_mode(p);
  EXPECT_LT(relative(eig.front(), dominant.rate), 1e-8) << eig.front() << " vs " << dominant.rate;
  EXPECT_NEAR(r.json["frequency_hz"].get<double>(), hz, 5e-5);
  EXPECT_NEAR(r.json["growth_rate_per_s"].get<double>(), growth, 5e-5);
  EXPECT_NEAR(std::abs(dominant.rate.imag()) / (2 * std::numbers::pi), hz, 5e-5);
  // Every one is a root of some mode function, and together they are the rightmost ten.
  const auto roots = chain_roots(p, eig.back().real() - 5.0, 1.5 * eig.back().imag() + 100);
  ASSERT_GE(roots.size(), eig.size());
  for (std::size_t i = 0; i < eig.size(); ++i) {
    double best = INFINITY;
    for (cd root : roots) best = std::min(best, relative(eig[i], root));
    EXPECT_LT(best, 1e-8) << "eigenvalue " << i << " = " << eig[i] << " is no root of the mode functions";
    EXPECT_LT(relative(eig[i], roots[i]), 1e-8) << "eigenvalue " << i << ": " << eig[i] << ", the " << i
                                                << "-th rightmost root is " << roots[i];
  }
  EXPECT_TRUE(r.json["stable"].get<bool>());
  EXPECT_NEAR(r.json["analytic"]["growth_rate_per_s"].get<double>(), dominant.rate.real(), 1e-12);
}

TEST(Stability, ChainModeFunctions) { expect_chain({}, "chain", 13.0123, -0.36487); }

TEST(Stability, ChainWithoutFeedbackDelay) {
  expect_chain({"model.feedback_delay=0"}, "chain_db0", 7.26503, -1.67768);
}

// N = 1: l_k = W_k(-(2dT/tau) e^{2dT/tau_D})/(2dT) - 1/tau_D; W_0 and W_{-1} are a
// conjugate pair (the argument is below -1/e), W_1 the next one up.
TEST(Stability, TwoLevelLambertBranches) {
  test::TempDir dir(PETSC_COMM_WORLD, "two");
  const StabilityResult r = stability("pc_two_level.yaml", {}, "two", dir);
  const PcParams p = params("pc_two_level.yaml", {});
  const auto& eig = r.spectrum.eigenvalues;
  for (int k : {0, 1, -1}) {
    const cd w = pc_two_level_root(p, k), upper(w.real(), std::abs(w.imag()));
    double best = INFINITY;
    for (cd l : eig) best = std::min(best, relative(l, upper));
    EXPECT_LT(best, 1e-8) << "branch " << k << ": " << w;
  }
  EXPECT_LT(relative(eig.front(), pc_two_level_root(p, 0)), 1e-8);
  EXPECT_LT(relative(eig[1], pc_two_level_root(p, 1)), 1e-8);
}

// The ring of 8: y_L = e^{i q L + l t}, q = 2 pi m/8, m = 0..7. The rightmost root over
// the wavenumbers (m = 0 is the neutral uniform mode, l = 0) is the rightmost eigenvalue.
TEST(Stability, PeriodicRingDispersion) {
  const std::vector<std::string> o = {"model.boundary=periodic", "model.layers=8"};
  test::TempDir dir(PETSC_COMM_WORLD, "ring");
  const StabilityResult r = stability("pc_chain.yaml", o, "ring", dir);
  const PcParams p = params("pc_chain.yaml", o);
  PredictedMode best = pc_mode_root(p, 0);
  for (std::size_t k = 1; k < pc_mode_count(p); ++k)
    if (const PredictedMode m = pc_mode_root(p, k); m.rate.real() > best.rate.real()) best = m;
  const auto& eig = r.spectrum.eigenvalues;
  EXPECT_LT(relative(eig.front(), best.rate), 1e-8) << eig.front() << " vs " << best.rate << " (" << best.label << ")";
  EXPECT_GT(best.rate.real(), 0.0);
  EXPECT_FALSE(r.json["stable"].get<bool>());
  // Every reported eigenvalue is a root of the dispersion relation at some q (l = 0 at q = 0).
  for (cd l : eig) {
    double smallest = INFINITY;
    for (int m = 0; m < 8; ++m) {
      const double q = 2 * std::numbers::pi * m / 8;
      smallest = std::min(smallest, std::abs(pc_lattice_function(p, q, l)) / std::abs(pc_lattice_derivative(p, q, l)));
    }
    EXPECT_LT(smallest, 1e-8 * std::max(1.0, std::abs(l))) << l;
  }
}

// A longer chain: its eigenvectors grow like (tau_D/tau)^(L/2) along it, so without the
// balancing of the linearisation the computed eigenvalues were pseudo-eigenvalues (at 64
// layers +10 /s against -0.078 /s). 24 layers: the rightmost to 1e-8 of pc_dominant_mode.
TEST(Stability, LongChainBalanced) {
  const std::vector<std::string> o = {"model.layers=24", "stability.eigenvalues=2"};
  test::TempDir dir(PETSC_COMM_WORLD, "long");
  const StabilityResult r = stability("pc_chain.yaml", o, "long", dir);
  const PredictedMode dominant = pc_dominant_mode(params("pc_chain.yaml", o));
  EXPECT_LT(relative(r.spectrum.eigenvalues.front(), dominant.rate), 1e-8)
      << r.spectrum.eigenvalues.front() << " vs " << dominant.rate;
  EXPECT_TRUE(r.json["stable"].get<bool>());
}

// stability.json: exactly the documented keys, the same numbers as the result.
TEST(Stability, JsonFile) {
  test::TempDir dir(PETSC_COMM_WORLD, "json");
  const StabilityResult r = stability("pc_chain.yaml", {"stability.eigenvalues=3"}, "json", dir);
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  if (rank != 0) return;
  std::ifstream in(r.output_dir / "stability.json");
  ASSERT_TRUE(in);
  const nlohmann::json j = nlohmann::json::parse(in);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"analytic", "eigenvalues", "frequency_hz", "growth_rate_per_s", "stable"}));
  ASSERT_EQ(j["eigenvalues"].size(), 3u);
  EXPECT_EQ(j["eigenvalues"][0][0].get<double>(), j["growth_rate_per_s"].get<double>());
  EXPECT_GE(j["frequency_hz"].get<double>(), 0.0);
  EXPECT_EQ(j["analytic"].size(), 2u);
  EXPECT_FALSE(std::filesystem::exists(r.output_dir / "stability.json.part"));
}

}  // namespace
}  // namespace nf
