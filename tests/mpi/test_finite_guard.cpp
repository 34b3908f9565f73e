// The finite-state guard sees a value that stops being finite on any rank, at the
// step it appears, and every rank stops there with the same report: one reduction of
// (first bad index, any non-finite) serves the check and the report. A norm's MPI_MAX
// drops a NaN that arrives second (Open MPI's max(1, NaN) is 1), so a NaN on rank 1
// alone went unseen and the run ended "successfully".
//
// u_i' = -u_i(t - 0.1) on 8 uncoupled cells (u = 1 before t0), except that f of one
// cell is NaN for t > 0.5: with rk4 and dt = 0.01 the first state holding the NaN is
// that of the step ending at t = 0.51. Run on all ranks of the world and, as the
// reference, on rank 0 alone.
#include <gtest/gtest.h>
#include <petscdmda.h>

#include <cmath>
#include <limits>
#include <string>

#include "base/petsc_error.h"
#include "base/petsc_handles.h"
#include "solvers/integrators/integrator.h"

namespace nf {
namespace {

class NanAfter final : public DelaySystem {
 public:
  NanAfter(MPI_Comm comm, PetscInt bad_cell) : bad_cell_(bad_cell) {
    check_petsc(DMDACreate1d(comm, DM_BOUNDARY_NONE, 8, 1, 1, nullptr, dm_.out()));
    check_petsc(DMSetUp(dm_));
    check_petsc(DMDASetFieldName(dm_, 0, "u"));
  }
  NanAfter(const NanAfter&) = delete;
  NanAfter& operator=(const NanAfter&) = delete;

  DM dm() const override { return dm_; }
  const std::vector<double>& lags() const override { return lags_; }
  void history_before_start(double, Vec u) const override { check_petsc(VecSet(u, 1.0)); }
  PetscErrorCode rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f, RhsPart) const override {
    PetscFunctionBeginUser;
    (void)u_local;
    PetscInt start = 0, count = 0, ghost_start = 0;
    PetscCall(DMDAGetCorners(dm_, &start, nullptr, nullptr, &count, nullptr, nullptr));
    PetscCall(DMDAGetGhostCorners(dm_, &ghost_start, nullptr, nullptr, nullptr, nullptr, nullptr));
    const PetscScalar* d = nullptr;
    PetscScalar* out = nullptr;
    PetscCall(VecGetArrayRead(delayed_local[0], &d));
    PetscCall(VecGetArray(f, &out));
    for (PetscInt i = start; i < start + count; ++i)
      out[i - start] = i == bad_cell_ && t > 0.5 ? std::numeric_limits<double>::quiet_NaN() : -d[i - ghost_start];
    PetscCall(VecRestoreArray(f, &out));
    PetscCall(VecRestoreArrayRead(delayed_local[0], &d));
    PetscFunctionReturn(0);
  }

 private:
  OwnedDM dm_;
  std::vector<double> lags_{0.1};
  PetscInt bad_cell_;
};

struct Stop {
  double time = -1;  // s; -1: the run ended without a BlowUp
  std::string message;
};

Stop run(MPI_Comm comm, PetscInt bad_cell) {
  NanAfter system(comm, bad_cell);
  IntegratorSettings s;
  s.t_end = 1;
  s.dt = 0.01;
  s.method = "rk4";
  auto integrator = find_integrator_backend("petsc")->make(system, s);
  OwnedVec u;
  check_petsc(DMCreateGlobalVector(system.dm(), u.out()));
  Stop stop;
  try {
    integrator->run(u, {});
  } catch (const BlowUp& e) {
    stop = {e.time, e.what()};
  }
  return stop;
}

class FiniteGuard : public ::testing::TestWithParam<PetscInt> {};

TEST_P(FiniteGuard, NonFiniteOnAnyRankStopsEveryRankAtItsStep) {
  const PetscInt cell = GetParam();
  const Stop all = run(PETSC_COMM_WORLD, cell);
  EXPECT_NEAR(all.time, 0.51, 1e-12) << all.message;
  EXPECT_NE(all.message.find("field 'u' stopped being finite (first at cell " + std::to_string(cell) + ")"),
            std::string::npos)
      << all.message;
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  if (rank != 0) return;
  const Stop one = run(PETSC_COMM_SELF, cell);
  EXPECT_EQ(all.time, one.time);
  EXPECT_EQ(all.message, one.message);
}

// Cell 1 is on rank 0, cell 6 on the last rank (of 1 or 2).
INSTANTIATE_TEST_SUITE_P(Cells, FiniteGuard, ::testing::Values(PetscInt{1}, PetscInt{6}));

}  // namespace
}  // namespace nf
