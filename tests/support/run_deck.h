#pragma once
// Test support: run a deck (text plus overrides) into a fresh temporary folder that
// every rank of the communicator agrees on, and remove it afterwards.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "io/deck.h"
#include "problem/simulation.h"

namespace nf::test {

class TempDir {
 public:
  TempDir(MPI_Comm comm, const std::string& tag);
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  MPI_Comm comm_;
  std::filesystem::path path_;
};

// The text of input_decks/<name>.
std::string deck_text(const std::string& name);

// Runs `text` with `overrides` (output.dir is set to a temporary folder). When the
// overrides shorten the run to the deck's analysis.t_start or less, the fit starts at
// t_end/4 instead (shortened_run_overrides). On rank 0 the result's probe_times and
// probe_signals are filled from probes.h5 (load_probe_series).
std::vector<std::string> shortened_run_overrides(const std::string& text, std::vector<std::string> overrides,
                                                 const std::string& tag);
SimulationResult run_deck_text(const std::string& text, std::vector<std::string> overrides, MPI_Comm comm,
                               const std::string& tag);

// The same deck run on every rank of PETSC_COMM_WORLD and, separately, on rank 0
// alone (PETSC_COMM_SELF), for the rank-independence tests. `alone` is set on rank 0
// only. Throws std::logic_error on fewer than 2 ranks: there the "separate" run would
// be the same run, and the comparison would prove nothing.
struct RankComparison {
  SimulationResult all;
  std::optional<SimulationResult> alone;
};
RankComparison run_on_all_and_alone(const std::string& text, const std::vector<std::string>& overrides,
                                    const std::string& tag);

// On rank 0 (with `alone`): the largest |all - alone| over the final states and the
// largest |alone|. Throws std::logic_error when the states differ in size.
struct StateDifference {
  double largest = 0;
  double scale = 0;
};
StateDifference final_state_difference(const RankComparison& runs);

}  // namespace nf::test
