#include "solvers/convolution/firing.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace nf {
namespace {

// Cells of a patch along axis a, as (i, j, k) global indices.
using Index = std::array<PetscInt, 3>;

bool in_ghosted(const Patch& p, const Index& c) {
  for (int a = 0; a < 3; ++a)
    if (c[a] < p.ghost_start[a] || c[a] >= p.ghost_start[a] + p.ghost_count[a]) return false;
  return true;
}

// The root in [0, 1] of the polynomial through (s, v) for s = -1, 0, 1, 2 (those with
// have[]), with v(0) and v(1) of opposite signs: the level crossing between two cell
// centres, in units of the spacing. Bisection-safeguarded Newton on the Lagrange form.
double crossing(const std::array<double, 4>& v, const std::array<bool, 4>& have) {
  std::array<double, 4> s{-1, 0, 1, 2};
  std::array<double, 4> x{}, y{};
  int n = 0;
  for (int k = 0; k < 4; ++k)
    if (have[k]) x[n] = s[k], y[n++] = v[k];
  const auto poly = [&](double t, double& dp) {
    double p = 0;
    dp = 0;
    for (int i = 0; i < n; ++i) {
      double li = 1, dli = 0;
      for (int j = 0; j < n; ++j) {
        if (j == i) continue;
        const double q = (t - x[j]) / (x[i] - x[j]);
        dli = dli * q + li / (x[i] - x[j]);
        li *= q;
      }
      p += y[i] * li;
      dp += y[i] * dli;
    }
    return p;
  };
  double lo = 0, hi = 1, flo = v[1];
  if (v[1] == v[2]) return 0.5;
  double t = v[1] / (v[1] - v[2]);
  for (int it = 0; it < 40; ++it) {
    double dp = 0;
    const double p = poly(t, dp);
    if (p == 0) return t;
    if ((p > 0) == (flo > 0)) lo = t, flo = p; else hi = t;
    double next = dp != 0 ? t - p / dp : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::abs(next - t) < 1e-14) return next;
    t = next;
  }
  return t;
}

struct AxisPart {
  double fraction = 0;  // active length of the cell along the axis (units of h)
  double moment = 0;    // int over the active part of s ds (units of h^2)
};

// Sub-cell Heaviside along one axis of the cell at c.
AxisPart axis_part(const Patch& p, const double* u, int comp, double theta, const Index& c, int a) {
  const auto value = [&](PetscInt shift, bool& have) {
    Index n = c;
    n[a] += shift;
    have = in_ghosted(p, n);
    return have ? u[p.ghosted(n[0], n[1], n[2], comp)] - theta : 0.0;
  };
  bool here = false;
  const double v0 = value(0, here);
  const bool own = v0 >= 0;
  AxisPart part;
  // Both neighbours (where present) in the cell's state: no crossing in either half,
  // the whole cell is in that state and its moment is 0 (the loop below would agree).
  bool left = false, right = false;
  const double vl = value(-1, left), vr = value(1, right);
  if ((!left || (vl >= 0) == own) && (!right || (vr >= 0) == own)) {
    part.fraction = own ? 1.0 : 0.0;
    return part;
  }
  for (int side : {1, -1}) {
    std::array<double, 4> v{};
    std::array<bool, 4> have{};
    for (int k = 0; k < 4; ++k) v[k] = value(side * (k - 1), have[k]);
    double edge = 0.5;  // where this half changes state, from the centre (units of h)
    if (have[2] && ((v[2] >= 0) != own)) edge = std::min(0.5, crossing(v, have));
    // [0, edge] has the cell's state, [edge, 1/2] the neighbour's.
    const double a0 = own ? 0.0 : edge, a1 = own ? edge : 0.5;
    part.fraction += a1 - a0;
    part.moment += side * (a1 * a1 - a0 * a0) / 2;
  }
  return part;
}

template <typename F>
void fill_pointwise(const Patch& p, const double* u, int comp, double* out, F f) {
  for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
    for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j) {
      const double* row = u + p.ghosted(p.start[0], j, k, comp);
      double* o = out + ((k - p.start[2]) * p.count[1] + (j - p.start[1])) * p.count[0];
      for (PetscInt i = 0; i < p.count[0]; ++i) o[i] = f(row[i * p.dof]);
    }
}

void fill_subcell(const Patch& p, const std::vector<double>& h, const double* u, int comp, double theta,
                  double* fraction, std::span<double* const> moments) {
  const int dim = static_cast<int>(h.size());
  PetscInt n = 0;
  for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
    for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
      for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i, ++n) {
        const Index c{i, j, k};
        const double own = u[p.ghosted(i, j, k, comp)] >= theta ? 1.0 : 0.0;
        double f = own;
        for (int a = 0; a < dim; ++a) {
          const AxisPart part = axis_part(p, u, comp, theta, c, a);
          f += part.fraction - own;
          moments[a][n] = part.moment * h[a];
        }
        fraction[n] = std::clamp(f, 0.0, 1.0);
      }
}

}  // namespace

double fire(const Firing& f, double u) {
  switch (f.kind) {
    case FiringKind::heaviside:
    case FiringKind::heaviside_cells: return u >= f.threshold ? 1.0 : 0.0;
    case FiringKind::sigmoid: return 1.0 / (1.0 + std::exp(-f.steepness * (u - f.threshold)));
    case FiringKind::piecewise_linear: return std::clamp(0.5 + f.steepness * (u - f.threshold), 0.0, 1.0);
    case FiringKind::linear: return u;
  }
  return 0;
}

int firing_stencil_width(const Firing& f) { return f.kind == FiringKind::heaviside ? 2 : 0; }

void fill_source(const Patch& patch, const std::vector<double>& spacing, const double* u, int comp, const Firing& f,
                 double* fraction, std::span<double* const> moments) {
  switch (f.kind) {
    case FiringKind::heaviside:
      if (moments.size() != spacing.size()) throw std::invalid_argument("fill_source: one moment array per axis");
      return fill_subcell(patch, spacing, u, comp, f.threshold, fraction, moments);
    case FiringKind::heaviside_cells:
      return fill_pointwise(patch, u, comp, fraction, [t = f.threshold](double x) { return x >= t ? 1.0 : 0.0; });
    case FiringKind::sigmoid:
      return fill_pointwise(patch, u, comp, fraction, [t = f.threshold, b = f.steepness](double x) {
        return 1.0 / (1.0 + std::exp(-b * (x - t)));
      });
    case FiringKind::piecewise_linear:
      return fill_pointwise(patch, u, comp, fraction, [t = f.threshold, b = f.steepness](double x) {
        return std::clamp(0.5 + b * (x - t), 0.0, 1.0);
      });
    case FiringKind::linear: return fill_pointwise(patch, u, comp, fraction, [](double x) { return x; });
  }
}

int input_count(const std::vector<Coupling>& couplings) {
  int n = 0;
  for (const auto& c : couplings) n = std::max(n, c.target + 1);
  return n;
}

}  // namespace nf
