#include "problem/excitable_measurements.h"

#include <fmt/format.h>

#include <cmath>

#include "io/atomic_file.h"

namespace nf {
namespace {

// The mean of the finite values at t >= t_start; none without.
std::optional<double> mean_over(const std::vector<double>& times, const std::vector<double>& values, double t_start) {
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t k = 0; k < times.size(); ++k)
    if (times[k] >= t_start && std::isfinite(values[k])) sum += values[k], ++n;
  if (n == 0) return std::nullopt;
  return sum / static_cast<double>(n);
}

}  // namespace

void add_pulse_measurements(const FrontObserver& fronts, double t_start, nlohmann::json& summary) {
  const FrontSpeedFit fit = fronts.planar_speed(t_start);
  summary["pulse_speed"] = fit.found ? nlohmann::json(fit.speed) : nlohmann::json();
  const std::optional<double> width = mean_over(fronts.times(), fronts.widths(), t_start);
  summary["pulse_width"] = width ? nlohmann::json(*width) : nlohmann::json();
}

void add_spiral_measurements(const SpiralTipObserver& tips, double t_start, nlohmann::json& summary) {
  const RotationFit fit = tips.rotation(t_start);
  summary["spiral_period"] = fit.found ? nlohmann::json(fit.period) : nlohmann::json();
  summary["spiral"] = {{"turns", fit.turns},
                       {"centre", {fit.centre_x, fit.centre_y}},
                       {"sense", fit.sense > 0 ? "counter-clockwise" : "clockwise"},
                       {"angle_rms_residual", fit.rms_residual},
                       {"points", fit.points},
                       {"fit_t_start", t_start},
                       {"steps_over_candidate_limit", tips.overflowed_steps()},
                       {"trajectory", "tip_trajectory.csv"}};
}

void write_tip_trajectory(const SpiralTipObserver& tips, TipLevels levels, const std::filesystem::path& dir) {
  std::string text = fmt::format("# spiral tip: u = {:g} meets w = {:g} (bilinear squares, middle plane)\n"
                                 "t_s,x_m,y_m,candidates\n",
                                 levels.u, levels.w);
  for (std::size_t k = 0; k < tips.times().size(); ++k) {
    const double x = tips.x()[k], y = tips.y()[k];
    text += std::isfinite(x) ? fmt::format("{:.9g},{:.9g},{:.9g},{}\n", tips.times()[k], x, y, tips.candidates()[k])
                             : fmt::format("{:.9g},,,{}\n", tips.times()[k], tips.candidates()[k]);
  }
  write_text_atomically(dir / "tip_trajectory.csv", text);
}

}  // namespace nf
