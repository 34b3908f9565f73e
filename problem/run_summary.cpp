#include "problem/run_summary.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "postprocess/matrix_pencil.h"
#include "postprocess/resample.h"

namespace nf {
namespace {

// At most this many samples per channel enter the fit: the pencil's SVD costs
// O(channels * samples^3), and 600 samples resolve a few tens of modes.
constexpr std::size_t kMaxSamples = 600;
// Singular values below this fraction of the largest are noise (time-stepping error
// of the signals is far below it at the default resolutions).
constexpr double kPencilTolerance = 1e-9;

}  // namespace

OscillationSummary measure_oscillation(const std::vector<double>& times, const std::vector<std::vector<double>>& signals,
                                       const std::vector<std::array<PetscInt, 3>>& cells, double t_start) {
  const auto first = static_cast<std::size_t>(std::lower_bound(times.begin(), times.end(), t_start) - times.begin());
  if (signals.empty() || times.size() < first + 16) return {};
  // Uniform samples, every `stride` typical steps: exact picks for fixed steps,
  // interpolated for adaptive ones.
  const std::size_t n = times.size() - first;
  const double step = (times.back() - times[first]) / static_cast<double>(n - 1);
  const std::size_t stride = (n + kMaxSamples - 1) / kMaxSamples;
  const double dt = step * static_cast<double>(stride);
  const std::size_t count = (n - 1) / stride + 1;
  std::vector<std::vector<double>> channels;
  for (const auto& s : signals) channels.push_back(resample_uniform(times, s, times[first], dt, count));
  std::vector<double> spacing;
  for (std::size_t c = 1; c < cells.size(); ++c)
    spacing.push_back(std::max<double>(1.0, std::abs(static_cast<double>(cells[c][0] - cells[c - 1][0]))));
  // A short window resolves fewer modes: the pencil needs samples >= 2 * modes.
  const int max_modes = static_cast<int>(std::min<std::size_t>(40, channels[0].size() / 4));
  if (max_modes < 4) return {};
  const double window = dt * static_cast<double>(channels[0].size() - 1);
  const auto modes = fit_matrix_pencil(channels, dt, kPencilTolerance, max_modes);
  return summarise_oscillation(modes, window, spacing);
}

nlohmann::json summary_json(const OscillationSummary& m, const std::optional<PredictedMode>& predicted,
                            const RunStats& stats, double t_end, int ranks) {
  nlohmann::json j;
  j["frequency_hz"] = m.frequency_hz;
  j["growth_rate_per_s"] = m.growth_rate_per_s;
  j["phase_lag_deg_per_layer"] = m.phase_lag_deg_per_layer;
  j["direction"] = m.direction;
  j["mode_found"] = m.found;
  j["steps"] = stats.steps;
  j["wall_seconds"] = stats.wall_seconds;
  j["t_end"] = stats.t_final;  // the final time reached
  j["t_end_requested"] = t_end;
  j["ranks"] = ranks;
  if (predicted) {
    j["predicted"] = {{"frequency_hz", std::abs(predicted->rate.imag()) / (2 * std::numbers::pi)},
                      {"growth_rate_per_s", predicted->rate.real()},
                      {"mode", predicted->label}};
  }
  return j;
}

}  // namespace nf
