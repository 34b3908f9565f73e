#include <fmt/format.h>
#include <fmt/ranges.h>
#include <petscsys.h>

#include "apps/commands.h"
#include "problem/sweep_run.h"

namespace nf {

int sweep_deck(const std::string& deck_path, const std::vector<std::string>& overrides,
               const std::vector<char*>& cli_petsc) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  MPI_Comm_size(PETSC_COMM_WORLD, &ranks);
  // The deck as `run` reads it first (a run ignores the sweep: section): the same
  // refusals for a missing, empty or bad deck.
  const Deck base = Deck::load(deck_path, overrides);
  const SweepSpec spec = read_sweep_spec(deck_path);
  insert_petsc_options(base, cli_petsc);
  const std::string stem = std::filesystem::path(deck_path).stem();
  const SweepOutcome o = run_sweep(spec, overrides, stem, PETSC_COMM_WORLD);
  if (rank == 0) {
    std::vector<std::string> keys;
    for (const auto& p : spec.parameters) keys.push_back(p.key);
    fmt::print("neurofield: sweep of {} points ({} of {}), {} ok, {} failed; {} run now, {:.2f} s wall on {} rank{} "
               "({} per point)\n",
               o.total, spec.combine, fmt::join(keys, ", "), o.total - o.failures, o.failures, o.ran, o.wall_seconds,
               ranks, ranks > 1 ? "s" : "", spec.ranks_per_point);
    fmt::print("  table          {}, {}\n", (o.folder / "sweep.h5").string(), (o.folder / "sweep.csv").string());
  }
  return 0;
}

}  // namespace nf
