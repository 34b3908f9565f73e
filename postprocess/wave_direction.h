#pragma once
// Direction of travelling waves along a line of levels, from the 2D spectrum of the
// (level x time) map: forward against backward power (Alamia & VanRullen, PLoS Biol
// 17(10):e3000487 (2019), 2D-FFT of the layer-by-time maps).
//
//   x_{L,n}   level L = 0..C-1 (evenly spaced, in order), sample n = 0..N-1 at interval D (s)
//   u_{L,n} = h_n (x_{L,n} - xbar_L) / s_L,   h_n = (1 - cos(2 pi n / N)) / 2,
//   xbar_L  = (1/N) sum_n x_{L,n},  s_L = ((1/N) sum_n (x_{L,n} - xbar_L)^2)^(1/2) (unit_rms; 1 with none)
//   X_{q,m} = sum_L sum_n u_{L,n} exp(-2 pi i (q L / C + m n / N))      (FFTW's sign)
//   P_fw    = sum_{m=1}^{M} sum_{q=1}^{Q} |X_{C-q,m}|^2,   P_bw = sum_{m=1}^{M} sum_{q=1}^{Q} |X_{q,m}|^2
//   fw_bw_log_ratio = ln(P_fw / P_bw)                   (dimensionless; > 0: forward)
// with M = ceil(N/2) - 1 and Q = ceil(C/2) - 1. (The paper compares the largest |X|^2 of
// each quadrant; the sums here weigh all the travelling power, not one bin.)
//
// Sign. A forward wave travels towards higher levels, cos(omega t - k L) with omega,
// k > 0: level L+1 lags level L by k rad. Its part exp(i(omega t - k L)) lies at the
// temporal bin m = omega N D / (2 pi) > 0 and the spatial bin q = -k C / (2 pi) < 0
// (index C - q): opposite signs. A backward wave cos(omega t + k L) lies at m > 0, q > 0.
// The bins m < 0 are the complex conjugates of m > 0 (real data), so only m > 0 is summed.
// Left out: m = 0 (the mean), q = 0 (in phase across levels: no direction), and the
// Nyquist bins m = N/2 and q = C/2 (a lag of pi rad per level is either direction).
//
// Window. h_n is the periodic Hann window: it turns a tone on bin m into bins m-1, m,
// m+1 with weights -1/4, 1/2, -1/4 and no others, so a wave on bins 2 <= m <= M-1 keeps
// all its power in its own quadrant (and a tone off the bins leaks with sidelobes that
// fall as |m - m0|^-3 instead of the rectangular window's |m - m0|^-1).
// Level axis: no window and no zero padding. The levels are the whole line; the C-point
// DFT's bins are orthogonal, so a lag on a bin (2 pi q / C rad per level) lands in one
// quadrant only and an in-phase component lies entirely in the excluded q = 0 column.
// Zero padding would interpolate the same spectrum between the bins and spread the
// in-phase component's sidelobes over both quadrants (diluting the ratio, adding
// nothing). A 2-level map has only q = 0 and q = C/2, neither signed: it needs C >= 3.
//
// Level scaling. Each level is scaled to unit RMS (unit_rms, used for runs), as EEG
// channels are compared after normalisation: along a predictive-coding hierarchy the
// amplitude grows by up to sqrt(tau_D/tau) = 3.4 per level, so unscaled the top levels
// hold nearly all the power and the map's spatial spectrum is that of the amplitude
// profile (broad, in both quadrants) more than of the phase progression: a wave that
// climbs the 8-layer chain at 100 deg per layer gives ln(P_fw/P_bw) = +0.5 unscaled
// and +3.8 scaled. A level with no variation gets s_L = 1 (it adds nothing either way).
// With `none` (the level amplitudes kept), waves A_f cos(w t - k L) + A_b cos(w t + k L)
// on the bins give exactly ln(P_fw/P_bw) = 2 ln(A_f/A_b).
//
// Long series (Welch 1967): the window is cut into S = ceil(N_total / N_seg) segments
// of N = min(N_total, N_seg) samples, evenly spread from the first sample to the last
// (consecutive ones overlap by less than a segment); each segment is treated as above
// and P_fw, P_bw are summed over them. Memory is C N_seg samples, whatever the length.
#include <petscsys.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "postprocess/oscillation_fit.h"

namespace nf {

// |fw_bw_log_ratio| below ln 2 (neither quadrant holds twice the other's power) is no direction.
inline constexpr double kWaveDirectionThreshold = 0.6931471805599453;  // ln 2

enum class LevelScaling { unit_rms, none };

struct WaveDirection {
  std::optional<double> log_ratio;  // ln(P_fw / P_bw); none, with `reason`, when not defined
  std::string direction = "none";   // "forward" if log_ratio >= ln 2, "backward" if <= -ln 2, else "none"
  std::string reason;               // why log_ratio is none, or empty
  double forward_power = 0;         // P_fw summed over the segments ((signal unit)^2)
  double backward_power = 0;        // P_bw
  double sample_interval_s = 0;     // D
  std::size_t samples = 0;          // N_total: samples per level over the window
  std::size_t segments = 0;         // S
};

// The direction of one (level x time) map: map[L][n], every level the same length N.
// Fewer than 3 levels or fewer than 16 samples give no ratio, with the reason; so do
// non-finite samples and P_fw = P_bw = 0. P_bw = 0 < P_fw gives no ratio (it is +inf)
// and direction forward; P_fw = 0 < P_bw likewise backward.
WaveDirection wave_direction(const std::vector<std::vector<double>>& map,
                             LevelScaling scaling = LevelScaling::unit_rms);

// The direction of the probe signals of `series` over [t_start, end]: the samples
// t0 + k D, t0 the first recorded time >= t_start, up to the last recorded time, each
// level resampled as the oscillation fit does (oscillation_fit.h's resample_channels),
// in Welch segments of up to `segment_samples`. The probes (`cells`, one per channel,
// cells.size() == series.channels()) must lie on one line along the first axis,
// evenly spaced in increasing order; otherwise no ratio, with the reason.
// Throws std::invalid_argument for dt <= 0 (with at least 4 rows from t_start) or
// segment_samples < 16.
WaveDirection measure_wave_direction(const SampledSeries& series, const std::vector<std::array<PetscInt, 3>>& cells,
                                     double t_start, double dt, std::size_t segment_samples = 2048,
                                     LevelScaling scaling = LevelScaling::unit_rms);

// D for measure_wave_direction: the oscillation fit's sample interval when it found a
// mode (at least 8 samples per period of the dominant mode: its temporal Nyquist
// frequency is >= 4 f1, so the dominant wave is not folded onto negative frequencies,
// which would swap its quadrant), else the mean recorded step over [t_start, end]
// (everything the integrator resolves). 0 with fewer than 2 rows from t_start.
double wave_sample_interval(const OscillationSummary& fit, const SampledSeries& series, double t_start);

}  // namespace nf
