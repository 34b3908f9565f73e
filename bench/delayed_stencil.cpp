#include "bench/delayed_stencil.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "base/petsc_error.h"

namespace nf::bench {
namespace {

// One row of owned cells i0 <= i < i1 (global x indices) on a line of nx cells.
// u, v: ghosted arrays at cell i0 (v = u(t - tau), or u itself); out: owned array at
// i0. cx = D/hx^2, cy = D/hy^2 (1/s); down/up: offsets of the y neighbours in u, with
// sign -1 and offset 0 at a wall (odd reflection).
struct Row {
  const PetscScalar* u;
  const PetscScalar* v;
  PetscScalar* out;
  double cx, cy, a;
  PetscInt down, up;
  double down_sign, up_sign;
};

template <Response S>
inline double response(double v) {
  if constexpr (S == Response::sigmoid) return 1 / (1 + std::exp(-v));
  return v;
}

template <int Dim, Response S>
inline double cell(const Row& r, PetscInt m, double left, double right) {
  const double c = r.u[m];
  double lap = r.cx * (left - 2 * c + right);
  if constexpr (Dim == 2) lap += r.cy * (r.down_sign * r.u[m + r.down] - 2 * c + r.up_sign * r.u[m + r.up]);
  return lap - r.a * response<S>(r.v[m]);
}

// The walls at x = 0 and x = nx are the only branches; the interior loop vectorises.
template <int Dim, Response S>
void row(const Row& r, PetscInt i0, PetscInt i1, PetscInt nx) {
  const PetscInt count = i1 - i0, lo = i0 == 0 ? 1 : 0, hi = i1 == nx ? count - 1 : count;
  if (lo == 1) r.out[0] = cell<Dim, S>(r, 0, -r.u[0], count == 1 && i1 == nx ? -r.u[0] : r.u[1]);
  for (PetscInt m = lo; m < hi; ++m) r.out[m] = cell<Dim, S>(r, m, r.u[m - 1], r.u[m + 1]);
  if (hi < count && hi >= lo) r.out[hi] = cell<Dim, S>(r, hi, r.u[hi - 1], -r.u[hi]);
}

template <int Dim>
void row(const Row& r, PetscInt i0, PetscInt i1, PetscInt nx, Response s) {
  if (s == Response::sigmoid) row<Dim, Response::sigmoid>(r, i0, i1, nx);
  else row<Dim, Response::linear>(r, i0, i1, nx);
}

double profile(PetscInt i, PetscInt n) {
  return std::sin(std::numbers::pi * (static_cast<double>(i) + 0.5) / static_cast<double>(n));
}

}  // namespace

DelayedStencil::DelayedStencil(const Grid& grid, const StencilParams& params) : grid_(grid), params_(params) {
  const GridSpec& s = grid_.spec();
  if (grid_.dimension() > 2 || grid_.dof() != 1 || s.stencil_width < 1)
    throw std::invalid_argument("DelayedStencil needs a 1D or 2D grid with one component and stencil width >= 1");
  for (Boundary b : s.boundary)
    if (b != Boundary::bounded) throw std::invalid_argument("DelayedStencil needs bounded axes");
  if (!(params_.lag >= 0)) throw std::invalid_argument("DelayedStencil needs lag >= 0");
  if (params_.lag > 0) lags_ = {params_.lag};
  check_petsc(DMCreateGlobalVector(grid_.dm(), &u0_));
  const Patch& p = grid_.patch();
  PetscScalar* a = nullptr;
  check_petsc(VecGetArray(u0_, &a));
  for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
    for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i)
      a[p.owned(i, j)] = profile(i, p.global[0]) * (grid_.dimension() == 2 ? profile(j, p.global[1]) : 1.0);
  check_petsc(VecRestoreArray(u0_, &a));
}

DelayedStencil::~DelayedStencil() { VecDestroy(&u0_); }

void DelayedStencil::history_before_start(double, Vec u) const { check_petsc(VecCopy(u0_, u)); }

PetscErrorCode DelayedStencil::rhs(double, Vec u_local, std::span<const Vec> delayed_local, Vec f,
                                   RhsPart part) const {
  PetscFunctionBeginUser;
  const Patch& p = grid_.patch();
  const auto& h = grid_.spec().spacing;
  const bool two_d = grid_.dimension() == 2;
  const bool stiff = part != RhsPart::nonstiff, explicit_terms = part != RhsPart::stiff;
  const bool delayed = explicit_terms && !lags_.empty();
  PetscCheck(!delayed || delayed_local.size() == 1, PETSC_COMM_SELF, PETSC_ERR_ARG_SIZ,
             "DelayedStencil expects one delayed state, got %zu", delayed_local.size());
  const PetscScalar *u = nullptr, *v = nullptr;
  PetscScalar* out = nullptr;
  PetscCall(VecGetArrayRead(u_local, &u));
  if (delayed) PetscCall(VecGetArrayRead(delayed_local[0], &v));
  PetscCall(VecGetArray(f, &out));
  Row r{};
  r.cx = stiff ? params_.diffusivity / (h[0] * h[0]) : 0.0;
  r.cy = stiff && two_d ? params_.diffusivity / (h[1] * h[1]) : 0.0;
  r.a = explicit_terms ? params_.coupling : 0.0;
  const PetscInt i0 = p.start[0], i1 = p.start[0] + p.count[0], ny = p.global[1];
  for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j) {
    const PetscInt g = p.ghosted(i0, j);
    r.u = u + g;
    r.v = (delayed ? v : u) + g;
    r.out = out + p.owned(i0, j);
    r.down = j == 0 ? 0 : p.ghosted(i0, j - 1) - g;
    r.up = j == ny - 1 ? 0 : p.ghosted(i0, j + 1) - g;
    r.down_sign = j == 0 ? -1.0 : 1.0;
    r.up_sign = j == ny - 1 ? -1.0 : 1.0;
    if (two_d) row<2>(r, i0, i1, p.global[0], params_.response);
    else row<1>(r, i0, i1, p.global[0], params_.response);
  }
  PetscCall(VecRestoreArray(f, &out));
  if (delayed) PetscCall(VecRestoreArrayRead(delayed_local[0], &v));
  PetscCall(VecRestoreArrayRead(u_local, &u));
  PetscFunctionReturn(0);
}

}  // namespace nf::bench
