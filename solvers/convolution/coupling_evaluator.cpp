#include "solvers/convolution/coupling_evaluator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "solvers/convolution/firing.h"
#include "solvers/convolution/offset_weights.h"
#include "solvers/history/history_memory.h"

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
  return fft.weights_spectrum(
      [&](long ox, long oy, long oz) { return moment_weight(weight, grid, axis, ox, oy, oz); });
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

// What this evaluator can do with a coupling: instantaneous, lagged or ring-delayed
// sources; a radial kernel of the grid's dimension, or cell weights without sub-cell
// firing moments (which need the radial kernel) and without rings.
void check_coupling(const Grid& grid, const Coupling& c) {
  const auto refuse = [&c](const std::string& why) { throw std::invalid_argument("coupling " + c.name + ": " + why); };
  if (c.velocity != 0 && c.delay_method != DelayMethod::rings) refuse("only delay rings are evaluated here");
  if (c.lag < 0 || (c.lag > 0 && c.velocity != 0)) refuse("a constant lag needs lag >= 0 and no conduction velocity");
  if (grid.spec().stencil_width < firing_stencil_width(c.firing))
    refuse("the grid's stencil is narrower than its firing needs");
  if (c.cell_weights) {
    if (c.velocity != 0 || has_moments(c.firing)) refuse("cell weights need velocity 0 and a firing without moments");
    return;
  }
  if (!c.kernel || c.kernel->dimension() != grid.dimension()) refuse("its kernel is not of the grid's dimension");
  check_no_wrap(grid.spec(), c);
}

// The transforms' memory before any is allocated: per rank, the padded grid's share
// (periodic axes N cells, bounded ones 2N) in FFTW's two buffers, each source's spectra
// and each coupling's kernel spectra (complex, about half the padded size each), with
// (1 + axes) spectra per source and per coupling under sub-cell firing. Collective.
const Grid& check_fft_memory(const Grid& grid, const std::vector<Coupling>& couplings) {
  double padded = 1;
  for (std::size_t a = 0; a < grid.spec().cells.size(); ++a)
    padded *= static_cast<double>(grid.spec().cells[a]) * (grid.spec().boundary[a] == Boundary::periodic ? 1 : 2);
  int ranks = 1;
  MPI_Comm_size(grid.comm(), &ranks);
  double spectra = 2;
  for (const auto& c : couplings) spectra += 2.0 * (has_moments(c.firing) ? 1 + grid.dimension() : 1);
  const double bytes = padded / ranks * 8 * spectra;
  const NodeMemory m = check_node_memory(grid.comm(), bytes);
  if (!m.fits)
    throw ConvolutionTooLarge("the couplings' transforms of the (zero-padded) grid would take " +
                                  format_bytes(m.node_bytes) + " on a node that has " +
                                  format_bytes(m.available_bytes),
                              m.node_bytes, m.available_bytes);
  return grid;
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

std::span<const std::complex<double>> CouplingEvaluator::Source::spectrum(std::size_t m) const {
  const std::size_t n = spectra.size() / (1 + moments.size());
  return {spectra.data() + m * n, n};
}

std::size_t CouplingEvaluator::source_of(const Coupling& c) {
  for (std::size_t s = 0; s < sources_.size(); ++s)
    if (sources_[s].component == c.source_component && same_firing(sources_[s].firing, c.firing) &&
        sources_[s].lag == c.lag)
      return s;
  const Patch& p = grid_.patch();
  const auto owned = static_cast<std::size_t>(p.count[0] * p.count[1] * p.count[2]);
  Source s;
  s.component = c.source_component;
  s.firing = c.firing;
  s.lag = c.lag;
  if (c.lag > 0) {
    const auto known = std::find(source_lags_.begin(), source_lags_.end(), c.lag);
    s.lag_slot = static_cast<std::size_t>(known - source_lags_.begin());
    if (known == source_lags_.end()) source_lags_.push_back(c.lag);
  }
  s.fraction.assign(owned, 0.0);
  if (has_moments(c.firing))
    for (int a = 0; a < grid_.dimension(); ++a) s.moments.emplace_back(owned, 0.0);
  for (auto& m : s.moments) s.moment_arrays.push_back(m.data());
  s.spectra.assign((1 + s.moments.size()) * fft_.spectrum_size(), 0.0);
  sources_.push_back(std::move(s));
  return sources_.size() - 1;
}

void CouplingEvaluator::add_instantaneous(Target& t, const Coupling& c, std::size_t s) {
  t.factors.push_back(c.cell_weights ? fft_.weights_spectrum(c.cell_weights) : fft_.kernel_spectrum(*c.kernel));
  for (std::size_t a = 0; a < sources_[s].moments.size(); ++a)
    t.factors.push_back(moment_kernel_spectrum(fft_, *c.kernel, grid_.spec(), static_cast<int>(a)));
}

void CouplingEvaluator::add_rings(Target& t, const Coupling& c, std::size_t s) {
  Source& source = sources_[s];
  const RingLayout layout = ring_layout(*c.kernel, grid_.spec(), c.rings);
  const double bytes = static_cast<double>(layout.count()) * static_cast<double>(1 + source.moments.size()) *
                       static_cast<double>(fft_.spectrum_size() * sizeof(double));
  const NodeMemory memory = check_node_memory(grid_.comm(), ring_summary_.factor_bytes + bytes);
  if (!memory.fits)
    throw RingsTooLarge("coupling " + c.name + ": " + std::to_string(layout.count()) + " delay rings of width " +
                            std::to_string(layout.width) + " m would take " + format_bytes(memory.node_bytes) +
                            " of ring spectra on a node that has " + format_bytes(memory.available_bytes),
                        layout.count());
  t.ring_couplings.push_back({s, make_delay_rings(fft_, grid_.spec(), *c.kernel, c.velocity, layout,
                                                  !source.moments.empty())});
  t.ring_sum.assign(fft_.spectrum_size(), 0.0);
  if (!source.recorded) {
    source.recorded = true;
    source.record_offset = record_size_ / 2;
    record_size_ += 2 * source.spectra.size();
  }
  RingSummary& r = ring_summary_;
  const auto& rings = t.ring_couplings.back().rings;
  if (r.couplings++ == 0) {
    r.width = layout.width;
    r.velocity = c.velocity;
    r.min_lag = std::numeric_limits<double>::infinity();
  }
  r.rings += static_cast<int>(rings.size());
  for (const DelayRing& ring : rings) {
    r.min_lag = std::min(r.min_lag, ring.lag);
    r.max_lag = std::max(r.max_lag, ring.lag);
    r.factor_bytes += static_cast<double>(ring.factors.size() * fft_.spectrum_size() * sizeof(Complex));
  }
  r.record_bytes = static_cast<double>(record_size_ * sizeof(double));
  record_span_ = r.max_lag;
}

CouplingEvaluator::CouplingEvaluator(const Grid& grid, const std::vector<Coupling>& couplings)
    : grid_(grid), fft_(check_fft_memory(grid, couplings)) {
  targets_.resize(static_cast<std::size_t>(nf::input_count(couplings)));
  for (const auto& c : couplings) {
    check_coupling(grid, c);
    const std::size_t s = source_of(c);
    Target& t = targets_[static_cast<std::size_t>(c.target)];
    if (c.velocity > 0)
      add_rings(t, c, s);
    else
      add_instantaneous(t, c, s);
  }
  // Products last: the factors' storage no longer moves.
  std::vector<std::size_t> next(targets_.size(), 0);
  for (const auto& c : couplings) {
    if (c.velocity > 0) continue;
    Target& t = targets_[static_cast<std::size_t>(c.target)];
    const Source& source = sources_[source_of(c)];
    for (std::size_t m = 0; m <= source.moments.size(); ++m)
      t.products.push_back({t.factors[next[static_cast<std::size_t>(c.target)]++], source.spectrum(m)});
  }
  std::size_t most = 0, rings = 0;
  for (const Target& t : targets_) {
    most = std::max(most, t.ring_couplings.size());
    for (const RingCoupling& rc : t.ring_couplings) rings = std::max(rings, rc.rings.size());
  }
  reads_.resize(most);
  for (RingReads& r : reads_) {
    r.point.resize(rings);
    r.weight.resize(rings);
    r.count.resize(rings);
    r.points.reserve(4 * rings + 8);
  }
}

void CouplingEvaluator::fill_spectra(const double* u, Source& s, Complex* out) {
  fill_source(grid_.patch(), grid_.spec().spacing, u, s.component, s.firing, s.fraction.data(), s.moment_arrays);
  const std::size_t n = fft_.spectrum_size();
  fft_.forward(s.fraction.data(), {out, n});
  for (std::size_t a = 0; a < s.moments.size(); ++a) fft_.forward(s.moments[a].data(), {out + (a + 1) * n, n});
}

void CouplingEvaluator::make_record(const double* u, std::span<double> out) {
  if (out.size() != record_size_) throw std::invalid_argument("CouplingEvaluator::make_record: wrong record size");
  auto* record = reinterpret_cast<Complex*>(out.data());
  for (Source& s : sources_)
    if (s.recorded) fill_spectra(u, s, record + s.record_offset);
}

// The points in time each ring of rc reads at t - lag (record_history.h), as indices
// into reads.points: the source's spectra at a record, or now (no records yet: every
// ring reads now, the history before the start being constant).
void CouplingEvaluator::read_rings(double t, const RingCoupling& rc, RingReads& reads) const {
  const Source& s = sources_[rc.source];
  reads.points.clear();
  const auto point_of = [&reads](const Complex* base) {
    for (std::size_t k = reads.points.size(); k-- > 0;)
      if (reads.points[k] == base) return static_cast<int>(k);
    reads.points.push_back(base);
    return static_cast<int>(reads.points.size() - 1);
  };
  for (std::size_t r = 0; r < rc.rings.size(); ++r) {
    if (!records_ || records_->empty()) {
      reads.point[r][0] = point_of(s.spectra.data());
      reads.weight[r][0] = 1;
      reads.count[r] = 1;
      continue;
    }
    const RecordHistory::Stencil st = records_->stencil(t - rc.rings[r].lag, t);
    for (int k = 0; k < st.count; ++k) {
      const auto& term = st.terms[static_cast<std::size_t>(k)];
      reads.point[r][static_cast<std::size_t>(k)] =
          point_of(term.record ? reinterpret_cast<const Complex*>(term.record) + s.record_offset : s.spectra.data());
      reads.weight[r][static_cast<std::size_t>(k)] = term.weight;
    }
    reads.count[r] = st.count;
  }
}

// ring_sum = sum_r W_r * spectra(t - lag_r) = sum_p (sum_r c_rp W_r) spectra(t_p):
// per block of the spectrum, the ring factors are first summed per point in time p
// with their interpolation weights c_rp (real arithmetic, in cache), then each point's
// spectra are read once. W's spectra are real and G_a's imaginary (delay_rings.h).
void CouplingEvaluator::sum_rings(double t, Target& target) {
  constexpr std::size_t kBlock = 128;
  const std::size_t n = fft_.spectrum_size();
  Complex* sum = target.ring_sum.data();
  std::fill(sum, sum + n, Complex(0, 0));
  for (std::size_t c = 0; c < target.ring_couplings.size(); ++c) {
    const RingCoupling& rc = target.ring_couplings[c];
    RingReads& reads = reads_[c];
    read_rings(t, rc, reads);
    if (combined_.size() < reads.points.size() * kBlock) combined_.resize(2 * reads.points.size() * kBlock);
    const std::size_t components = rc.rings.front().factors.size();
    for (std::size_t b0 = 0; b0 < n; b0 += kBlock) {
      const std::size_t len = std::min(n, b0 + kBlock) - b0;
      for (std::size_t m = 0; m < components; ++m) {
        std::fill(combined_.begin(), combined_.begin() + static_cast<long>(reads.points.size() * kBlock), 0.0);
        for (std::size_t r = 0; r < rc.rings.size(); ++r) {
          const double* factor = rc.rings[r].factors[m].data() + b0;
          for (int k = 0; k < reads.count[r]; ++k) {
            double* out = combined_.data() + static_cast<std::size_t>(reads.point[r][static_cast<std::size_t>(k)]) * kBlock;
            const double w = reads.weight[r][static_cast<std::size_t>(k)];
            for (std::size_t i = 0; i < len; ++i) out[i] += w * factor[i];
          }
        }
        const bool imaginary = m > 0;
        for (std::size_t p = 0; p < reads.points.size(); ++p) {
          const double* f = combined_.data() + p * kBlock;
          const Complex* x = reads.points[p] + m * n + b0;
          Complex* y = sum + b0;
          if (imaginary)
            for (std::size_t i = 0; i < len; ++i) y[i] += Complex(-f[i] * x[i].imag(), f[i] * x[i].real());
          else
            for (std::size_t i = 0; i < len; ++i) y[i] += f[i] * x[i];
        }
      }
    }
  }
}

void CouplingEvaluator::evaluate(double t, const double* u, std::span<double* const> inputs) {
  if (!source_lags_.empty())
    throw std::invalid_argument("CouplingEvaluator::evaluate: lagged sources need their delayed states");
  evaluate(t, u, {}, inputs);
}

void CouplingEvaluator::evaluate(double t, const double* u, std::span<const double* const> delayed,
                                 std::span<double* const> inputs) {
  if (delayed.size() != source_lags_.size())
    throw std::invalid_argument("CouplingEvaluator::evaluate: one delayed state per source lag is needed");
  for (auto& s : sources_) fill_spectra(s.lag > 0 ? delayed[s.lag_slot] : u, s, s.spectra.data());
  for (std::size_t k = 0; k < targets_.size(); ++k) {
    Target& target = targets_[k];
    if (!target.ring_couplings.empty()) sum_rings(t, target);
    fft_.inverse_of_sum(target.products, target.ring_sum, inputs[k]);
  }
}

}  // namespace nf
