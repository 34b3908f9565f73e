#include "postprocess/oscillation_fit.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "postprocess/matrix_pencil.h"

namespace nf {
namespace {

// Samples per channel and window: the pencil's SVD costs O(channels * samples^3), and
// 600 samples resolve a few tens of modes.
constexpr std::size_t kWindowSamples = 600;
// A window shorter than this is not fitted (at most samples/4 modes, so >= 16 modes).
constexpr std::size_t kMinWindowSamples = 64;
constexpr std::size_t kWindows = 4;
// Samples per period of the dominant mode: the windows' Nyquist frequency is 4 f1, so
// a frequency estimate from the first pass that is off by up to a factor 4 still
// leaves the dominant mode unfolded.
constexpr double kSamplesPerPeriod = 8;
// Singular values below this fraction of the largest are noise (time-stepping error
// of the signals is far below it at the default resolutions).
constexpr double kPencilTolerance = 1e-9;

// Uniform samples t_first + k dt, k < count.
struct Grid {
  double t_first;
  double dt;
  std::size_t count;
};

// Rows of a series read a block at a time, for positions that mostly move forward.
class RowCursor {
 public:
  explicit RowCursor(const SampledSeries& series)
      : s_(series), c_(series.channels()), block_(std::max<std::size_t>(64, kBlockBytes / (8 * std::max<std::size_t>(1, c_)))) {}
  // Times of rows [r, r + n).
  const double* times(std::size_t r, std::size_t n) {
    if (r < t_first_ || r + n > t_first_ + t_count_) {
      t_first_ = r;
      t_count_ = std::min(std::max(block_, n), s_.rows() - r);
      times_.resize(t_count_);
      s_.read_times(t_first_, t_count_, times_.data());
    }
    return &times_[r - t_first_];
  }
  // Values of rows [r, r + n), [n][channels].
  const double* values(std::size_t r, std::size_t n) {
    if (r < v_first_ || r + n > v_first_ + v_count_) {
      v_first_ = r;
      v_count_ = std::min(std::max(block_, n), s_.rows() - r);
      values_.resize(v_count_ * c_);
      s_.read_values(v_first_, v_count_, values_.data());
    }
    return &values_[(r - v_first_) * c_];
  }

 private:
  static constexpr std::size_t kBlockBytes = 256 * 1024;
  const SampledSeries& s_;
  std::size_t c_, block_;
  std::size_t t_first_ = 0, t_count_ = 0, v_first_ = 0, v_count_ = 0;
  std::vector<double> times_, values_;
};

double time_at(const SampledSeries& s, std::size_t r) {
  double t = 0;
  s.read_times(r, 1, &t);
  return t;
}

// The first row with time >= t (lower_bound), or with time > t (upper, upper_bound).
std::size_t row_bound(const SampledSeries& s, double t, bool upper) {
  std::size_t lo = 0, hi = s.rows();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    const double tm = time_at(s, mid);
    if (upper ? !(t < tm) : tm < t)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

}  // namespace

std::vector<std::vector<double>> resample_channels(const SampledSeries& s, double t_first, double dt,
                                                   std::size_t count) {
  const std::size_t rows = s.rows(), channels = s.channels();
  if (rows < 4) throw std::invalid_argument("resample needs >= 4 samples");
  const double tol = 1e-9 * dt;
  if (t_first < time_at(s, 0) - tol || t_first + dt * static_cast<double>(count - 1) > time_at(s, rows - 1) + tol)
    throw std::invalid_argument("resample grid outside the recorded times");
  std::vector<std::vector<double>> out(channels, std::vector<double>(count));
  RowCursor cursor(s);
  // The row a forward scan from row 0 reaches for the first grid time.
  const std::size_t above = row_bound(s, t_first + tol, true);
  std::size_t j = above > 0 ? above - 1 : 0;
  for (std::size_t k = 0; k < count; ++k) {
    const double t = t_first + dt * static_cast<double>(k);
    while (j + 1 < rows && *cursor.times(j + 1, 1) <= t + tol) ++j;
    if (std::abs(*cursor.times(j, 1) - t) <= tol) {
      const double* row = cursor.values(j, 1);
      for (std::size_t c = 0; c < channels; ++c) out[c][k] = row[c];
      continue;
    }
    const std::size_t lo = std::min(j > 0 ? j - 1 : 0, rows - 4);
    const double* tt = cursor.times(lo, 4);
    double w[4];
    for (int i = 0; i < 4; ++i) {
      w[i] = 1;
      for (int m = 0; m < 4; ++m)
        if (m != i) w[i] *= (t - tt[m]) / (tt[i] - tt[m]);
    }
    const double* y = cursor.values(lo, 4);
    for (std::size_t c = 0; c < channels; ++c) {
      double sum = 0;
      for (int i = 0; i < 4; ++i) sum += w[i] * y[i * channels + c];
      out[c][k] = sum;
    }
  }
  return out;
}

namespace {

struct Signals {
  const SampledSeries& series;
  const std::vector<double>& spacing;  // between adjacent probes, cells
};

OscillationSummary fit_window(const Signals& in, const Grid& g) {
  const std::vector<std::vector<double>> channels = resample_channels(in.series, g.t_first, g.dt, g.count);
  // A short window resolves fewer modes: the pencil needs samples >= 2 * modes.
  const int max_modes = static_cast<int>(std::min<std::size_t>(40, g.count / 4));
  OscillationSummary s;
  if (max_modes < 4) {
    s.no_mode_reason = "fewer than 16 samples in the fit window";
    return s;
  }
  const double window = g.dt * static_cast<double>(g.count - 1);
  s = summarise_oscillation(fit_matrix_pencil(channels, g.dt, kPencilTolerance, max_modes), window, in.spacing);
  s.windows = 1;
  s.sample_interval_s = g.dt;
  s.window_s = window;
  return s;
}

// The largest stride (in steps h) that keeps kSamplesPerPeriod samples per period of
// f1 (Hz), and no larger than `cover`.
std::size_t band_stride(double f1, double h, std::size_t cover) {
  if (!(f1 > 0)) return cover;
  const double band = std::floor(1 / (kSamplesPerPeriod * f1 * h));
  return std::clamp<std::size_t>(band >= 1 ? static_cast<std::size_t>(std::min(band, 1e12)) : 1, 1, cover);
}

// Windows of `count` samples at interval dt over [t_first, t_first + (n_s - 1) dt],
// evenly spread, the last ending at the last sample.
std::vector<Grid> windows_over(double t_first, double dt, std::size_t n_s) {
  const std::size_t w = std::clamp<std::size_t>(n_s / kMinWindowSamples, 1, kWindows);
  const std::size_t count = std::min(kWindowSamples, n_s / w);
  std::vector<Grid> grids;
  for (std::size_t k = 0; k < w; ++k) {
    const std::size_t offset = w > 1 ? k * (n_s - count) / (w - 1) : n_s - count;
    grids.push_back({t_first + dt * static_cast<double>(offset), dt, count});
  }
  return grids;
}

// The reported mode, with the largest deviation of the windows' modes from it.
OscillationSummary combine(OscillationSummary out, const std::vector<OscillationSummary>& fits) {
  out.windows = static_cast<int>(fits.size());
  if (!out.found || fits.size() < 2) return out;
  double df = 0, dg = 0;
  for (std::size_t k = 0; k < fits.size(); ++k) {
    if (!fits[k].found) continue;  // a window without a mode says nothing about the spread
    df = std::max(df, std::abs(fits[k].frequency_hz - out.frequency_hz));
    dg = std::max(dg, std::abs(fits[k].growth_rate_per_s - out.growth_rate_per_s));
  }
  out.frequency_uncertainty_hz = df;
  out.growth_uncertainty_per_s = dg;
  return out;
}

bool all_finite(const SampledSeries& s, std::size_t first) {
  RowCursor cursor(s);
  const std::size_t block = 4096;
  for (std::size_t r = first; r < s.rows(); r += block) {
    const std::size_t n = std::min(block, s.rows() - r);
    const double* v = cursor.values(r, n);
    for (std::size_t k = 0; k < n * s.channels(); ++k)
      if (!std::isfinite(v[k])) return false;
  }
  return true;
}

// The in-memory series of the vector overload.
class VectorSeries : public SampledSeries {
 public:
  VectorSeries(const std::vector<double>& times, const std::vector<std::vector<double>>& signals)
      : times_(times), signals_(signals) {
    for (const auto& v : signals_)
      if (v.size() != times_.size()) throw std::invalid_argument("resample needs >= 4 samples");
  }
  std::size_t rows() const override { return times_.size(); }
  std::size_t channels() const override { return signals_.size(); }
  void read_times(std::size_t first, std::size_t count, double* times) const override {
    std::copy_n(times_.begin() + static_cast<std::ptrdiff_t>(first), count, times);
  }
  void read_values(std::size_t first, std::size_t count, double* values) const override {
    for (std::size_t r = 0; r < count; ++r)
      for (const auto& v : signals_) *values++ = v[first + r];
  }

 private:
  const std::vector<double>& times_;
  const std::vector<std::vector<double>>& signals_;
};

OscillationSummary no_mode(std::string reason) {
  OscillationSummary s;
  s.no_mode_reason = std::move(reason);
  return s;
}

}  // namespace

OscillationSummary measure_oscillation(const std::vector<double>& times, const std::vector<std::vector<double>>& signals,
                                       const std::vector<std::array<PetscInt, 3>>& cells, double t_start,
                                       int cells_per_level) {
  if (signals.empty()) return no_mode("no probes");
  return measure_oscillation(VectorSeries(times, signals), cells, t_start, cells_per_level);
}

OscillationSummary measure_oscillation(const SampledSeries& series, const std::vector<std::array<PetscInt, 3>>& cells,
                                       double t_start, int cells_per_level) {
  if (series.channels() == 0) return no_mode("no probes");
  const std::size_t rows = series.rows();
  const std::size_t first = row_bound(series, t_start, false);
  if (rows < first + 16) return no_mode("fewer than 16 recorded steps after analysis.t_start");
  if (!all_finite(series, first)) return no_mode("the probe signals are not finite after analysis.t_start");
  std::vector<double> spacing;
  for (std::size_t c = 1; c < cells.size(); ++c)
    spacing.push_back(std::max<double>(1.0, std::abs(static_cast<double>(cells[c][0] - cells[c - 1][0]))) /
                      cells_per_level);
  const Signals in{series, spacing};
  // The run's own step: exact for fixed steps, the mean for adaptive ones (resampled).
  const std::size_t n = rows - first;
  const double t0 = time_at(series, first);
  const double h = (time_at(series, rows - 1) - t0) / static_cast<double>(n - 1);
  const std::size_t native = std::min(n, kWindowSamples);
  const OscillationSummary band = fit_window(in, {t0 + h * static_cast<double>(n - native), h, native});
  if (!band.found) return band;
  // The reported fit: the longest window that ends at the last sample and is sampled
  // finely enough for f1 (the whole range when 600 samples at that rate reach back to it).
  const std::size_t whole = (n - 2) / (kWindowSamples - 1) + 1;  // the stride that spans n with 600 samples
  const std::size_t stride = band_stride(band.frequency_hz, h, whole);
  const std::size_t last = (n - 1) / stride, count = std::min(kWindowSamples, last + 1);
  const double dt = h * static_cast<double>(stride);
  const OscillationSummary reported = fit_window(in, {t0 + dt * static_cast<double>(last + 1 - count), dt, count});
  // The spread: kWindows shorter, disjoint windows over the whole range.
  const std::size_t cover = std::max<std::size_t>(1, (n - 1) / (kWindows * (kWindowSamples - 1)));
  const std::size_t w_stride = band_stride(band.frequency_hz, h, cover);
  std::vector<OscillationSummary> fits;
  for (const Grid& g : windows_over(t0, h * static_cast<double>(w_stride), (n - 1) / w_stride + 1))
    fits.push_back(fit_window(in, g));
  return combine(reported, fits);
}

}  // namespace nf
