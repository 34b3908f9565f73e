#include "tests/support/delayed_field.h"

#include <cmath>
#include <numbers>

#include "base/petsc_error.h"

namespace nf::test {
namespace {

constexpr double kLength = 12 * std::numbers::pi;  // m: k L/2 = 6 pi, m = 6
constexpr double kSigma = 1;                       // m
constexpr double kWave = 1;                        // rad/m
constexpr double kRate = -0.2;                     // 1/s

GridSpec spec(PetscInt cells) {
  GridSpec g;
  g.cells = {cells};
  g.boundary = {Boundary::periodic};
  g.spacing = {kLength / static_cast<double>(cells)};
  g.component_names = {"u"};
  return g;
}

std::vector<Coupling> coupling(double velocity, int rings) {
  ParamValues p = defaults_of(find_kernel_type("exponential")->params);
  Coupling c;
  c.name = "w";
  c.firing = {FiringKind::linear, 0, 1};
  c.kernel = find_kernel_type("exponential")->make(p, 1);
  c.velocity = velocity;
  c.rings = rings;
  return {c};
}

double x_of(PetscInt i, double h) { return (static_cast<double>(i) + 0.5) * h; }

}  // namespace

DelayedField::DelayedField(MPI_Comm comm, PetscInt cells, double velocity, int rings)
    : grid_(comm, spec(cells)), couplings_(grid_, coupling(velocity, rings)) {
  const double b = 1 / kSigma + kRate / velocity;
  const double k_hat = (1 / kSigma) * b * (1 - std::exp(-b * kLength / 2)) / (b * b + kWave * kWave);
  forcing_factor_ = 1 + kRate - k_hat;
  input_.assign(static_cast<std::size_t>(grid_.patch().count[0]), 0.0);
}

void DelayedField::exact(double t, Vec u) const {
  const Patch& p = grid_.patch();
  const double h = grid_.spec().spacing[0];
  PetscScalar* a = nullptr;
  check_petsc(VecGetArray(u, &a));
  for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i)
    a[p.owned(i)] = std::cos(kWave * x_of(i, h)) * std::exp(kRate * t);
  check_petsc(VecRestoreArray(u, &a));
}

double DelayedField::max_error(double t, Vec u) const {
  Vec e = nullptr;
  check_petsc(VecDuplicate(u, &e));
  exact(t, e);
  check_petsc(VecAXPY(e, -1.0, u));
  PetscReal norm = 0;
  check_petsc(VecNorm(e, NORM_INFINITY, &norm));
  VecDestroy(&e);
  return norm;
}

void DelayedField::make_record(double, Vec u_local, std::span<double> out) const {
  const PetscScalar* u = nullptr;
  check_petsc(VecGetArrayRead(u_local, &u));
  couplings_.make_record(u, out);
  check_petsc(VecRestoreArrayRead(u_local, &u));
}

PetscErrorCode DelayedField::rhs(double t, Vec u_local, std::span<const Vec>, Vec f, RhsPart) const {
  PetscFunctionBeginUser;
  const Patch& p = grid_.patch();
  const double h = grid_.spec().spacing[0];
  const PetscScalar* u = nullptr;
  PetscScalar* out = nullptr;
  PetscCall(VecGetArrayRead(u_local, &u));
  double* inputs[] = {input_.data()};
  PetscCallCXX(couplings_.evaluate(t, u, inputs));
  PetscCall(VecGetArray(f, &out));
  const double forcing = forcing_factor_ * std::exp(kRate * t);
  for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i) {
    const auto o = static_cast<std::size_t>(i - p.start[0]);
    out[p.owned(i)] = -u[p.ghosted(i)] + input_[o] + forcing * std::cos(kWave * x_of(i, h));
  }
  PetscCall(VecRestoreArray(f, &out));
  PetscCall(VecRestoreArrayRead(u_local, &u));
  PetscFunctionReturn(0);
}

}  // namespace nf::test
