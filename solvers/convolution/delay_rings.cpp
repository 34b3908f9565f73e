#include "solvers/convolution/delay_rings.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "solvers/convolution/coupling_evaluator.h"
#include "solvers/convolution/offset_weights.h"

namespace nf {
namespace {

// r w(r): its cell weights over those of w are the cells' mean distances dbar.
class DistanceWeighted final : public Kernel {
 public:
  explicit DistanceWeighted(const Kernel& w) : w_(w) {}
  int dimension() const override { return w_.dimension(); }
  double value(double r) const override { return r * w_.value(r); }
  double reach() const override { return w_.reach(); }
  double fourier(double) const override { throw std::logic_error("DistanceWeighted: no transform"); }
  std::string describe() const override { return "|x| " + w_.describe(); }

 private:
  const Kernel& w_;
};

double farthest_pair(const GridSpec& g) {
  double s = 0;
  for (std::size_t a = 0; a < g.cells.size(); ++a) {
    const double cells = g.boundary[a] == Boundary::periodic ? static_cast<double>(g.cells[a] / 2)
                                                             : static_cast<double>(g.cells[a] - 1);
    s += std::pow(cells * g.spacing[a], 2);
  }
  return std::sqrt(s);
}

double centre_distance(const GridSpec& g, long ox, long oy, long oz) {
  const long o[3] = {ox, oy, oz};
  double s = 0;
  for (std::size_t a = 0; a < g.cells.size(); ++a) s += std::pow(static_cast<double>(o[a]) * g.spacing[a], 2);
  return std::sqrt(s);
}

// The one non-zero part of a spectrum that is real (even weights) or imaginary (odd).
std::vector<double> one_part(const std::vector<std::complex<double>>& spectrum, bool imaginary) {
  double kept = 0, dropped = 0;
  std::vector<double> part(spectrum.size());
  for (std::size_t i = 0; i < spectrum.size(); ++i) {
    part[i] = imaginary ? spectrum[i].imag() : spectrum[i].real();
    kept = std::max(kept, std::abs(part[i]));
    dropped = std::max(dropped, std::abs(imaginary ? spectrum[i].real() : spectrum[i].imag()));
  }
  if (dropped > 1e-12 * kept && dropped > 1e-300)
    throw std::logic_error("delay rings: a ring's weights are not symmetric (their spectrum is not real/imaginary)");
  return part;
}

}  // namespace

int RingLayout::ring_of(double distance) const {
  return static_cast<int>(std::upper_bound(edges.begin(), edges.end(), distance) - edges.begin());
}

RingLayout ring_layout(const Kernel& w, const GridSpec& grid, int count) {
  if (count < 0) throw std::invalid_argument("the ring count must be >= 0");
  const double radius = std::min(kernel_radius(w, kRingTolerance), farthest_pair(grid));
  RingLayout l;
  l.width = count > 0 ? radius / count : *std::min_element(grid.spacing.begin(), grid.spacing.end());
  const int rings = count > 0 ? count : std::max(1, static_cast<int>(std::ceil(radius / l.width)));
  for (int r = 1; r < rings; ++r) l.edges.push_back(r * l.width);
  return l;
}

std::vector<DelayRing> make_delay_rings(const FftConvolution& fft, const GridSpec& grid, const Kernel& w,
                                        double velocity, const RingLayout& layout, bool with_moments) {
  if (!(velocity > 0)) throw std::invalid_argument("delay rings need a conduction velocity > 0");
  std::array<long, 3> range = fft.max_offsets();
  const int axes = static_cast<int>(grid.cells.size());
  if (with_moments)
    for (int a = 0; a < axes; ++a) range[static_cast<std::size_t>(a)] += 1;
  OffsetWeights weight(w, grid, range);
  const DistanceWeighted rw(w);
  OffsetWeights distance_weight(rw, grid, range);
  const auto ring_of = [&](long ox, long oy, long oz) { return layout.ring_of(centre_distance(grid, ox, oy, oz)); };
  // The lags: W-weighted mean delays (|W| where the ring's weights cancel).
  std::vector<double> sum_w(static_cast<std::size_t>(layout.count())), sum_abs(sum_w), sum_wd(sum_w), sum_abs_d(sum_w);
  const std::array<long, 3> max = fft.max_offsets();
  for (long oz = -max[2]; oz <= max[2]; ++oz)
    for (long oy = -max[1]; oy <= max[1]; ++oy)
      for (long ox = -max[0]; ox <= max[0]; ++ox) {
        const auto r = static_cast<std::size_t>(ring_of(ox, oy, oz));
        const double W = weight(ox, oy, oz), D = distance_weight(ox, oy, oz);
        sum_w[r] += W;
        sum_wd[r] += D;
        sum_abs[r] += std::abs(W);
        sum_abs_d[r] += W != 0 ? std::abs(W) * (D / W) : 0.0;
      }
  std::vector<DelayRing> rings(static_cast<std::size_t>(layout.count()));
  for (std::size_t r = 0; r < rings.size(); ++r) {
    const bool cancels = !(std::abs(sum_w[r]) > 1e-3 * sum_abs[r]);
    const double mean = sum_abs[r] == 0 ? 0.0 : cancels ? sum_abs_d[r] / sum_abs[r] : sum_wd[r] / sum_w[r];
    rings[r].lag = mean / velocity;
    const int ring = static_cast<int>(r);
    rings[r].factors.push_back(one_part(fft.weights_spectrum([&](long ox, long oy, long oz) {
      return ring_of(ox, oy, oz) == ring ? weight(ox, oy, oz) : 0.0;
    }), false));
    if (!with_moments) continue;
    for (int a = 0; a < axes; ++a) {
      rings[r].factors.push_back(one_part(fft.weights_spectrum([&, a](long ox, long oy, long oz) {
        return ring_of(ox, oy, oz) == ring ? moment_weight(weight, grid, a, ox, oy, oz) : 0.0;
      }), true));
    }
  }
  return rings;
}

}  // namespace nf
