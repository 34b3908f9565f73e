#pragma once
// The dominant oscillation of a run's probe signals: a multichannel matrix pencil
// (postprocess/matrix_pencil.h) over several windows of the tail of the run,
// summarised by postprocess/oscillation.h.
//
// Sampling (why the frequency cannot alias). A uniformly sampled exp(lambda t) at
// interval D is the same sequence as exp((lambda + 2 pi i k / D) t) for every integer
// k: sampling keeps Re lambda and folds Im lambda into (-pi/D, pi/D]. The pencil
// reports the folded value, so a plain stride over a long run (a fixed sample budget)
// moves the dominant mode to its alias once its frequency passes 1/(2D): 13.01 Hz
// came out at 7.40 Hz in a 29 s window of 600 samples (D = 49 ms, Nyquist 10.2 Hz).
// Here D follows from the signal, not from the run's length:
//   1. the last 600 samples at the run's own step h (Nyquist 1/(2h): everything the
//      integrator resolves) give the dominant frequency f1;
//   2. the fits sample at D = s h with s <= floor(1/(8 f1 h)) (and >= 1): at least
//      eight samples per period of the dominant mode, Nyquist >= 4 f1.
// Modes above the new Nyquist do alias, but folding keeps their growth rate and their
// size, and the dominant mode is the least-damped significant one
// (postprocess/oscillation.h): a folded mode cannot take its place, and the dominant
// mode itself, at f1 < 1/(2D), is not folded. So no low-pass filter is needed (and
// none is applied: a filter adds start-up transients of its own at each window's edge).
//
// Windows. The reported mode is fitted over the longest window of at most 600 samples
// at such a D that ends at the last sample: all of [t_start, end] when 600 samples
// reach back to t_start, else its latest part, where the faster-decaying modes have
// faded most. The fit's own uncertainty is the largest deviation from it of the
// dominant modes of up to 4 disjoint windows (up to 600 samples each, at most as coarse)
// spread evenly over [t_start, end]. A free linear response is a sum of exponentials,
// which every window fits with the same rates, so the windows agree to the fit's
// precision (shorter windows: a conservative bound); a spread well beyond that says
// the window does not yet see a single asymptotic mode.
#include <petscsys.h>

#include <array>
#include <cstddef>
#include <vector>

#include "postprocess/oscillation.h"

namespace nf {

// A recorded multichannel series (rows of one time and one value per channel, times
// ascending), read in blocks of rows, so that a fit over a long run needs only a
// bounded part of it in memory (e.g. io/probe_recorder.h's ProbeFileSeries).
class SampledSeries {
 public:
  virtual ~SampledSeries() = default;
  virtual std::size_t rows() const = 0;
  virtual std::size_t channels() const = 0;
  // Rows [first, first + count): times[count], values[count][channels].
  virtual void read_times(std::size_t first, std::size_t count, double* times) const = 0;
  virtual void read_values(std::size_t first, std::size_t count, double* values) const = 0;
};

// postprocess/resample.h's resample_uniform for every channel at once, streaming the
// rows: out[c][k] = channel c at t_first + k dt, k < count. A grid time that coincides
// with a recorded one takes its value, any other the cubic Lagrange interpolant through
// the four nearest rows, computed in the same order of operations, so the samples are
// identical. Throws std::invalid_argument for fewer than 4 rows or a grid outside them.
std::vector<std::vector<double>> resample_channels(const SampledSeries& series, double t_first, double dt,
                                                   std::size_t count);

// Fits the probe signals (rank 0's series) over [t_start, end] and summarises the
// dominant mode, with its uncertainty across windows. `signals[c]` is probe c at
// `times`; `cells[c]` is its grid cell (the spacing between adjacent probes along axis 0
// sets the phase lag per cell). found = false, with no_mode_reason, for fewer than 16
// samples after t_start, non-finite samples there, or no significant mode.
// `cells_per_level`: cells per level (layer) along axis 0, the unit of the phase lag.
OscillationSummary measure_oscillation(const std::vector<double>& times, const std::vector<std::vector<double>>& signals,
                                       const std::vector<std::array<PetscInt, 3>>& cells, double t_start,
                                       int cells_per_level = 1);

// The same fit, reading `series` in blocks of rows: memory is bounded by the windows
// (at most 600 samples each) and a block of rows, not by the series' length. The
// result is identical to the in-memory overload's for the same samples. cells.size()
// must equal series.channels().
OscillationSummary measure_oscillation(const SampledSeries& series, const std::vector<std::array<PetscInt, 3>>& cells,
                                       double t_start, int cells_per_level = 1);

}  // namespace nf
