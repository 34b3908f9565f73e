#pragma once
// Whether a run's measured dominant mode can be compared with the model's predicted
// one, and, when it can, whether they agree within the fit's own uncertainty and the
// time stepping's error on a rate.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "models/model.h"
#include "postprocess/oscillation.h"

namespace nf {

// How far time stepping moves a mode's rate (1/s).
//   Fixed steps h, order p: |lambda| |lambda h|^p / (p+1)!, the leading error of an
//   explicit Runge-Kutta method on y' = lambda y (Hairer, Norsett & Wanner, Solving
//   ODEs I, II.2); taken as the estimate for every fixed-step method of order p.
//   Error-controlled steps: rtol per step, rtol * steps / t_span per second.
struct StepError {
  bool adaptive = false;
  int order = 0;
  double dt = 0;       // s, fixed steps
  double rtol = 0;     // adaptive
  double steps = 0;    // adaptive
  double t_span = 0;   // s, adaptive
  double on_rate(std::complex<double> lambda) const;
};

struct ModeComparison {
  std::string not_applicable;   // why measured and predicted cannot agree, or empty
  std::optional<bool> agrees;   // when it applies: |difference| <= tolerance for frequency and growth
  double frequency_difference_hz = 0;   // measured - predicted
  double growth_difference_per_s = 0;   // measured - predicted
  double frequency_tolerance_hz = 0;
  double growth_tolerance_per_s = 0;
  bool applies() const { return not_applicable.empty(); }
};

// `drive` is why the window holds a driven response (problem/analysis_window.h), or empty.
// Not applicable: no prediction; no measured mode; a driven window; a window that is
// not one asymptotic mode yet (transient dominated: the fit windows' rates spread by
// more than kTransientSpread of |lambda|; a free linear response is a sum of
// exponentials, which every window fits with the same rates).
// Tolerance: 3 times the windows' spread plus StepError::on_rate at the predicted rate.
ModeComparison compare_modes(const OscillationSummary& measured, const std::optional<PredictedMode>& predicted,
                             const std::string& drive, const StepError& step);

// summary.json's "comparison" object.
nlohmann::json comparison_json(const ModeComparison& c);

}  // namespace nf
