#include "postprocess/oscillation.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>
#include <optional>
#include <stdexcept>

namespace nf {
namespace {

constexpr double kTravellingMinDeg = 5;    // |lag| <= 5 deg: in phase, no direction
constexpr double kTravellingMaxDeg = 175;  // |lag| >= 175 deg: anti-phase (standing), no direction
constexpr double kNegligibleAmplitude = 1e-12;  // relative to the largest |a_c| of the dominant mode

void validate(const std::vector<FittedMode>& modes, double window_seconds, const std::vector<double>& spacing,
              double significance) {
  if (!(window_seconds > 0) || !std::isfinite(window_seconds))
    throw std::invalid_argument("summarise_oscillation: window_seconds = " + std::to_string(window_seconds) +
                                " s must be positive and finite");
  if (!(significance > 0 && significance <= 1))
    throw std::invalid_argument("summarise_oscillation: significance = " + std::to_string(significance) +
                                " must lie in (0, 1]");
  if (modes.empty()) return;
  const std::size_t channels = modes.front().amplitude.size();
  for (const auto& m : modes)
    if (m.amplitude.size() != channels)
      throw std::invalid_argument("summarise_oscillation: modes carry different numbers of channel amplitudes (" +
                                  std::to_string(channels) + " and " + std::to_string(m.amplitude.size()) + ")");
  if (channels > 0 && spacing.size() != channels - 1)
    throw std::invalid_argument("summarise_oscillation: channel_spacing has " + std::to_string(spacing.size()) +
                                " entries; " + std::to_string(channels) + " channels need " +
                                std::to_string(channels - 1));
  for (double d : spacing)
    if (!(d > 0) || !std::isfinite(d))
      throw std::invalid_argument("summarise_oscillation: channel spacing " + std::to_string(d) +
                                  " must be positive and finite");
}

double max_abs(const std::vector<std::complex<double>>& a) {
  double m = 0;
  for (const auto& x : a) m = std::max(m, std::abs(x));
  return m;
}

// log w_m = log max_c |a_{c,m}| + Re(lambda_m) T, in logs so a growing mode cannot overflow.
double log_size(const FittedMode& mode, double window_seconds) {
  return std::log(max_abs(mode.amplitude)) + mode.rate.real() * window_seconds;
}

// Least damped significant mode; equal Re(lambda) prefers Im(lambda) >= 0.
std::optional<FittedMode> dominant_mode(const std::vector<FittedMode>& modes, double window_seconds,
                                        double significance) {
  double largest = -std::numeric_limits<double>::infinity();
  for (const auto& m : modes) largest = std::max(largest, log_size(m, window_seconds));
  if (!std::isfinite(largest)) return std::nullopt;
  const double threshold = largest + std::log(significance);
  const FittedMode* best = nullptr;
  for (const auto& m : modes) {
    if (!(log_size(m, window_seconds) >= threshold)) continue;
    const bool better = !best || m.rate.real() > best->rate.real() ||
                        (m.rate.real() == best->rate.real() && m.rate.imag() >= 0 && best->rate.imag() < 0);
    if (better) best = &m;
  }
  FittedMode d = *best;
  if (d.rate.imag() < 0) {
    d.rate = std::conj(d.rate);
    for (auto& a : d.amplitude) a = std::conj(a);
  }
  return d;
}

// x in degrees -> (-180, 180].
double wrap_degrees(double x) {
  const double r = std::remainder(x, 360.0);
  return r <= -180 ? r + 360 : r;
}

// Circular weighted mean of the per-layer lags, arg(sum_c w_c exp(i lag_c)): lags of
// +180 and -180 deg (a standing, sign-alternating pattern) average to 180, not 0.
// A pair k times further apart than the closest pairs knows the lag only modulo 360/k
// deg, so only the closest pairs count.
double phase_lag_deg(const std::vector<std::complex<double>>& a, const std::vector<double>& spacing) {
  const double floor = kNegligibleAmplitude * max_abs(a);
  const double closest = spacing.empty() ? 0.0 : *std::min_element(spacing.begin(), spacing.end());
  std::complex<double> sum = 0;
  for (std::size_t c = 0; c + 1 < a.size(); ++c) {
    if (spacing[c] != closest) continue;
    const double w = std::min(std::abs(a[c]), std::abs(a[c + 1]));
    if (!(w >= floor) || w == 0) continue;
    const double lag = wrap_degrees((std::arg(a[c]) - std::arg(a[c + 1])) * 180 / std::numbers::pi) / spacing[c];
    sum += w * std::polar(1.0, lag * std::numbers::pi / 180);
  }
  return std::abs(sum) > 0 ? wrap_degrees(std::arg(sum) * 180 / std::numbers::pi) : 0;
}

std::string direction_of(double lag_deg) {
  if (lag_deg > kTravellingMinDeg && lag_deg < kTravellingMaxDeg) return "forward";
  if (lag_deg < -kTravellingMinDeg && lag_deg > -kTravellingMaxDeg) return "backward";
  return "none";
}

}  // namespace

OscillationSummary summarise_oscillation(const std::vector<FittedMode>& modes, double window_seconds,
                                         const std::vector<double>& channel_spacing, double significance) {
  validate(modes, window_seconds, channel_spacing, significance);
  OscillationSummary s;
  const auto dominant = dominant_mode(modes, window_seconds, significance);
  if (!dominant) {
    s.no_mode_reason = modes.empty() ? "the fit found no mode (the signals are identically zero)"
                                     : "no fitted mode has a finite size over the window";
    return s;
  }
  s.found = true;
  s.frequency_hz = std::abs(dominant->rate.imag()) / (2 * std::numbers::pi);
  s.growth_rate_per_s = dominant->rate.real();
  s.phase_lag_deg_per_layer = phase_lag_deg(dominant->amplitude, channel_spacing);
  s.direction = direction_of(s.phase_lag_deg_per_layer);
  return s;
}

}  // namespace nf
