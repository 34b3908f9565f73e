#pragma once
// The dominant oscillation of a run's probe signals: a multichannel matrix pencil
// (postprocess/matrix_pencil.h) over the tail of the run, summarised by
// postprocess/oscillation.h.
#include <petscsys.h>

#include <array>
#include <vector>

#include "postprocess/oscillation.h"

namespace nf {

// Fits the probe signals (rank 0's series) over [t_start, end] with a multichannel
// matrix pencil and summarises the dominant mode. `signals[c]` is probe c at `times`;
// `cells[c]` is its grid cell (the spacing between adjacent probes along axis 0 sets
// the phase lag per cell). Fewer than 16 samples after t_start give found = false.
OscillationSummary measure_oscillation(const std::vector<double>& times, const std::vector<std::vector<double>>& signals,
                                       const std::vector<std::array<PetscInt, 3>>& cells, double t_start);

}  // namespace nf
