// W(d) = int over the cell of w(|y|) dy by tensor Gauss-Legendre quadrature.
//
// Away from the origin w(|y|) is analytic in each coordinate except where
// |y|^2 = 0 in complex coordinates, at complex distance >= R (the cell's distance from
// the origin) from the cell. Along an axis of half-width b the n-point rule then
// converges like rho^{-2n}, rho = R/b + sqrt(1 + (R/b)^2) (Bernstein ellipse; Trefethen,
// Approximation Theory and Approximation Practice, ch. 19), which sets n per axis for
// an error ~1e-13. The kernel's own variation across the cell sets another bound: where
// w keeps its sign, mu = |ln(w(r_near)/w(r_far))| over the cell's nearest and farthest
// distances makes it locally like e^{-mu t} on t in [0, 1], whose n-point error is
// mu^{2n+1} (n!)^4 / ((2n+1) ((2n)!)^3 (1 - e^{-mu})) relative (A&S 25.4.30); n is the
// least that brings it below 1e-13, and at least kSmoothPoints = 6.
// Cells beyond the kernel's reach hold less than 1e-12 of the peak weight and take a
// 2-point rule (accurate there to a few per cent of their weight, ~1e-14 of the peak).
// A cell whose closure holds the origin (where w may have a cusp, |y| has a conical
// point) is split at the origin into boxes with a corner there; each box is the union
// of d pyramids with apex at the origin, and the Duffy map y = u (A_1 t_1, .., A_j,
// .., A_d t_d) (Jacobian u^{d-1} prod A) turns each into an analytic integrand in (u, t).
#include <algorithm>
#include <cmath>

#include "solvers/convolution/fft_convolution.h"
#include "solvers/convolution/gauss_legendre.h"

namespace nf {
namespace {

constexpr int kSmoothPoints = 6;
constexpr int kBeyondReachPoints = 2;
constexpr int kMaxPoints = 20;
constexpr int kOriginPoints = 20;
constexpr double kLogTarget = 29.9;  // -ln(1e-13)

// Relative n-point error for e^{-mu t} on [0, 1], as above.
double exponential_rule_error(int n, double mu) {
  double c = std::pow(mu, 2 * n + 1) / ((2 * n + 1) * (mu > 1e-3 ? -std::expm1(-mu) : mu));
  for (int k = 1; k <= n; ++k) c *= k / std::pow(n + k, 3);  // (n!)^4 / ((2n)!)^3 = prod_k k / (n + k)^3
  return c;
}

int points_for_variation(const Kernel& w, double near, double far) {
  const double w_near = w.value(near), w_far = w.value(far);
  if (!(w_near * w_far > 0)) return kSmoothPoints;  // a sign change: the distance rule decides
  const double mu = std::abs(std::log(w_near / w_far));
  int n = kSmoothPoints;
  while (n < kMaxPoints && exponential_rule_error(n, mu) > 1e-13) ++n;
  return n;
}

int points_for_distance(double distance, double half_width) {
  const double x = distance / half_width;
  const double rho = x + std::sqrt(1 + x * x);
  const int n = static_cast<int>(std::ceil(kLogTarget / (2 * std::log(rho))));
  return std::clamp(n, kSmoothPoints, kMaxPoints);
}

// Nodes (positions, m) and weights (m) of one axis: the rule on [lo, lo + length].
struct AxisRule {
  int n = 1;
  std::array<double, kMaxGaussPoints> x{}, w{};
};

AxisRule axis_rule(int n, double lo, double length) {
  AxisRule a;
  a.n = n;
  const QuadratureRule& r = gauss_legendre(n);
  for (int i = 0; i < n; ++i) {
    a.x[i] = lo + length * r.node[i];
    a.w[i] = length * r.weight[i];
  }
  return a;
}

AxisRule unused_axis() {
  AxisRule a;
  a.w[0] = 1;
  return a;
}

double tensor_sum(const Kernel& w, const std::array<AxisRule, 3>& ax) {
  double sum = 0;
  for (int k = 0; k < ax[2].n; ++k)
    for (int j = 0; j < ax[1].n; ++j) {
      const double yz2 = ax[1].x[j] * ax[1].x[j] + ax[2].x[k] * ax[2].x[k];
      const double wjk = ax[1].w[j] * ax[2].w[k];
      double row = 0;
      for (int i = 0; i < ax[0].n; ++i) row += ax[0].w[i] * w.value(std::sqrt(ax[0].x[i] * ax[0].x[i] + yz2));
      sum += wjk * row;
    }
  return sum;
}

// int over [0, A_1] x .. x [0, A_d] of w(|y|), as d Duffy-mapped pyramids.
double corner_box(const Kernel& w, int d, const std::array<double, 3>& A) {
  const QuadratureRule& r = gauss_legendre(kOriginPoints);
  const AxisRule unit = axis_rule(kOriginPoints, 0, 1);
  double volume = 1;
  for (int a = 0; a < d; ++a) volume *= A[a];
  double sum = 0;
  for (int j = 0; j < d; ++j) {
    // The other axes' t in [0, 1]; unused ones one node at 0.
    std::array<const AxisRule*, 2> t{};
    std::array<int, 2> axis{};
    const AxisRule none = unused_axis();
    for (int a = 0, m = 0; a < 3 && m < 2; ++a)
      if (a != j) {
        axis[m] = a;
        t[m++] = a < d ? &unit : &none;
      }
    for (int p = 0; p < t[0]->n; ++p)
      for (int q = 0; q < t[1]->n; ++q) {
        const double c0 = A[axis[0]] * t[0]->x[p], c1 = A[axis[1]] * t[1]->x[q];
        const double rho = std::sqrt(A[j] * A[j] + c0 * c0 + c1 * c1);
        double radial = 0;
        for (int i = 0; i < kOriginPoints; ++i) {
          const double u = r.node[i];
          radial += r.weight[i] * std::pow(u, d - 1) * w.value(u * rho);
        }
        sum += t[0]->w[p] * t[1]->w[q] * radial;
      }
  }
  return volume * sum;
}

double cell_holding_origin(const Kernel& w, int d, const std::array<double, 3>& c, const std::array<double, 3>& h) {
  // Per axis the (one or two) lengths on either side of the origin.
  std::array<std::array<double, 2>, 3> side{};
  std::array<int, 3> pieces{1, 1, 1};
  for (int a = 0; a < d; ++a) {
    const double below = h[a] / 2 - c[a], above = h[a] / 2 + c[a];  // |lo| and hi
    pieces[a] = 0;
    for (double len : {below, above})
      if (len > 0) side[a][pieces[a]++] = len;
  }
  double sum = 0;
  for (int i = 0; i < pieces[0]; ++i)
    for (int j = 0; j < pieces[1]; ++j)
      for (int k = 0; k < pieces[2]; ++k) sum += corner_box(w, d, {side[0][i], side[1][j], side[2][k]});
  return sum;
}

}  // namespace

double cell_weight(const Kernel& w, const std::array<double, 3>& offset, const std::array<double, 3>& h) {
  const int d = w.dimension();
  double gap2 = 0, far2 = 0;
  bool holds_origin = true;
  for (int a = 0; a < d; ++a) {
    const double gap = std::abs(offset[a]) - h[a] / 2, far = std::abs(offset[a]) + h[a] / 2;
    holds_origin = holds_origin && gap <= 0;
    gap2 += gap > 0 ? gap * gap : 0;
    far2 += far * far;
  }
  if (holds_origin) return cell_holding_origin(w, d, offset, h);
  const double distance = std::sqrt(gap2);
  const bool beyond_reach = distance > w.reach();
  const int variation = beyond_reach ? 0 : points_for_variation(w, distance, std::sqrt(far2));
  std::array<AxisRule, 3> ax{unused_axis(), unused_axis(), unused_axis()};
  for (int a = 0; a < d; ++a) {
    const int n =
        beyond_reach ? kBeyondReachPoints : std::max(variation, points_for_distance(distance, h[a] / 2));
    ax[a] = axis_rule(n, offset[a] - h[a] / 2, h[a]);
  }
  return tensor_sum(w, ax);
}

}  // namespace nf
