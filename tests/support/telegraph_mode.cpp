#include "tests/support/telegraph_mode.h"

#include <cmath>
#include <numbers>

#include "base/petsc_error.h"

namespace nf::test {
namespace {

constexpr double kLength = 0.5;                        // m
constexpr double kRange = 0.086;                       // m: s = r
constexpr double kVelocity = 116 * kRange;             // m/s: gamma = 116 /s
constexpr double kGamma = kVelocity / kRange;          // 1/s
constexpr double kWave = 2 * std::numbers::pi / kLength;  // rad/m

std::vector<Coupling> couplings(int dimension) {
  ParamValues p = defaults_of(find_kernel_type("exponential")->params);
  p.set("sigma", kRange);
  Coupling c;
  c.name = "w";
  c.firing = {FiringKind::linear, 0, 1};
  c.kernel = find_kernel_type("exponential")->make(p, dimension);
  c.velocity = kVelocity;
  c.delay_method = DelayMethod::wave;
  return {c};
}

GridSpec spec(PetscInt cells, PetscInt rows) {
  GridSpec g;
  g.cells = {cells};
  if (rows > 0) g.cells.push_back(rows);
  g.boundary.assign(g.cells.size(), Boundary::periodic);
  g.spacing.assign(g.cells.size(), kLength / static_cast<double>(cells));
  g.component_names = {"u"};
  return with_wave_fields(g, couplings(static_cast<int>(g.cells.size())));
}

double x_of(PetscInt i, double h) { return (static_cast<double>(i) + 0.5) * h; }

}  // namespace

TelegraphMode::TelegraphMode(MPI_Comm comm, PetscInt cells, PetscInt rows)
    : grid_(comm, spec(cells, rows)), waves_(grid_, couplings(grid_.dimension()), 1) {
  input_.assign(static_cast<std::size_t>(grid_.patch().count[0] * grid_.patch().count[1]), 0.0);
}

double TelegraphMode::factor(double t) {
  const double w = kVelocity * kWave;
  return std::exp(-kGamma * t) * (std::cos(w * t) + kGamma / w * std::sin(w * t));
}

// Cell averages: the mean of cos(k x + c) over a cell of width h is sinc(k h/2) times
// its centre value.
void TelegraphMode::exact(double t, Vec u) const {
  const Patch& p = grid_.patch();
  const double h = grid_.spec().spacing[0], b = -kGamma / (kVelocity * kWave);
  const double mean = std::sin(kWave * h / 2) / (kWave * h / 2), decay = std::exp(-kGamma * t);
  PetscScalar* a = nullptr;
  check_petsc(VecGetArray(u, &a));
  const bool line = grid_.dimension() == 1;
  const double w = kVelocity * kWave;
  for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
    for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i) {
      const double x = x_of(i, h), right = kWave * (x - kVelocity * t), left = kWave * (x + kVelocity * t);
      a[p.owned(i, j, 0, 0)] = 0;
      if (line) {
        a[p.owned(i, j, 0, 1)] = decay * mean * (std::cos(right) + b * std::sin(right));
        a[p.owned(i, j, 0, 2)] = decay * mean * (std::cos(left) - b * std::sin(left));
      } else {  // phi_t = -e^{-gamma t} (gamma^2/(v k) + v k) sin(v k t) cos kx
        a[p.owned(i, j, 0, 1)] = factor(t) * std::cos(kWave * x);
        a[p.owned(i, j, 0, 2)] = -decay * (kGamma * kGamma / w + w) * std::sin(w * t) * std::cos(kWave * x);
      }
    }
  check_petsc(VecRestoreArray(u, &a));
}

double TelegraphMode::max_error(double t, Vec u) const {
  Vec local = nullptr, f = nullptr;
  check_petsc(DMGetLocalVector(grid_.dm(), &local));
  check_petsc(DMGetGlobalVector(grid_.dm(), &f));
  check_petsc(DMGlobalToLocalBegin(grid_.dm(), u, INSERT_VALUES, local));
  check_petsc(DMGlobalToLocalEnd(grid_.dm(), u, INSERT_VALUES, local));
  const PetscScalar* ul = nullptr;
  PetscScalar* fa = nullptr;
  check_petsc(VecGetArrayRead(local, &ul));
  check_petsc(VecGetArray(f, &fa));
  std::fill(input_.begin(), input_.end(), 0.0);
  double* inputs[] = {input_.data()};
  waves_.evaluate(ul, fa, inputs);  // input = (a/2)(psi_R + psi_L), a = 1
  check_petsc(VecRestoreArray(f, &fa));
  check_petsc(VecRestoreArrayRead(local, &ul));
  check_petsc(DMRestoreGlobalVector(grid_.dm(), &f));
  check_petsc(DMRestoreLocalVector(grid_.dm(), &local));
  const Patch& p = grid_.patch();
  const double h = grid_.spec().spacing[0];
  double err = 0;
  std::size_t o = 0;
  for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
    for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i, ++o)
      err = std::max(err, std::abs(input_[o] - factor(t) * std::cos(kWave * x_of(i, h))));
  MPI_Allreduce(MPI_IN_PLACE, &err, 1, MPI_DOUBLE, MPI_MAX, grid_.comm());
  return err;
}

PetscErrorCode TelegraphMode::rhs(double, Vec u_local, std::span<const Vec>, Vec f, RhsPart) const {
  PetscFunctionBeginUser;
  const Patch& p = grid_.patch();
  const PetscScalar* u = nullptr;
  PetscScalar* out = nullptr;
  PetscCall(VecGetArrayRead(u_local, &u));
  PetscCall(VecGetArray(f, &out));
  std::fill(input_.begin(), input_.end(), 0.0);
  double* inputs[] = {input_.data()};
  PetscCallCXX(waves_.evaluate(u, out, inputs));
  for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
    for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i) out[p.owned(i, j, 0, 0)] = 0;
  PetscCall(VecRestoreArray(f, &out));
  PetscCall(VecRestoreArrayRead(u_local, &u));
  PetscFunctionReturn(0);
}

}  // namespace nf::test
