#include "solvers/convolution/wave_coupling.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <numbers>

#include "solvers/convolution/fft_convolution.h"
#include "solvers/convolution/firing.h"

namespace nf {
namespace {

// Cell-average weight of a source cell dd cells upstream (dd >= 0) in the one-sided
// exponential convolution q = int_0^inf (1/s) e^{-z/s} f(x - z) dz, cells of r = h/s:
//   W(0) = 1 - (1 - e^{-r})/r,   W(dd >= 1) = (1 - e^{-r})(e^r - 1) e^{-dd r} / r;
// on a period of n cells (period > 0), plus the images dd + m n, m >= 1.
double one_sided_weight(long dd, double r, long period) {
  if (dd < 0) return 0;
  const double c = -std::expm1(-r) * std::expm1(r) / r;
  double w = dd == 0 ? 1 + std::expm1(-r) / r : c * std::exp(-static_cast<double>(dd) * r);
  if (period > 0) {
    const double images = std::exp(-static_cast<double>(period) * r);
    w += c * std::exp(-static_cast<double>(dd) * r) * images / (1 - images);
  }
  return w;
}

// The semi-discrete symbol of d_t q = -v d_x q with the face values of wave_coupling.h,
// per v/h: z(theta) = -(1 - e^{-i theta})(5 + 2 e^{i theta} - e^{-i theta})/6.
std::complex<double> upwind_symbol(double theta) {
  const std::complex<double> e = std::polar(1.0, theta);
  return -(1.0 - 1.0 / e) * (5.0 + 2.0 * e - 1.0 / e) / 6.0;
}

// |R(nu z(theta))| <= 1 at every theta, R the Taylor polynomial of e^z to `order`.
bool stable(int order, double courant) {
  constexpr int kSamples = 2000;
  for (int k = 1; k <= kSamples; ++k) {
    const std::complex<double> z = courant * upwind_symbol(std::numbers::pi * k / kSamples);
    std::complex<double> term = 1, sum = 1;
    for (int p = 1; p <= order; ++p) sum += (term *= z / static_cast<double>(p));
    if (std::abs(sum) > 1 + 1e-12) return false;
  }
  return true;
}

// a (1) and s (m) of an exponential kernel, or WaveUnsupported.
std::pair<double, double> exponential_form(const Coupling& c) {
  const auto s = c.kernel ? c.kernel->exponential_length() : std::nullopt;
  if (!s)
    throw WaveUnsupported("coupling " + c.name + ": the wave method takes only the exponential kernel "
                          "(a/2s) exp(-|x|/s), not " + (c.kernel ? c.kernel->describe() : std::string("none")));
  return {c.kernel->integral(), *s};
}

}  // namespace

GridSpec with_wave_fields(GridSpec g, const std::vector<Coupling>& couplings) {
  const auto waves = std::count_if(couplings.begin(), couplings.end(), is_wave);
  for (const Coupling& c : couplings) {
    if (!is_wave(c)) continue;
    const std::string suffix = waves > 1 ? "_" + c.name : "";
    const bool line = g.cells.size() == 1;
    g.component_names.push_back((line ? "psi_R" : "phi") + suffix);
    g.component_names.push_back((line ? "psi_L" : "chi") + suffix);
  }
  if (waves > 0) g.stencil_width = std::max<PetscInt>(g.stencil_width, 2);
  return g;
}

double telegraph_courant_bound(int order, const std::vector<double>& h, double gamma, double v) {
  double top = 0;
  for (double ha : h) top += 4 / (ha * ha);
  const double hmin = *std::min_element(h.begin(), h.end());
  const auto stable_at = [&](double courant) {
    const double dt = courant * hmin / v;
    constexpr int kSamples = 2000;
    for (int k = 0; k <= kSamples; ++k) {
      const std::complex<double> root = std::sqrt(std::complex<double>(gamma * gamma - v * v * top * k / kSamples));
      for (const std::complex<double> lambda : {-gamma + root, -gamma - root}) {
        const std::complex<double> z = dt * lambda;
        std::complex<double> term = 1, sum = 1;
        for (int p = 1; p <= std::min(order, 5); ++p) sum += (term *= z / static_cast<double>(p));
        if (std::abs(sum) > 1 + 1e-12) return false;
      }
    }
    return true;
  };
  double lo = 0, hi = 4;
  for (int it = 0; it < 60; ++it) {
    const double mid = 0.5 * (lo + hi);
    (stable_at(mid) ? lo : hi) = mid;
  }
  return lo;
}

double WaveCouplings::courant_bound(int order) const {
  double bound = 1e300;
  for (const Field& field : fields_)
    bound = std::min(bound, grid_.dimension() == 1 ? wave_courant_bound(order)
                                                   : telegraph_courant_bound(order, grid_.spec().spacing,
                                                                             field.coupling.velocity / field.sigma,
                                                                             field.coupling.velocity));
  return bound;
}

double wave_courant_bound(int order) {
  if (order <= 1) return 0;
  double lo = 0, hi = 4;
  for (int it = 0; it < 60; ++it) {
    const double mid = 0.5 * (lo + hi);
    (stable(std::min(order, 5), mid) ? lo : hi) = mid;
  }
  return lo;
}

WaveCouplings::WaveCouplings(const Grid& grid, const std::vector<Coupling>& couplings, int first_component)
    : grid_(grid) {
  int next = first_component;
  for (const Coupling& c : couplings) {
    if (!is_wave(c)) continue;
    if (grid.dimension() > 2)
      throw WaveUnsupported("coupling " + c.name + ": the wave method takes a line (exact) or a plane (the "
                            "telegraph equation); this grid has 3 dimensions");
    const auto [a, s] = exponential_form(c);
    if (grid.spec().stencil_width < 2 || grid.spec().component_names.size() < static_cast<std::size_t>(next + 2))
      throw std::invalid_argument("coupling " + c.name + ": the grid lacks the wave fields (with_wave_fields)");
    fields_.push_back({c, next, next + 1, a, s});
    next += 2;
    for (double h : grid.spec().spacing) courant_rate_ = std::max(courant_rate_, c.velocity / h);
  }
  const Patch& p = grid.patch();
  const auto owned = static_cast<std::size_t>(p.count[0] * p.count[1] * p.count[2]);
  source_.assign(owned, 0.0);
  moments_.assign(static_cast<std::size_t>(grid.dimension()), std::vector<double>(owned, 0.0));
  for (auto& m : moments_) moment_arrays_.push_back(m.data());
}

void WaveCouplings::fill(const Field& field, const double* u) {
  const Firing& f = field.coupling.firing;
  fill_source(grid_.patch(), grid_.spec().spacing, u, field.coupling.source_component, f, source_.data(),
              has_moments(f) ? std::span<double* const>(moment_arrays_) : std::span<double* const>());
}

// Along the line, for each direction d = +1 (psi_R) and -1 (psi_L): with face values
// q_{j+d/2} = (-q_{j-d} + 5 q_j + 2 q_{j+d})/6 (upwind cell j),
//   dq_i/dt = -(v/h)(q_{i+d/2} - q_{i-d/2}) + gamma (F_i - q_i).
// Bounded: the inflow face is 0; beyond the inflow end q = -q_end (odd about the face
// value 0), beyond the outflow end linear extrapolation.
void WaveCouplings::transport(const Field& field, const double* u, double* f, double* input) const {
  const Patch& p = grid_.patch();
  const PetscInt n = p.global[0];
  const bool bounded = grid_.spec().boundary[0] == Boundary::bounded;
  const double h = grid_.spec().spacing[0];
  const double v = field.coupling.velocity, rate = v / h, gamma = v / field.sigma;
  const double half = 0.5 * field.amplitude;
  for (const int d : {1, -1}) {
    const int c = d > 0 ? field.right : field.left;
    const PetscInt inflow = d > 0 ? 0 : n - 1, outflow = d > 0 ? n - 1 : 0;
    const auto q = [&](PetscInt j) { return u[p.ghosted(j, 0, 0, c)]; };
    const auto value = [&](PetscInt j) {
      if (bounded && j == inflow - d) return -q(inflow);
      if (bounded && j == outflow + d) return 2 * q(outflow) - q(outflow - d);
      return q(j);
    };
    const auto face = [&](PetscInt j) {  // between j and j + d
      if (bounded && j == inflow - d) return 0.0;
      return (-value(j - d) + 5 * value(j) + 2 * value(j + d)) / 6;
    };
    PetscInt o = 0;
    for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i, ++o) {
      const double qi = q(i);
      f[p.owned(i, 0, 0, c)] = -rate * (face(i) - face(i - d)) + gamma * (source_[static_cast<std::size_t>(o)] - qi);
      input[o] += half * (qi - (value(i + 1) - 2 * qi + value(i - 1)) / 24);
    }
  }
}

void WaveCouplings::evaluate(const double* u, double* f, std::span<double* const> inputs) {
  for (const Field& field : fields_) {
    fill(field, u);
    double* input = inputs[static_cast<std::size_t>(field.coupling.target)];
    if (grid_.dimension() == 1)
      transport(field, u, f, input);
    else
      telegraph(field, u, f, input);
  }
}

// With chi = phi_t - gamma F (no time derivative of F needed):
//   phi_t = chi + gamma F,   chi_t = -2 gamma chi - gamma^2 (phi + F) + v^2 lap_h phi,
// the 5-point Laplacian; beyond a bounded edge phi = e^{-h/s} phi_edge.
void WaveCouplings::telegraph(const Field& field, const double* u, double* f, double* input) const {
  const Patch& p = grid_.patch();
  const GridSpec& g = grid_.spec();
  const double v = field.coupling.velocity, gamma = v / field.sigma;
  const int phi = field.right, chi = field.left;
  std::array<double, 2> inv_h2{}, edge{};
  std::array<bool, 2> bounded{};
  for (int a = 0; a < 2; ++a) {
    inv_h2[a] = v * v / (g.spacing[a] * g.spacing[a]);
    edge[a] = std::exp(-g.spacing[a] / field.sigma);
    bounded[a] = g.boundary[a] == Boundary::bounded;
  }
  const auto at = [&](PetscInt i, PetscInt j, PetscInt ci, PetscInt cj) {  // the neighbour (i, j) of (ci, cj)
    const bool out_x = bounded[0] && (i < 0 || i >= p.global[0]), out_y = bounded[1] && (j < 0 || j >= p.global[1]);
    if (out_x || out_y) return (out_x ? edge[0] : edge[1]) * u[p.ghosted(ci, cj, 0, phi)];
    return u[p.ghosted(i, j, 0, phi)];
  };
  PetscInt o = 0;
  for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
    for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i, ++o) {
      const double q = u[p.ghosted(i, j, 0, phi)], x = u[p.ghosted(i, j, 0, chi)];
      const double lap = inv_h2[0] * (at(i - 1, j, i, j) - 2 * q + at(i + 1, j, i, j)) +
                         inv_h2[1] * (at(i, j - 1, i, j) - 2 * q + at(i, j + 1, i, j));
      const double src = source_[static_cast<std::size_t>(o)];
      f[p.owned(i, j, 0, phi)] = x + gamma * src;
      f[p.owned(i, j, 0, chi)] = -gamma * gamma * (src + q) - 2 * gamma * x + lap;
      input[o] += field.amplitude * q;
    }
}

void WaveCouplings::zero_rates(double* f) const {
  const Patch& p = grid_.patch();
  for (const Field& field : fields_)
    for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
      for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
        for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i) {
          f[p.owned(i, j, k, field.right)] = 0;
          f[p.owned(i, j, k, field.left)] = 0;
        }
}

// At rest: phi_t = 0 (chi = -gamma F) and (1 - s^2 lap_h) phi = F, by FFT: the spectrum of the stencil
// D, of the identity I (the transform's scale c: I = c, D = c D(k)), and of the
// inverse c / D(k) = I^2 / D. Exact on periodic axes; on bounded ones the zero-padded
// transform takes free space beyond the edge, where the run takes phi_ghost =
// e^{-h/s} phi_edge, so the edges start slightly out of rest.
void WaveCouplings::initialise_telegraph(const Field& field, double* u) {
  FftConvolution fft(grid_);
  const GridSpec& g = grid_.spec();
  const double s2 = field.sigma * field.sigma;
  const auto identity = fft.weights_spectrum([](long ox, long oy, long) { return ox == 0 && oy == 0 ? 1.0 : 0.0; });
  auto inverse = fft.weights_spectrum([&](long ox, long oy, long) {
    const double ax = s2 / (g.spacing[0] * g.spacing[0]), ay = s2 / (g.spacing[1] * g.spacing[1]);
    if (ox == 0 && oy == 0) return 1 + 2 * ax + 2 * ay;
    if (oy == 0 && std::abs(ox) == 1) return -ax;
    if (ox == 0 && std::abs(oy) == 1) return -ay;
    return 0.0;
  });
  for (std::size_t k = 0; k < inverse.size(); ++k) inverse[k] = identity[k] * identity[k] / inverse[k];
  std::vector<double> out(source_.size());
  fft.convolve(inverse, source_.data(), out.data());
  const Patch& p = grid_.patch();
  std::size_t o = 0;
  for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
    for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i, ++o) {
      u[p.owned(i, j, 0, field.right)] = out[o];
      u[p.owned(i, j, 0, field.left)] = -(field.coupling.velocity / field.sigma) * source_[o];
    }
}

void WaveCouplings::initialise(const double* u_ghosted, double* u) {
  if (fields_.empty()) return;
  FftConvolution fft(grid_);
  const Patch& p = grid_.patch();
  const long n = static_cast<long>(p.global[0]);
  const long period = grid_.spec().boundary[0] == Boundary::periodic ? n : 0;
  std::vector<double> out(source_.size());
  for (const Field& field : fields_) {
    fill(field, u_ghosted);
    if (grid_.dimension() == 2) {
      initialise_telegraph(field, u);
      continue;
    }
    const double r = grid_.spec().spacing[0] / field.sigma;
    for (const int d : {1, -1}) {
      // o: the source cell's offset from the target (cells); it lies -d o cells upstream.
      const auto weights = fft.weights_spectrum([&](long o, long, long) {
        const long dd = period > 0 ? ((-d * o) % period + period) % period : -d * o;
        return one_sided_weight(dd, r, period);
      });
      fft.convolve(weights, source_.data(), out.data());
      const int c = d > 0 ? field.right : field.left;
      for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i)
        u[p.owned(i, 0, 0, c)] = out[static_cast<std::size_t>(i - p.start[0])];
    }
  }
}

}  // namespace nf
