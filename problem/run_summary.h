#pragma once
// summary.json: what a run measured from its probes (dominant oscillation, its phase
// lag along the first axis, the wave direction), next to what the model predicts.
#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <vector>

#include "models/model.h"
#include "postprocess/oscillation.h"
#include "solvers/integrators/integrator.h"

namespace nf {

// Fits the probe signals (rank 0's series) over [t_start, end] with a multichannel
// matrix pencil and summarises the dominant mode. `signals[c]` is probe c at `times`.
OscillationSummary measure_oscillation(const std::vector<double>& times, const std::vector<std::vector<double>>& signals,
                                       const std::vector<std::array<PetscInt, 3>>& cells, double t_start);

nlohmann::json summary_json(const OscillationSummary& measured, const std::optional<PredictedMode>& predicted,
                            const RunStats& stats, double t_end, int ranks);

}  // namespace nf
