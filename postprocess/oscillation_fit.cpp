#include "postprocess/oscillation_fit.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "postprocess/matrix_pencil.h"
#include "postprocess/resample.h"

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

struct Signals {
  const std::vector<double>& times;
  const std::vector<std::vector<double>>& values;
  const std::vector<double>& spacing;  // between adjacent probes, cells
};

OscillationSummary fit_window(const Signals& in, const Grid& g) {
  std::vector<std::vector<double>> channels;
  for (const auto& s : in.values) channels.push_back(resample_uniform(in.times, s, g.t_first, g.dt, g.count));
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

bool all_finite(const std::vector<std::vector<double>>& signals, std::size_t first) {
  for (const auto& s : signals)
    for (std::size_t k = first; k < s.size(); ++k)
      if (!std::isfinite(s[k])) return false;
  return true;
}

OscillationSummary no_mode(std::string reason) {
  OscillationSummary s;
  s.no_mode_reason = std::move(reason);
  return s;
}

}  // namespace

OscillationSummary measure_oscillation(const std::vector<double>& times, const std::vector<std::vector<double>>& signals,
                                       const std::vector<std::array<PetscInt, 3>>& cells, double t_start) {
  if (signals.empty()) return no_mode("no probes");
  const auto first = static_cast<std::size_t>(std::lower_bound(times.begin(), times.end(), t_start) - times.begin());
  if (times.size() < first + 16) return no_mode("fewer than 16 recorded steps after analysis.t_start");
  if (!all_finite(signals, first)) return no_mode("the probe signals are not finite after analysis.t_start");
  std::vector<double> spacing;
  for (std::size_t c = 1; c < cells.size(); ++c)
    spacing.push_back(std::max<double>(1.0, std::abs(static_cast<double>(cells[c][0] - cells[c - 1][0]))));
  const Signals in{times, signals, spacing};
  // The run's own step: exact for fixed steps, the mean for adaptive ones (resampled).
  const std::size_t n = times.size() - first;
  const double h = (times.back() - times[first]) / static_cast<double>(n - 1);
  const std::size_t native = std::min(n, kWindowSamples);
  const OscillationSummary band = fit_window(in, {times[first] + h * static_cast<double>(n - native), h, native});
  if (!band.found) return band;
  // The reported fit: the longest window that ends at the last sample and is sampled
  // finely enough for f1 (the whole range when 600 samples at that rate reach back to it).
  const std::size_t whole = (n - 2) / (kWindowSamples - 1) + 1;  // the stride that spans n with 600 samples
  const std::size_t stride = band_stride(band.frequency_hz, h, whole);
  const std::size_t last = (n - 1) / stride, count = std::min(kWindowSamples, last + 1);
  const double dt = h * static_cast<double>(stride);
  const OscillationSummary reported =
      fit_window(in, {times[first] + dt * static_cast<double>(last + 1 - count), dt, count});
  // The spread: kWindows shorter, disjoint windows over the whole range.
  const std::size_t cover = std::max<std::size_t>(1, (n - 1) / (kWindows * (kWindowSamples - 1)));
  const std::size_t w_stride = band_stride(band.frequency_hz, h, cover);
  std::vector<OscillationSummary> fits;
  for (const Grid& g : windows_over(times[first], h * static_cast<double>(w_stride), (n - 1) / w_stride + 1))
    fits.push_back(fit_window(in, g));
  return combine(reported, fits);
}

}  // namespace nf
