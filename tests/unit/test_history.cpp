// The delay store: cubic Hermite dense output is exact for cubics and fourth-order
// for smooth signals; with midpoint values, quartic Hermite is exact for quartics and
// fifth-order; stored times are returned without copies, the store stays
// bounded by the largest lag, a pending derivative is never used silently, a stored
// step costs its values and 16 B, and a constant history before the start is
// evaluated once.
#include <gtest/gtest.h>
#include <malloc.h>
#include <petscdmda.h>

#include <cmath>
#include <memory>

#include "solvers/history/history.h"
#include "base/petsc_error.h"

namespace nf {
namespace {

// A 1D DMDA of 4 cells whose value in cell i is g(t) * (i + 1).
class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    check_petsc(DMDACreate1d(PETSC_COMM_SELF, DM_BOUNDARY_NONE, 4, 1, 1, nullptr, &dm_));
    check_petsc(DMSetUp(dm_));
    check_petsc(DMCreateGlobalVector(dm_, &u_));
    check_petsc(DMCreateGlobalVector(dm_, &f_));
  }
  void TearDown() override {
    VecDestroy(&u_);
    VecDestroy(&f_);
    DMDestroy(&dm_);
  }
  void fill(Vec v, double value) const {
    PetscScalar* a = nullptr;
    check_petsc(VecGetArray(v, &a));
    for (int i = 0; i < 4; ++i) a[i] = value * (i + 1);
    check_petsc(VecRestoreArray(v, &a));
  }
  // Pushes (t, g(t), g'(t)) with the derivative supplied.
  template <class G, class DG>
  void push(History& h, double t, G g, DG dg) {
    fill(u_, g(t));
    fill(f_, dg(t));
    h.push(t, u_);
    h.set_newest_derivative(f_);
  }
  // Cell 2 (value 3 g(t)) of a ghosted local view.
  static double cell2(Vec local) {
    const PetscScalar* a = nullptr;
    check_petsc(VecGetArrayRead(local, &a));
    const double v = a[2];  // one rank: the local vector has no ghost offset at x = 0
    check_petsc(VecRestoreArrayRead(local, &a));
    return v;
  }
  History make(double max_lag, double dt) {
    return History(dm_, max_lag, dt, [this](double t, Vec out) { fill(out, 100 + t); });
  }

  DM dm_ = nullptr;
  Vec u_ = nullptr, f_ = nullptr;
};

TEST_F(HistoryTest, HermiteIsExactForCubics) {
  auto g = [](double t) { return 1 - 2 * t + 0.5 * t * t - 3 * t * t * t; };
  auto dg = [](double t) { return -2 + t - 9 * t * t; };
  History h(dm_, 1.0, 0.1, [](double, Vec) {});
  for (int k = 0; k <= 5; ++k) push(h, 0.1 * k, g, dg);
  for (double t : {0.013, 0.15, 0.2777, 0.49}) EXPECT_NEAR(cell2(h.view(t)), 3 * g(t), 1e-13) << t;
}

TEST_F(HistoryTest, DenseOutputIsFourthOrder) {
  // Interpolation error of sin at mid-interval scales as h^4 (local error of cubic Hermite).
  auto error = [&](double dt) {
    History h(dm_, 2.0, dt, [](double, Vec) {});
    for (int k = 0; k * dt <= 1.0 + 1e-12; ++k)
      push(h, k * dt, [](double t) { return std::sin(3 * t); }, [](double t) { return 3 * std::cos(3 * t); });
    double e = 0;
    for (double t = 0.5 * dt; t < 1.0; t += dt) e = std::max(e, std::abs(cell2(h.view(t)) - 3 * std::sin(3 * t)));
    return e;
  };
  const double e1 = error(0.1), e2 = error(0.05), e3 = error(0.025);
  EXPECT_NEAR(std::log2(e1 / e2), 4.0, 0.15);
  EXPECT_NEAR(std::log2(e2 / e3), 4.0, 0.15);
}

// The quartic through (u_a, f_a, u_b, f_b, u_mid).
TEST_F(HistoryTest, MidpointsMakeItExactForQuartics) {
  auto g = [](double t) { return 2 - t + 0.5 * t * t - 3 * t * t * t + 7 * t * t * t * t; };
  auto dg = [](double t) { return -1 + t - 9 * t * t + 28 * t * t * t; };
  History h(dm_, 1.0, 0.1, [](double, Vec) {});
  h.enable_midpoints();
  for (int k = 0; k <= 5; ++k) {
    push(h, 0.1 * k, g, dg);
    if (k == 0) continue;
    fill(u_, g(0.1 * k - 0.05));
    h.set_newest_midpoint(u_);
  }
  for (double t : {0.013, 0.15, 0.2777, 0.49}) EXPECT_NEAR(cell2(h.view(t)), 3 * g(t), 1e-13) << t;
}

TEST_F(HistoryTest, MidpointsMakeItFifthOrder) {
  // Error of sin at 3/10 of each interval (away from the exact midpoint) scales as h^5.
  auto error = [&](double dt) {
    History h(dm_, 2.0, dt, [](double, Vec) {});
    h.enable_midpoints();
    auto g = [](double t) { return std::sin(3 * t); };
    for (int k = 0; k * dt <= 1.0 + 1e-12; ++k) {
      push(h, k * dt, g, [](double t) { return 3 * std::cos(3 * t); });
      if (k == 0) continue;
      fill(u_, g((k - 0.5) * dt));
      h.set_newest_midpoint(u_);
    }
    double e = 0;
    for (double t = 0.3 * dt; t < 1.0; t += dt) e = std::max(e, std::abs(cell2(h.view(t)) - 3 * g(t)));
    return e;
  };
  const double e1 = error(0.1), e2 = error(0.05), e3 = error(0.025);
  EXPECT_NEAR(std::log2(e1 / e2), 5.0, 0.15);
  EXPECT_NEAR(std::log2(e2 / e3), 5.0, 0.15);
}

// Stages that share an abscissa reuse the interpolant; any other time, or a change to
// the store, recomputes it.
TEST_F(HistoryTest, RepeatedQueriesStayExact) {
  auto g = [](double t) { return 1 + t - 4 * t * t * t; };
  auto dg = [](double t) { return 1 - 12 * t * t; };
  History h(dm_, 1.0, 0.1, [](double, Vec) {});
  for (int k = 0; k <= 3; ++k) push(h, 0.1 * k, g, dg);
  for (double t : {0.15, 0.15, 0.25, 0.15, 0.05}) EXPECT_NEAR(cell2(h.view(t)), 3 * g(t), 1e-13) << t;
  push(h, 0.4, g, dg);
  for (double t : {0.35, 0.35, 0.15}) EXPECT_NEAR(cell2(h.view(t)), 3 * g(t), 1e-13) << t;
}

TEST_F(HistoryTest, StoredTimesAreViewedWithoutCopy) {
  History h = make(1.0, 0.1);
  for (int k = 0; k <= 3; ++k) push(h, 0.1 * k, [](double t) { return t; }, [](double) { return 1.0; });
  const Vec stored = h.view(0.2);
  EXPECT_EQ(h.view(0.2 + 1e-15), stored);  // within round-off of a stored time
  EXPECT_NEAR(cell2(stored), 3 * 0.2, 1e-15);
  const Vec between = h.view(0.25);
  EXPECT_NE(between, stored);
  EXPECT_NEAR(cell2(between), 3 * 0.25, 1e-15);
  EXPECT_NEAR(cell2(stored), 3 * 0.2, 1e-15);  // interpolation never writes a stored vector
}

// The two views of one evaluation with two lags stay valid together, and a time
// asked for again is served by the same work vector.
TEST_F(HistoryTest, ViewsOfOneEvaluationStayValid) {
  auto g = [](double t) { return 2 - 3 * t * t; };
  auto dg = [](double t) { return -6 * t; };
  History h(dm_, 1.0, 0.1, [](double, Vec) {}, 2);
  for (int k = 0; k <= 5; ++k) push(h, 0.1 * k, g, dg);
  for (double t = 0.01; t < 0.45; t += 0.037) {
    const Vec a = h.view(t), b = h.view(t + 0.013);
    EXPECT_NEAR(cell2(a), 3 * g(t), 1e-13) << t;
    EXPECT_NEAR(cell2(b), 3 * g(t + 0.013), 1e-13) << t;
    EXPECT_EQ(h.view(t + 0.013), b);
  }
}

TEST_F(HistoryTest, BeforeTheStartComesFromTheFunction) {
  History h = make(1.0, 0.1);
  push(h, 0.0, [](double) { return 7.0; }, [](double) { return 0.0; });
  EXPECT_NEAR(cell2(h.view(-0.3)), 3 * (100 - 0.3), 1e-12);
}

TEST_F(HistoryTest, StoreIsTrimmedToTheLargestLag) {
  // max_lag = 0.5 with dt = 0.01: entries kept span [t - 0.5, t], 51 or 52 of them, and the
  // store (ceil(0.5/0.01) + 3 = 53 slots: 14 blocks of ceil(53/16) = 4, and one spare for
  // the window straddling blocks) never grows however long the run.
  History h = make(0.5, 0.01);
  const std::size_t slots = h.capacity();
  EXPECT_EQ(slots, 60u);
  for (int k = 0; k <= 5000; ++k) push(h, 0.01 * k, [](double t) { return t; }, [](double) { return 1.0; });
  EXPECT_EQ(h.capacity(), slots);
  EXPECT_LE(h.size(), 52u);
  EXPECT_LE(h.oldest_time(), 50.0 - 0.5 + 1e-9);
  EXPECT_THROW(h.view(49.0), std::logic_error);  // trimmed
  EXPECT_THROW(h.view(50.5), std::logic_error);  // the future
}

// Steps ten times shorter than the store was sized for: it grows (by half its blocks
// at a time, so a few times over the first lag), stays exact, and a view of a stored
// time taken before the growths still shows its step (the data never move).
TEST_F(HistoryTest, StoreGrowsWhenStepsShrinkWithoutMovingData) {
  auto g = [](double t) { return 1 + t - 2 * t * t + 0.5 * t * t * t; };
  auto dg = [](double t) { return 1 - 4 * t + 1.5 * t * t; };
  History h(dm_, 0.5, 0.01, [](double, Vec) {});
  const std::size_t sized = h.capacity();
  for (int k = 0; k <= 100; ++k) push(h, 0.001 * k, g, dg);
  const Vec stored = h.view(0.1);
  for (int k = 101; k <= 450; ++k) push(h, 0.001 * k, g, dg);  // nothing trimmed yet
  EXPECT_GT(h.capacity(), sized);
  EXPECT_EQ(h.view(0.1), stored);
  EXPECT_NEAR(cell2(stored), 3 * g(0.1), 1e-15);
  for (int k = 451; k <= 5000; ++k) push(h, 0.001 * k, g, dg);
  EXPECT_GE(h.capacity(), 502u);      // the window [t - 0.5, t]
  EXPECT_LE(h.capacity(), 2 * 502u);  // grown by half at a time
  for (double t : {4.5003, 4.77777, 4.9995}) EXPECT_NEAR(cell2(h.view(t)), 3 * g(t), 1e-12) << t;
}

TEST_F(HistoryTest, PendingDerivativeIsNeverUsed) {
  History h = make(1.0, 0.1);
  push(h, 0.0, [](double t) { return t; }, [](double) { return 1.0; });
  fill(u_, 0.1);
  h.push(0.1, u_);
  EXPECT_TRUE(h.newest_derivative_pending());
  EXPECT_TRUE(h.needs_newest_derivative(0.05));
  EXPECT_FALSE(h.needs_newest_derivative(0.1));  // a stored time needs no derivative
  EXPECT_THROW(h.view(0.05), std::logic_error);
  fill(f_, 1.0);
  h.set_newest_derivative(f_);
  EXPECT_NEAR(cell2(h.view(0.05)), 3 * 0.05, 1e-15);
}

// A constant history before the start is evaluated once, however many abscissae the
// stages ask for (a varying one once per abscissa).
TEST_F(HistoryTest, ConstantHistoryBeforeTheStartIsFilledOnce) {
  for (BeforeStartKind kind : {BeforeStartKind::constant, BeforeStartKind::varying}) {
    int fills = 0;
    History h(dm_, 1.0, 0.01, [&](double, Vec out) { ++fills, fill(out, 5.0); }, 2, kind);
    push(h, 0.0, [](double) { return 5.0; }, [](double) { return 0.0; });
    int abscissae = 0;
    for (int step = 0; step < 100; ++step)
      for (double c : {0.0, 0.5, 1.0}) {
        const double t = (step + c) * 0.01 - 1.0;  // every stage of 100 steps reads before t0
        ++abscissae;
        EXPECT_NEAR(cell2(h.view(t)), 3 * 5.0, 0) << t;
      }
    if (kind == BeforeStartKind::constant)
      EXPECT_EQ(fills, 1);
    else
      EXPECT_EQ(fills, abscissae - 99);  // c = 1 of a step is c = 0 of the next: reused
  }
}

// Bytes the C heap hands out now (small blocks plus mmapped large ones).
double heap_bytes() {
  const struct mallinfo2 m = mallinfo2();
  return static_cast<double>(m.uordblks + m.hblkhd);
}

// The memory of the store, measured on the heap: per stored step, the values of u and
// du/dt (and u_mid) at 8 B each plus the step's time and flags (16 B), and per block at
// most the page rounding of its two allocations. The fixed part (work vectors) is
// measured with a store of 3 slots and taken off.
TEST_F(HistoryTest, BytesPerStoredStepAreItsValues) {
  DM dm8 = nullptr;
  check_petsc(DMDACreate1d(PETSC_COMM_SELF, DM_BOUNDARY_NONE, 8, 1, 1, nullptr, &dm8));
  check_petsc(DMSetUp(dm8));
  for (bool midpoints : {false, true}) {
    const double values_per_slot = 8 * (midpoints ? 3 : 2);  // one rank: no ghost cells
    const double theory = values_per_slot * sizeof(PetscScalar) + 16;
    auto measure = [&](double max_lag, double& capacity, double& blocks) {
      const double before = heap_bytes();
      auto h = std::make_unique<History>(dm8, max_lag, 1e-5, [](double, Vec) {});
      if (midpoints) h->enable_midpoints();
      capacity = static_cast<double>(h->capacity());
      blocks = h->sized_for().blocks;
      EXPECT_EQ(h->sized_for().bytes_per_slot, theory);
      return heap_bytes() - before;
    };
    double small_capacity = 0, small_blocks = 0, capacity = 0, blocks = 0;
    const double fixed = measure(0.0, small_capacity, small_blocks);
    const double bytes = measure(1.0, capacity, blocks) - fixed;  // 100003 slots
    const double slots = capacity - small_capacity;
    const double per_block = 2 * 4096 + 64;
    EXPECT_GE(bytes, slots * theory - small_blocks * per_block) << midpoints;
    EXPECT_LE(bytes, slots * theory + blocks * per_block) << midpoints;
    EXPECT_NEAR(bytes / slots, theory, (blocks + small_blocks) * per_block / slots) << midpoints;
    // The estimate printed before a run bounds what is allocated.
    const HistoryFootprint f = History::footprint(8, 1.0, 1e-5, midpoints);
    EXPECT_EQ(f.slots, 100003);
    EXPECT_GE(f.bytes, bytes);
    EXPECT_LE(f.bytes, bytes + 2 * blocks * per_block);
  }
  DMDestroy(&dm8);
}

}  // namespace
}  // namespace nf
