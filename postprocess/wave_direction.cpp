#include "postprocess/wave_direction.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <stdexcept>

namespace nf {
namespace {

constexpr std::size_t kMinSamples = 16;
constexpr std::size_t kMinLevels = 3;

struct QuadrantPower {
  double forward = 0;   // P_fw
  double backward = 0;  // P_bw
};

struct FftwFree {
  void operator()(void* p) const { fftw_free(p); }
};

// Periodic Hann window h_n = (1 - cos(2 pi n / N)) / 2.
std::vector<double> hann(std::size_t n) {
  std::vector<double> h(n);
  for (std::size_t k = 0; k < n; ++k)
    h[k] = 0.5 * (1 - std::cos(2 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(n)));
  return h;
}

// P_fw and P_bw of one segment (the header's formula). map[L][n], C >= 3, N >= 16.
QuadrantPower quadrant_power(const std::vector<std::vector<double>>& map, LevelScaling scaling) {
  const std::size_t levels = map.size(), n = map.front().size(), half = n / 2 + 1;
  std::unique_ptr<double, FftwFree> in(fftw_alloc_real(levels * n));
  std::unique_ptr<fftw_complex, FftwFree> out(fftw_alloc_complex(levels * half));
  // FFTW_ESTIMATE: the same plan, hence the same sums, on every run.
  fftw_plan plan = fftw_plan_dft_r2c_2d(static_cast<int>(levels), static_cast<int>(n), in.get(), out.get(),
                                        FFTW_ESTIMATE);
  const std::vector<double> h = hann(n);
  for (std::size_t l = 0; l < levels; ++l) {
    double mean = 0;
    for (double x : map[l]) mean += x;
    mean /= static_cast<double>(n);
    double square = 0;
    for (double x : map[l]) square += (x - mean) * (x - mean);
    const double rms = std::sqrt(square / static_cast<double>(n));
    const double scale = scaling == LevelScaling::unit_rms && rms > 0 ? 1 / rms : 1.0;
    for (std::size_t k = 0; k < n; ++k) in.get()[l * n + k] = h[k] * (map[l][k] - mean) * scale;
  }
  fftw_execute(plan);
  fftw_destroy_plan(plan);
  const auto power = [&](std::size_t q, std::size_t m) {
    const fftw_complex& x = out.get()[q * half + m];
    return x[0] * x[0] + x[1] * x[1];
  };
  QuadrantPower p;
  const std::size_t m_last = (n + 1) / 2 - 1, q_last = (levels + 1) / 2 - 1;
  for (std::size_t q = 1; q <= q_last; ++q)
    for (std::size_t m = 1; m <= m_last; ++m) {
      p.forward += power(levels - q, m);
      p.backward += power(q, m);
    }
  return p;
}

bool all_finite(const std::vector<std::vector<double>>& map) {
  for (const auto& level : map)
    for (double x : level)
      if (!std::isfinite(x)) return false;
  return true;
}

WaveDirection refused(std::string reason) {
  WaveDirection w;
  w.reason = std::move(reason);
  return w;
}

// log_ratio and direction from the summed powers.
WaveDirection classify(WaveDirection w) {
  if (w.forward_power == 0 && w.backward_power == 0) {
    w.reason = "no power away from the mean and the in-phase column (no travelling wave)";
  } else if (w.backward_power == 0) {
    w.direction = "forward";
    w.reason = "no backward power: the ratio is infinite";
  } else if (w.forward_power == 0) {
    w.direction = "backward";
    w.reason = "no forward power: the ratio is zero";
  } else {
    const double r = std::log(w.forward_power / w.backward_power);
    w.log_ratio = r;
    w.direction = r >= kWaveDirectionThreshold ? "forward" : r <= -kWaveDirectionThreshold ? "backward" : "none";
  }
  return w;
}

std::string map_problem(const std::vector<std::vector<double>>& map) {
  if (map.size() < kMinLevels) return "fewer than 3 levels (a spatial DFT of 1 or 2 levels has no signed wavenumber)";
  for (const auto& level : map)
    if (level.size() != map.front().size()) throw std::invalid_argument("wave_direction: levels of unequal length");
  if (map.front().size() < kMinSamples) return "fewer than 16 samples in the analysis window";
  if (!all_finite(map)) return "the probe signals are not finite in the analysis window";
  return "";
}

// Why the probes are not one evenly spaced line along the first axis, or empty.
std::string line_problem(const std::vector<std::array<PetscInt, 3>>& cells) {
  if (cells.size() < kMinLevels) return "fewer than 3 probes (a spatial DFT of 1 or 2 levels has no signed wavenumber)";
  const PetscInt step = cells[1][0] - cells[0][0];
  for (std::size_t c = 1; c < cells.size(); ++c) {
    if (cells[c][1] != cells[0][1] || cells[c][2] != cells[0][2])
      return "the probes are not on one line along the first axis";
    if (step <= 0 || cells[c][0] - cells[c - 1][0] != step)
      return "the probes are not evenly spaced in increasing order along the first axis";
  }
  return "";
}

double time_at(const SampledSeries& s, std::size_t r) {
  double t = 0;
  s.read_times(r, 1, &t);
  return t;
}

// The first row with time >= t.
std::size_t first_row_from(const SampledSeries& s, double t) {
  std::size_t lo = 0, hi = s.rows();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (time_at(s, mid) < t)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

}  // namespace

WaveDirection wave_direction(const std::vector<std::vector<double>>& map, LevelScaling scaling) {
  if (const std::string why = map_problem(map); !why.empty()) return refused(why);
  WaveDirection w;
  const QuadrantPower p = quadrant_power(map, scaling);
  w.forward_power = p.forward;
  w.backward_power = p.backward;
  w.samples = map.front().size();
  w.segments = 1;
  return classify(w);
}

WaveDirection measure_wave_direction(const SampledSeries& series, const std::vector<std::array<PetscInt, 3>>& cells,
                                     double t_start, double dt, std::size_t segment_samples,
                                     LevelScaling scaling) {
  if (segment_samples < kMinSamples) throw std::invalid_argument("measure_wave_direction: segments of < 16 samples");
  if (cells.size() != series.channels()) throw std::invalid_argument("measure_wave_direction: one cell per channel");
  if (const std::string why = line_problem(cells); !why.empty()) return refused(why);
  const std::size_t first = first_row_from(series, t_start);
  if (series.rows() < first + 4) return refused("fewer than 16 samples in the analysis window");
  if (!(dt > 0)) throw std::invalid_argument("measure_wave_direction: the sample interval must be > 0");
  const double t0 = time_at(series, first), span = time_at(series, series.rows() - 1) - t0;
  const auto total = static_cast<std::size_t>(std::floor(span / dt * (1 + 1e-12))) + 1;
  if (total < kMinSamples) return refused("fewer than 16 samples in the analysis window");
  const std::size_t n = std::min(total, segment_samples), segments = (total + n - 1) / n;
  WaveDirection w;
  for (std::size_t s = 0; s < segments; ++s) {
    const std::size_t offset = segments > 1 ? s * (total - n) / (segments - 1) : 0;
    const auto map = resample_channels(series, t0 + dt * static_cast<double>(offset), dt, n);
    if (const std::string why = map_problem(map); !why.empty()) return refused(why);
    const QuadrantPower p = quadrant_power(map, scaling);
    w.forward_power += p.forward;
    w.backward_power += p.backward;
  }
  w.sample_interval_s = dt;
  w.samples = total;
  w.segments = segments;
  return classify(w);
}

double wave_sample_interval(const OscillationSummary& fit, const SampledSeries& series, double t_start) {
  if (fit.found && fit.sample_interval_s > 0) return fit.sample_interval_s;
  const std::size_t first = first_row_from(series, t_start), rows = series.rows();
  if (rows < first + 2) return 0;
  return (time_at(series, rows - 1) - time_at(series, first)) / static_cast<double>(rows - 1 - first);
}

}  // namespace nf
