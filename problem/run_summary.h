#pragma once
// summary.json: what a run measured (postprocess/ computes it: the dominant oscillation,
// its phase lag along the first axis, the wave direction), next to what the model predicts.
// This file only formats.
#include <nlohmann/json.hpp>

#include <optional>

#include "models/model.h"
#include "postprocess/oscillation.h"
#include "postprocess/wave_direction.h"
#include "solvers/integrators/integrator.h"

namespace nf {

// The keys of summary.json from the measured oscillation, the model's prediction (its
// rate lambda as frequency |Im lambda| / 2pi in Hz and growth Re lambda in 1/s) and the run's statistics.
nlohmann::json summary_json(const OscillationSummary& measured, const std::optional<PredictedMode>& predicted,
                            const RunStats& stats, double t_end, int ranks);

// fw_bw_log_ratio (ln(P_fw/P_bw), postprocess/wave_direction.h; null, with fw_bw_reason,
// when not defined), fw_bw_direction (forward, backward or none: |ratio| < ln 2) and fw_bw
// (the quadrant powers, the sample interval in s, samples and segments) into `j`.
void add_wave_direction(const WaveDirection& w, nlohmann::json& j);

}  // namespace nf
