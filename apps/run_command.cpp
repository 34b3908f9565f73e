#include <fmt/format.h>
#include <petscsys.h>

#include <numbers>

#include "apps/commands.h"
#include "problem/build_problem.h"
#include "problem/simulation.h"
#include "base/petsc_error.h"

namespace nf {

void insert_petsc_options(const Deck& deck, const std::vector<char*>& cli) {
  check_petsc(PetscOptionsInsertString(nullptr, deck.petsc_options().c_str()));
  std::string again;
  for (std::size_t i = 1; i < cli.size() && cli[i]; ++i) again += std::string(cli[i]) + " ";
  check_petsc(PetscOptionsInsertString(nullptr, again.c_str()));
}

namespace {

// "400 steps of 0.001 s" for fixed steps; the mean step and the rejections otherwise
// (CVODE always adapts).
std::string steps_text(const Deck& deck, const SimulationResult& r) {
  const RunStats& stats = r.stats;
  if (!r.method.adaptive) return fmt::format("{} steps of {:g} s", stats.steps, deck.section("time").real("dt"));
  const double mean = stats.steps > 0 ? stats.t_final / static_cast<double>(stats.steps) : 0.0;  // runs start at t = 0
  return fmt::format("{} adaptive steps (mean {:.3g} s, {} rejected)", stats.steps, mean, stats.rejected);
}

// Whether measured and predicted can agree, and whether they do.
void print_comparison(const ModeComparison& c) {
  if (!c.applies()) {
    fmt::print("  comparison     does not apply: {}\n", c.not_applicable);
    return;
  }
  if (c.agrees && !*c.agrees)
    fmt::print("  comparison     DISAGREE: measured - predicted = {:+.3g} Hz, {:+.3g} /s; tolerance {:.2g} Hz, {:.2g} /s "
               "(fit spread and step error)\n",
               c.frequency_difference_hz, c.growth_difference_per_s, c.frequency_tolerance_hz, c.growth_tolerance_per_s);
  else
    fmt::print("  comparison     agree within {:.2g} Hz, {:.2g} /s (fit spread and step error)\n", c.frequency_tolerance_hz,
               c.growth_tolerance_per_s);
}

void print_summary(const Deck& deck, const SimulationResult& r, int ranks) {
  fmt::print("neurofield: {}, {}/{} in {}, {:.2f} s wall on {} rank{}\n", deck.type_of("model"), r.method.backend,
             r.method.method.empty() ? r.method.library : r.method.method, steps_text(deck, r), r.stats.wall_seconds,
             ranks, ranks > 1 ? "s" : "");
  if (r.measured.found)
    fmt::print("  dominant mode  {:.4f} Hz, growth {:+.4f} /s\n", r.measured.frequency_hz,
               r.measured.growth_rate_per_s);
  else
    fmt::print("  dominant mode  none found in the probe signals: {}\n", r.measured.no_mode_reason);
  if (r.predicted)
    fmt::print("  predicted      {:.4f} Hz, growth {:+.4f} /s ({})\n",
               std::abs(r.predicted->rate.imag()) / (2 * std::numbers::pi), r.predicted->rate.real(),
               r.predicted->label);
  else if (!r.predicted_note.empty())
    fmt::print("  predicted      {}\n", r.predicted_note);
  print_comparison(r.comparison);
  fmt::print("  wave           {}: 2D FFT {}, fw_bw_log_ratio {}; phase lag {}, {:.1f} deg/layer\n",
             r.summary.value("direction", std::string("none")), r.wave.direction,
             r.wave.log_ratio ? fmt::format("{:+.3f}", *r.wave.log_ratio) : "none (" + r.wave.reason + ")",
             r.measured.direction, r.measured.phase_lag_deg_per_layer);
  fmt::print("  output         {}\n", r.output_dir.string());
}

}  // namespace

int run_deck(const Deck& deck, const std::string& stem, const std::vector<char*>& cli_petsc,
             const std::string& restart_dir) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  MPI_Comm_size(PETSC_COMM_WORLD, &ranks);
  if (rank == 0)
    for (const auto& note : run_notes(deck)) fmt::print(stderr, "neurofield: {}\n", note);
  insert_petsc_options(deck, cli_petsc);
  const SimulationResult r = run_simulation(deck, PETSC_COMM_WORLD, stem, restart_dir);
  if (rank == 0) print_summary(deck, r, ranks);
  return 0;
}

}  // namespace nf
