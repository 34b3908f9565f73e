// The sweep section's points (problem/sweep_spec.h) and the table's round trip
// (problem/sweep_table.h): ranges land on their ends and spacings, a Latin hypercube
// puts exactly one point in each slice of every range, the hash follows what runs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "problem/sweep_spec.h"
#include "problem/sweep_table.h"

namespace nf {
namespace {

namespace fs = std::filesystem;

const char* kBase = "model:\n  type: predictive_coding\n  layers: 8\ntime:\n  t_end: 1.0\n";

fs::path scratch() {
  static const fs::path dir = fs::temp_directory_path() / ("nf_sweep_spec_" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

SweepSpec spec_of(const std::string& sweep, const std::string& base = kBase) {
  const fs::path path = scratch() / "deck.yaml";
  std::ofstream(path) << base << "sweep:\n" << sweep;
  return read_sweep_spec(path.string());
}

std::vector<double> column(const SweepSpec& s, std::size_t k) {
  std::vector<double> out;
  for (const auto& p : s.points) out.push_back(std::stod(p[k]));
  return out;
}

TEST(SweepSpec, LinspaceEndsAndEqualSteps) {
  const SweepSpec s = spec_of("  parameters:\n    model.tau: {linspace: [0.01, 0.02, 11]}\n");
  const auto v = column(s, 0);
  ASSERT_EQ(v.size(), 11u);
  EXPECT_EQ(v.front(), 0.01);
  EXPECT_EQ(v.back(), 0.02);
  for (std::size_t i = 1; i < v.size(); ++i) EXPECT_NEAR(v[i] - v[i - 1], 0.001, 1e-15);
}

TEST(SweepSpec, LogspaceConstantRatio) {
  const SweepSpec s = spec_of("  parameters:\n    model.tau_d: {logspace: [0.1, 1000, 5]}\n");
  const auto v = column(s, 0);
  ASSERT_EQ(v.size(), 5u);
  EXPECT_EQ(v.back(), 1000.0);
  for (std::size_t i = 1; i < v.size(); ++i) EXPECT_NEAR(v[i] / v[i - 1], 10.0, 1e-12);
}

TEST(SweepSpec, ProductLastFastestAndZipPairs) {
  const SweepSpec p = spec_of("  parameters:\n    model.delay: [1, 2]\n    model.tau: [3, 4, 5]\n");
  ASSERT_EQ(p.points.size(), 6u);
  EXPECT_EQ(p.points[1], (std::vector<std::string>{"1", "4"}));
  EXPECT_EQ(p.points[3], (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(p.point_overrides(5), (std::vector<std::string>{"model.delay=2", "model.tau=5"}));
  const SweepSpec z = spec_of("  combine: zip\n  parameters:\n    model.delay: [1, 2]\n    model.tau: [3, 4]\n");
  ASSERT_EQ(z.points.size(), 2u);
  EXPECT_EQ(z.points[1], (std::vector<std::string>{"2", "4"}));
}

// Each of the N equal slices of each range (in the log for log_range) holds one point.
TEST(SweepSpec, LatinHypercubeOnePointPerSlice) {
  const std::string text =
      "  combine: latin_hypercube\n  points: 40\n  seed: 9\n  parameters:\n"
      "    model.delay: {range: [0.008, 0.016]}\n    model.tau: {log_range: [0.001, 0.1]}\n";
  const SweepSpec s = spec_of(text);
  ASSERT_EQ(s.points.size(), 40u);
  std::set<long> delay_slices, tau_slices;
  for (double d : column(s, 0)) delay_slices.insert(static_cast<long>(std::floor((d - 0.008) / 0.008 * 40)));
  for (double t : column(s, 1)) tau_slices.insert(static_cast<long>(std::floor(std::log(t / 0.001) / std::log(100.0) * 40)));
  EXPECT_EQ(delay_slices.size(), 40u);
  EXPECT_EQ(tau_slices.size(), 40u);
  EXPECT_EQ(*delay_slices.begin(), 0);
  EXPECT_EQ(*delay_slices.rbegin(), 39);
  EXPECT_EQ(spec_of(text).points, s.points);  // the seed fixes the points
  std::string other = text;
  other.replace(other.find("seed: 9"), 7, "seed: 8");
  EXPECT_NE(spec_of(other).points, s.points);
}

TEST(SweepSpec, HashFollowsTheRunsNotTheFolder) {
  const SweepSpec s = spec_of("  parameters:\n    model.tau: [0.015, 0.017]\n");
  const auto hash = [&](const std::vector<std::string>& o) {
    return sweep_hash(s, Deck::parse(s.base_text, s.deck_path, o));
  };
  EXPECT_EQ(hash({}), hash({"output.dir=/tmp/a"}));
  EXPECT_NE(hash({}), hash({"time.t_end=2"}));
  EXPECT_NE(hash({}), sweep_hash(spec_of("  parameters:\n    model.tau: [0.015, 0.018]\n"),
                                 Deck::parse(s.base_text, s.deck_path, {})));
}

TEST(SweepTable, RoundTripAndRefusal) {
  const fs::path dir = scratch() / "table";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const SweepTableHeader header{{"model.tau", "time.method"}, {"frequency_hz"}, "abc", "deck", 3};
  SweepTable table(dir, header);
  table.add({2, {"0.017", "rk4"}, "ok", "", 0.25, 1, {13.012251369389915}});
  table.add({0, {"0.015", "rk5dp"}, "failed", "the run blew up: at t = 1", 0.5, 2, {std::nan("")}});
  SweepTable again(dir, header);
  again.load_existing("deck.yaml");
  EXPECT_EQ(again.size(), 2u);
  EXPECT_TRUE(again.has(0) && again.has(2) && !again.has(1));
  EXPECT_EQ(again.failures(), 1u);
  again.add({1, {"0.016", "rk4"}, "ok", "", 0.125, 1, {-0.5}});
  std::ifstream csv(dir / "sweep.csv");
  std::string header_line, row0;
  std::getline(csv, header_line);
  std::getline(csv, row0);
  EXPECT_EQ(header_line, "model.tau,time.method,status,error,wall_seconds,frequency_hz,ranks,point");
  EXPECT_EQ(row0, "0.015,rk5dp,failed,the run blew up: at t = 1,0.5,,2,0");
  EXPECT_FALSE(fs::exists(dir / "sweep.h5.part"));
  SweepTable other(dir, {{"model.tau", "time.method"}, {"frequency_hz"}, "xyz", "deck", 3});
  EXPECT_THROW(other.load_existing("deck.yaml"), DeckError);
}

}  // namespace
}  // namespace nf
