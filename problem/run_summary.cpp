#include "problem/run_summary.h"

#include <cmath>
#include <numbers>

namespace nf {

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
