// RecordHistory: the cubic Lagrange read of per-step records (solvers/history/
// record_history.h). A record whose values are cubic polynomials of time is read back
// exactly (to round-off) at any time inside the stored span, from stored records only
// when the time is before the newest step and with the current record as the fourth
// point after it; the store trims to its span and grows when the steps shrink.
#include <gtest/gtest.h>

#include <cmath>

#include "solvers/history/record_history.h"

namespace nf {
namespace {

// Two values per record: a cubic and a different cubic of t.
double p0(double t) { return 1 - 2 * t + 0.5 * t * t - 0.25 * t * t * t; }
double p1(double t) { return 3 + t * t * t; }

double read(const RecordHistory& h, double q, double t_now, int value, const double* current) {
  const RecordHistory::Stencil s = h.stencil(q, t_now);
  double v = 0;
  for (int k = 0; k < s.count; ++k) {
    const auto& term = s.terms[static_cast<std::size_t>(k)];
    v += term.weight * (term.record ? term.record[value] : current[value]);
  }
  return v;
}

void push(RecordHistory& h, double t) {
  auto slot = h.push(t);
  slot[0] = p0(t);
  slot[1] = p1(t);
}

TEST(RecordHistory, CubicsAreReadExactlyBetweenUnevenSteps) {
  RecordHistory h(2, 1.0, 0.1);
  double t = 0;
  for (int i = 0; i < 40; ++i, t += 0.05 + 0.03 * std::sin(i)) push(h, t);
  const double newest = h.newest_time();
  const double now = newest + 0.07;
  const double current[2] = {p0(now), p1(now)};
  for (double q = newest - 0.9; q < now; q += 0.0137) {
    EXPECT_NEAR(read(h, q, now, 0, current), p0(q), 1e-12) << q;
    EXPECT_NEAR(read(h, q, now, 1, current), p1(q), 1e-12) << q;
  }
}

TEST(RecordHistory, BeforeTheNewestStepTheCurrentRecordHasNoWeight) {
  RecordHistory h(2, 1.0, 0.1);
  for (int i = 0; i <= 10; ++i) push(h, 0.1 * i);
  const double wrong[2] = {1e6, 1e6};  // a current record that must not be read
  EXPECT_NEAR(read(h, 0.95, 1.05, 0, wrong), p0(0.95), 1e-12);
  EXPECT_NEAR(read(h, 1.0, 1.05, 1, wrong), p1(1.0), 1e-12);
  // After it, the current record is the fourth point of the cubic.
  const double current[2] = {p0(1.05), p1(1.05)};
  EXPECT_NEAR(read(h, 1.02, 1.05, 0, current), p0(1.02), 1e-12);
}

TEST(RecordHistory, ConstantBeforeTheOldestRecord) {
  RecordHistory h(2, 5.0, 0.1);
  push(h, 0);
  push(h, 0.1);
  EXPECT_DOUBLE_EQ(read(h, -3, 0.1, 0, nullptr), p0(0));
}

TEST(RecordHistory, TrimsToItsSpanAndGrowsForShortSteps) {
  RecordHistory h(2, 1.0, 0.1);
  for (int i = 0; i <= 200; ++i) push(h, 0.1 * i);
  // The span (1 s = 10 steps) plus the few records the cubic and round-off need.
  EXPECT_LE(h.size(), 10u + 8u);
  EXPECT_LE(h.oldest_time(), h.newest_time() - 1.0);
  for (int i = 1; i <= 400; ++i) push(h, 20 + 0.01 * i);  // steps 10x shorter: the store grows
  EXPECT_GE(h.size(), 100u);
  EXPECT_NEAR(read(h, h.newest_time() - 0.955, h.newest_time(), 1, nullptr), p1(h.newest_time() - 0.955), 1e-11);
}

}  // namespace
}  // namespace nf
