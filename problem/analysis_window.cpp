#include "problem/analysis_window.h"

#include <fmt/format.h>

namespace nf {
namespace {

constexpr double kImpulseWidths = 8.6;  // widths after its centre where the pulse is below 1e-16 of its peak

}  // namespace

double analysis_window_start(const Deck& deck) {
  const ParamValues& analysis = deck.section("analysis");
  return analysis.has("t_start") ? analysis.real("t_start") : deck.section("time").real("t_end") / 4;
}

void check_analysis_window(const Deck& deck) {
  if (!deck.section("analysis").has("t_start")) return;
  const double t_start = deck.section("analysis").real("t_start");
  const double t_end = deck.section("time").real("t_end");
  if (t_start < t_end) return;
  throw deck.error_at(
      "analysis.t_start",
      fmt::format("analysis.t_start = {:g} s is not before time.t_end = {:g} s: the fitted window [t_start, t_end] "
                  "is empty",
                  t_start, t_end),
      fmt::format("0 <= analysis.t_start < time.t_end = {:g} s (default t_end/4 = {:g} s)", t_end, t_end / 4));
}

std::string drive_in_window(const Deck& deck, double t_start) {
  const std::string& type = deck.type_of("input");
  if (type.empty() || type == "none") return "";
  if (type == "impulse") {
    const ParamValues& in = deck.section("input");
    const double off = in.real("onset") + kImpulseWidths * in.real("width");
    if (off <= t_start) return "";
    return fmt::format("the impulse is still on at analysis.t_start = {:g} s (it ends near {:g} s)", t_start, off);
  }
  return fmt::format("the run is driven (input.type = {}): the response follows the drive, not the free mode", type);
}

StepError step_error(const Deck& deck, const MethodDescription& method, const RunStats& stats) {
  const ParamValues& t = deck.section("time");
  return {method.adaptive, method.order, t.real("dt"), t.real("rtol"), static_cast<double>(stats.steps),
          stats.t_final};
}

}  // namespace nf
