#include <fmt/format.h>
#include <petscsys.h>

#include <numbers>

#include "apps/commands.h"
#include "problem/simulation.h"
#include "solvers/petsc_error.h"

namespace nf {
namespace {

void insert_petsc_options(const Deck& deck, const std::vector<char*>& cli) {
  check_petsc(PetscOptionsInsertString(nullptr, deck.petsc_options().c_str()));
  std::string again;
  for (std::size_t i = 1; i < cli.size(); ++i) again += std::string(cli[i]) + " ";
  check_petsc(PetscOptionsInsertString(nullptr, again.c_str()));
}

void print_summary(const Deck& deck, const SimulationResult& r, int ranks) {
  const auto& time = deck.section("time");
  fmt::print("neurofield: {}, {} in {} steps of {:g} s, {:.2f} s wall on {} rank{}\n", deck.type_of("model"),
             time.choice("method"), r.stats.steps, time.real("dt"), r.stats.wall_seconds, ranks, ranks > 1 ? "s" : "");
  if (r.measured.found)
    fmt::print("  dominant mode  {:.4f} Hz, growth {:+.4f} /s\n", r.measured.frequency_hz,
               r.measured.growth_rate_per_s);
  else
    fmt::print("  dominant mode  none found in the probe signals\n");
  if (r.predicted)
    fmt::print("  predicted      {:.4f} Hz, growth {:+.4f} /s ({})\n",
               std::abs(r.predicted->rate.imag()) / (2 * std::numbers::pi), r.predicted->rate.real(),
               r.predicted->label);
  fmt::print("  wave           {}, phase lag {:.1f} deg/layer\n", r.measured.direction,
             r.measured.phase_lag_deg_per_layer);
  fmt::print("  output         {}\n", r.output_dir.string());
}

}  // namespace

int run_deck(const Deck& deck, const std::string& stem, const std::vector<char*>& cli_petsc) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  MPI_Comm_size(PETSC_COMM_WORLD, &ranks);
  if (rank == 0)
    for (const auto& note : deck.notes()) fmt::print(stderr, "neurofield: {}\n", note);
  insert_petsc_options(deck, cli_petsc);
  const SimulationResult r = run_simulation(deck, PETSC_COMM_WORLD, stem);
  if (rank == 0) print_summary(deck, r, ranks);
  return 0;
}

}  // namespace nf
