#include "postprocess/oscillation_fit.h"

#include <algorithm>
#include <cmath>

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

}  // namespace nf
