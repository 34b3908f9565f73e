#include "solvers/convolution/coupling_evaluator.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "solvers/convolution/firing.h"
#include "solvers/convolution/offset_weights.h"

namespace nf {
namespace {

bool same_firing(const Firing& a, const Firing& b) {
  return a.kind == b.kind && a.threshold == b.threshold && a.steepness == b.steepness;
}

// G_a(o) = -(W(o + e_a) - W(o - e_a)) / (2 h_a) (1/m): the moment kernel (firing.h),
// the cell-weight derivative by central differences; W beyond the grid's offsets
// counts as 0 (its cells pair with none).
std::vector<std::complex<double>> moment_kernel_spectrum(const FftConvolution& fft, const Kernel& w,
                                                         const GridSpec& grid, int axis) {
  std::array<long, 3> range = fft.max_offsets();
  range[static_cast<std::size_t>(axis)] += 1;
  OffsetWeights weight(w, grid, range);
  const double h = grid.spacing[static_cast<std::size_t>(axis)];
  return fft.weights_spectrum([&weight, axis, h](long ox, long oy, long oz) {
    std::array<long, 3> plus{ox, oy, oz}, minus{ox, oy, oz};
    plus[static_cast<std::size_t>(axis)] += 1;
    minus[static_cast<std::size_t>(axis)] -= 1;
    return -(weight(plus[0], plus[1], plus[2]) - weight(minus[0], minus[1], minus[2])) / (2 * h);
  });
}

void check_no_wrap(const GridSpec& g, const Coupling& c) {
  const double radius = kernel_radius(*c.kernel, kWrapTolerance);
  for (std::size_t a = 0; a < g.cells.size(); ++a) {
    const double length = static_cast<double>(g.cells[a]) * g.spacing[a];
    if (g.boundary[a] == Boundary::periodic && 2 * radius > length)
      throw KernelWrapsAround(
          "coupling " + c.name + ": the kernel " + c.kernel->describe() + " is above " + std::to_string(kWrapTolerance) +
              " of its peak out to " + std::to_string(radius) + " m, more than half the periodic axis " +
              std::string(1, "xyz"[a]) + " (" + std::to_string(length) + " m): it would wrap around",
          static_cast<int>(a), radius, length);
  }
}

}  // namespace

double kernel_radius(const Kernel& w, double relative) {
  const double reach = w.reach();
  const int n = 20000;
  double peak = 0;
  for (int i = 0; i <= n; ++i) peak = std::max(peak, std::abs(w.value(reach * i / n)));
  for (int i = n; i >= 0; --i)
    if (std::abs(w.value(reach * i / n)) > relative * peak) return reach * std::min(n, i + 1) / n;
  return 0;
}

std::size_t CouplingEvaluator::source_of(const Coupling& c) {
  for (std::size_t s = 0; s < sources_.size(); ++s)
    if (sources_[s].component == c.source_component && same_firing(sources_[s].firing, c.firing)) return s;
  const std::size_t owned = static_cast<std::size_t>(grid_.patch().count[0] * grid_.patch().count[1] *
                                                     grid_.patch().count[2]);
  Source s;
  s.component = c.source_component;
  s.firing = c.firing;
  s.fraction.assign(owned, 0.0);
  s.fraction_spectrum.assign(fft_.spectrum_size(), 0.0);
  if (has_moments(c.firing))
    for (int a = 0; a < grid_.dimension(); ++a) {
      s.moments.emplace_back(owned, 0.0);
      s.moment_spectra.emplace_back(fft_.spectrum_size(), 0.0);
    }
  for (auto& m : s.moments) s.moment_arrays.push_back(m.data());
  sources_.push_back(std::move(s));
  return sources_.size() - 1;
}

CouplingEvaluator::CouplingEvaluator(const Grid& grid, const std::vector<Coupling>& couplings)
    : grid_(grid), fft_(grid) {
  targets_.resize(static_cast<std::size_t>(nf::input_count(couplings)));
  for (const auto& c : couplings) {
    if (c.velocity != 0) throw std::invalid_argument("coupling " + c.name + ": a delayed coupling needs a delay method");
    if (!c.kernel || c.kernel->dimension() != grid.dimension())
      throw std::invalid_argument("coupling " + c.name + ": its kernel is not of the grid's dimension");
    if (grid.spec().stencil_width < firing_stencil_width(c.firing))
      throw std::invalid_argument("coupling " + c.name + ": the grid's stencil is narrower than its firing needs");
    check_no_wrap(grid.spec(), c);
    const std::size_t s = source_of(c);
    Target& t = targets_[static_cast<std::size_t>(c.target)];
    t.factors.push_back(fft_.kernel_spectrum(*c.kernel));
    t.products.push_back({t.factors.back(), sources_[s].fraction_spectrum});
    for (std::size_t a = 0; a < sources_[s].moments.size(); ++a) {
      t.factors.push_back(moment_kernel_spectrum(fft_, *c.kernel, grid.spec(), static_cast<int>(a)));
      t.products.push_back({t.factors.back(), sources_[s].moment_spectra[a]});
    }
  }
}

void CouplingEvaluator::evaluate(const double* u, std::span<double* const> inputs) {
  const Patch& p = grid_.patch();
  for (auto& s : sources_) {
    fill_source(p, grid_.spec().spacing, u, s.component, s.firing, s.fraction.data(), s.moment_arrays);
    fft_.forward(s.fraction.data(), s.fraction_spectrum);
    for (std::size_t a = 0; a < s.moments.size(); ++a) fft_.forward(s.moments[a].data(), s.moment_spectra[a]);
  }
  for (std::size_t t = 0; t < targets_.size(); ++t) fft_.inverse_of_sum(targets_[t].products, inputs[t]);
}

}  // namespace nf
