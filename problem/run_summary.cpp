#include "problem/run_summary.h"

#include <cmath>
#include <numbers>

namespace nf {
namespace {

nlohmann::json optional_json(const std::optional<double>& x) { return x ? nlohmann::json(*x) : nlohmann::json(); }

// The measured mode's keys: null, with the reason, when no mode was found.
void add_measured(const OscillationSummary& m, nlohmann::json& j) {
  const auto value = [&](double x) { return m.found ? nlohmann::json(x) : nlohmann::json(); };
  j["frequency_hz"] = value(m.frequency_hz);
  j["growth_rate_per_s"] = value(m.growth_rate_per_s);
  j["phase_lag_deg_per_layer"] = value(m.phase_lag_deg_per_layer);
  j["direction"] = m.direction;
  j["mode_found"] = m.found;
  j["no_mode_reason"] = m.found ? nlohmann::json() : nlohmann::json(m.no_mode_reason);
  j["frequency_uncertainty_hz"] = optional_json(m.frequency_uncertainty_hz);
  j["growth_uncertainty_per_s"] = optional_json(m.growth_uncertainty_per_s);
  if (m.windows > 0)
    j["fit"] = {{"windows", m.windows}, {"sample_interval_s", m.sample_interval_s}, {"window_s", m.window_s}};
}

}  // namespace

nlohmann::json summary_json(const OscillationSummary& m, const std::optional<PredictedMode>& predicted,
                            const RunStats& stats, double t_end, int ranks) {
  nlohmann::json j;
  add_measured(m, j);
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

// `direction` is the 2D-FFT classification where the probes give one (a line of at
// least 3 levels), the phase lag's otherwise: under noise the fitted dominant mode is
// not the wave that travels (its lag may point either way), while the quadrant powers
// weigh every travelling component. Both measures are kept beside it.
void add_wave_direction(const WaveDirection& w, nlohmann::json& j) {
  j["phase_lag_direction"] = j["direction"];
  if (w.log_ratio || w.direction != "none") j["direction"] = w.direction;
  j["fw_bw_log_ratio"] = optional_json(w.log_ratio);
  j["fw_bw_direction"] = w.direction;
  j["fw_bw_reason"] = w.reason.empty() ? nlohmann::json() : nlohmann::json(w.reason);
  if (w.segments > 0)
    j["fw_bw"] = {{"forward_power", w.forward_power}, {"backward_power", w.backward_power},
                  {"sample_interval_s", w.sample_interval_s}, {"samples", w.samples}, {"segments", w.segments}};
}

}  // namespace nf
