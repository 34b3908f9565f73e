#pragma once
// Dominant oscillation of a multichannel fit (see postprocess/matrix_pencil.h): its frequency,
// growth rate and the phase lag between adjacent channels (layers or grid cells), which tells a
// forward (towards higher channels) from a backward travelling wave.
#include "postprocess/matrix_pencil.h"

#include <optional>
#include <string>
#include <vector>

namespace nf {

struct OscillationSummary {
  bool found = false;                  // a significant mode was found
  double frequency_hz = 0;             // |Im lambda| / 2pi of the dominant mode (Hz)
  double growth_rate_per_s = 0;        // Re lambda of the dominant mode (1/s)
  double phase_lag_deg_per_layer = 0;  // weighted circular mean over adjacent channel pairs of
                                       //   wrap(arg a_c - arg a_{c+1}) / spacing_c (deg per layer),
                                       //   wrap to (-180,180]; positive = the higher channel lags
  std::string direction = "none";      // "forward" if lag in (5,175) deg, "backward" if in (-175,-5), else "none"
  std::string no_mode_reason;          // why found is false, or empty
  // From a fit over several windows (postprocess/oscillation_fit.h): the largest
  // deviation of an earlier window's dominant mode from the reported (last) one; none
  // with fewer than two windows.
  std::optional<double> frequency_uncertainty_hz;    // Hz
  std::optional<double> growth_uncertainty_per_s;    // 1/s
  int windows = 0;                     // fit windows
  double sample_interval_s = 0;        // s, between the samples of a window
  double window_s = 0;                 // s, length of each window
};

// Size of mode m over a window of T seconds: w_m = max_c |a_{c,m}| exp(Re(lambda_m) T).
// Significant: w_m >= significance * max_n w_n. Dominant: the significant mode with the largest
// Re(lambda) (least damped); of a conjugate pair the member with Im(lambda) >= 0, and a lone
// Im(lambda) < 0 mode is replaced by its conjugate (the same real signal). A real dominant mode
// gives frequency 0.
// Phase lag: pair (c, c+1) has weight min(|a_c|, |a_{c+1}|) of the dominant mode and is skipped
// when either amplitude is below 1e-12 max_c |a_c|, or when it is further apart than the
// closest pairs; no usable pair gives lag 0.
// channel_spacing[c] = distance (levels, > 0) between channel c and c+1, size C-1.
// Throws std::invalid_argument for window_seconds <= 0, significance outside (0,1], modes with
// differing channel counts, or a spacing vector of the wrong size or with a non-positive entry.
OscillationSummary summarise_oscillation(const std::vector<FittedMode>& modes, double window_seconds,
                                         const std::vector<double>& channel_spacing, double significance = 1e-3);

}  // namespace nf
