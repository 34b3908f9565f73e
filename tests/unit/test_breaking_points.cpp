// The lazy breaking-point generator (solvers/integrators/breaking_points.h) against a
// brute-force list of every t_b + (sum of at most p - m lags), and its memory: the
// sources alive at once are bounded by the forcing discontinuities within p lags of
// now, however long the run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "base/time_tolerance.h"
#include "solvers/integrators/breaking_points.h"

namespace nf {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Every sum of at most `levels` of the lags, from index `first` on (each multiset once).
void all_sums(const std::vector<double>& lags, std::size_t first, int levels, double sum, std::vector<double>& out) {
  out.push_back(sum);
  if (levels == 0) return;
  for (std::size_t k = first; k < lags.size(); ++k) all_sums(lags, k, levels - 1, sum + lags[k], out);
}

std::vector<double> brute_force(const std::vector<double>& lags, double t0, double t_end, int order,
                                const std::vector<Discontinuity>& forcing) {
  std::vector<double> points;
  std::vector<Discontinuity> sources = {{t0, 0}};
  sources.insert(sources.end(), forcing.begin(), forcing.end());
  for (const auto& s : sources) {
    if (order - s.order < 0) continue;
    std::vector<double> sums;
    all_sums(lags, 0, order - s.order, 0.0, sums);
    for (double d : sums)
      if (s.t + d <= t_end) points.push_back(s.t + d);
  }
  std::sort(points.begin(), points.end());
  std::vector<double> distinct;
  for (double p : points)
    if (distinct.empty() || later_than(p, distinct.back())) distinct.push_back(p);
  distinct.erase(distinct.begin());  // t0: the start, not a point after it
  return distinct;
}

BreakingPoints::Forcing stream_of(const std::vector<Discontinuity>& list) {
  return [list](double after) -> std::optional<Discontinuity> {
    for (const auto& d : list)
      if (later_than(d.t, after)) return d;
    return std::nullopt;
  };
}

std::vector<double> generated(BreakingPoints& b, double t0) {
  std::vector<double> points;
  for (double t = b.next_after(t0); t < kInf; t = b.next_after(t)) points.push_back(t);
  return points;
}

void expect_same(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_TRUE(same_time(got[i], want[i])) << i << ": " << got[i] << " vs " << want[i];
}

TEST(BreakingPoints, MatchBruteForceWithForcingOfEveryOrder) {
  const std::vector<double> lags = {0.3, 0.7, 1.1};
  // A step (order 0), a kink (1), a jump of the second derivative (2), and knots.
  std::vector<Discontinuity> forcing = {{0.25, 0}, {1.37, 1}, {1.9, 2}};
  for (int k = 0; k < 20; ++k) forcing.push_back({2.0 + 0.1 * k, 1});
  for (int order : {1, 2, 4, 5}) {
    BreakingPoints b(lags, 0.0, 6.0, order, stream_of(forcing));
    expect_same(generated(b, 0.0), brute_force(lags, 0.0, 6.0, order, forcing));
  }
}

// Twelve lags with many coincident sums (0.1 k): the merge lists each time once.
TEST(BreakingPoints, ManyLagsAndCoincidentSums) {
  std::vector<double> lags;
  for (int k = 1; k <= 12; ++k) lags.push_back(0.1 * k);
  BreakingPoints b(lags, 0.5, 4.0, 5, nullptr);
  const auto got = generated(b, 0.5);
  expect_same(got, brute_force(lags, 0.5, 4.0, 5, {}));
  EXPECT_EQ(got.size(), 35u);  // 0.5 + 0.1 j, j = 1..35
}

TEST(BreakingPoints, NoLagsLeavesOnlyTheForcing) {
  BreakingPoints b({}, 0.0, 1.0, 4, stream_of({{0.25, 0}, {0.5, 1}, {2.0, 0}}));
  expect_same(generated(b, 0.0), {0.25, 0.5});
}

// A restart (an earlier time) gives the same list again; a changed order the new one.
TEST(BreakingPoints, RestartAndOrderChange) {
  const std::vector<double> lags = {0.3, 0.7};
  BreakingPoints b(lags, 0.0, 3.0, 2, stream_of({{0.45, 0}}));
  const auto first = generated(b, 0.0);
  expect_same(generated(b, 0.0), first);
  b.set_order(4);
  expect_same(generated(b, 0.0), brute_force(lags, 0.0, 3.0, 4, {{0.45, 0}}));
}

// White-noise knots every tc = 1 ms (order 1) on the chain's lags, rk4 (p = 4): a knot
// echoes for up to 3 lags, 72 ms, so at most 72 knots (+ t0's source) are alive at
// once, and the memo holds the sums of at most 4 lags of {12, 24} ms (9 of them: 0 to 96 ms) and of
// at most 3 (7): the same for a 10 s and a 100 s run.
TEST(BreakingPoints, MemoryDoesNotGrowWithTheRun) {
  const double tc = 1e-3;
  const auto knots = [tc](double after) -> std::optional<Discontinuity> {
    double k = std::floor(after / tc) + 1;
    while (!later_than(k * tc, after)) ++k;
    return Discontinuity{k * tc, 1};
  };
  for (double t_end : {10.0, 100.0}) {
    BreakingPoints b({0.012, 0.024}, 0.0, t_end, 4, knots);
    std::size_t most = 0, count = 0;
    for (double t = b.next_after(0.0); t < kInf; t = b.next_after(t)) {
      most = std::max(most, b.active_sources());
      ++count;
    }
    EXPECT_LE(most, 74u) << t_end;
    EXPECT_EQ(b.memoised_sums(), 9u + 7u) << t_end;
    // Every sum of lags is a multiple of 1 ms here: the points are the knots.
    EXPECT_NEAR(static_cast<double>(count), t_end / tc, 1.0) << t_end;
  }
}

}  // namespace
}  // namespace nf
