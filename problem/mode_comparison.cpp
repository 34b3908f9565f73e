#include "problem/mode_comparison.h"

#include <fmt/format.h>

#include <cmath>
#include <numbers>

namespace nf {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;
// Spread of the fit windows' rates, relative to |lambda|, beyond which the window is not
// one asymptotic mode. Windows of a free response agree far closer (the 8-layer chain:
// 1e-14 with rk4 at fixed steps, 3e-7 under CVODE's error control); a transient that
// is still sorting itself out moves the rate between windows by tens of percent (the
// 64-layer chain over 1.5-6 s: 0.25).
constexpr double kTransientSpread = 1e-3;
// Agreement: |difference| <= kUncertainties * spread + step error.
constexpr double kUncertainties = 3;

std::string why_not(const OscillationSummary& m, const std::optional<PredictedMode>& predicted,
                    const std::string& drive) {
  if (!predicted) return "the model predicts no mode for this run";
  if (!m.found) return "no mode was measured: " + m.no_mode_reason;
  if (!drive.empty()) return drive;
  if (!m.frequency_uncertainty_hz || !m.growth_uncertainty_per_s) return "";
  const double spread = std::hypot(kTwoPi * *m.frequency_uncertainty_hz, *m.growth_uncertainty_per_s);
  const double size = std::abs(std::complex<double>(m.growth_rate_per_s, kTwoPi * m.frequency_hz));
  if (spread > kTransientSpread * size)
    return fmt::format("transient dominated: the fit windows' rates spread by {:.2g} of |lambda| (more than {:g}); "
                       "the window does not see one asymptotic mode yet (a later analysis.t_start or a longer run)",
                       spread / size, kTransientSpread);
  return "";
}

}  // namespace

double StepError::on_rate(std::complex<double> lambda) const {
  if (adaptive) return t_span > 0 ? rtol * steps / t_span : 0;
  double factorial = 1;
  for (int k = 2; k <= order + 1; ++k) factorial *= k;
  return std::abs(lambda) * std::pow(std::abs(lambda) * dt, order) / factorial;
}

ModeComparison compare_modes(const OscillationSummary& m, const std::optional<PredictedMode>& predicted,
                             const std::string& drive, const StepError& step) {
  ModeComparison c;
  c.not_applicable = why_not(m, predicted, drive);
  if (!c.applies()) return c;
  const std::complex<double> lambda = predicted->rate;
  c.frequency_difference_hz = m.frequency_hz - std::abs(lambda.imag()) / kTwoPi;
  c.growth_difference_per_s = m.growth_rate_per_s - lambda.real();
  const double stepping = step.on_rate(lambda);
  c.frequency_tolerance_hz = kUncertainties * m.frequency_uncertainty_hz.value_or(0) + stepping / kTwoPi;
  c.growth_tolerance_per_s = kUncertainties * m.growth_uncertainty_per_s.value_or(0) + stepping;
  c.agrees = std::abs(c.frequency_difference_hz) <= c.frequency_tolerance_hz &&
             std::abs(c.growth_difference_per_s) <= c.growth_tolerance_per_s;
  return c;
}

nlohmann::json comparison_json(const ModeComparison& c) {
  if (!c.applies()) return {{"applies", false}, {"reason", c.not_applicable}, {"agrees", nullptr}};
  return {{"applies", true},
          {"reason", nullptr},
          {"agrees", c.agrees ? nlohmann::json(*c.agrees) : nlohmann::json()},
          {"frequency_difference_hz", c.frequency_difference_hz},
          {"growth_difference_per_s", c.growth_difference_per_s},
          {"frequency_tolerance_hz", c.frequency_tolerance_hz},
          {"growth_tolerance_per_s", c.growth_tolerance_per_s}};
}

}  // namespace nf
