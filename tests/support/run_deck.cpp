#include "tests/support/run_deck.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace nf::test {

TempDir::TempDir(MPI_Comm comm, const std::string& tag) : comm_(comm) {
  long id = static_cast<long>(getpid());
  MPI_Bcast(&id, 1, MPI_LONG, 0, comm_);
  path_ = std::filesystem::temp_directory_path() / ("neurofield_test_" + tag + "_" + std::to_string(id));
}

TempDir::~TempDir() {
  MPI_Barrier(comm_);
  int rank = 0;
  MPI_Comm_rank(comm_, &rank);
  std::error_code ignored;
  if (rank == 0) std::filesystem::remove_all(path_, ignored);
}

std::string deck_text(const std::string& name) {
  std::ifstream in(std::string(NEUROFIELD_SOURCE_DIR) + "/input_decks/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A shipped deck's analysis.t_start suits its full length. A test that shortens the
// run to t_start or less (an empty fit window is a deck error) fits from t_end/4, as a
// deck without t_start would; an explicit analysis.t_start override is left alone.
std::vector<std::string> shortened_run_overrides(const std::string& text, std::vector<std::string> overrides,
                                                 const std::string& tag) {
  for (const auto& o : overrides)
    if (o.rfind("analysis.t_start=", 0) == 0) return overrides;
  const Deck deck = Deck::parse(text, tag + ".yaml", overrides);
  const ParamValues& analysis = deck.section("analysis");
  const double t_end = deck.section("time").real("t_end");
  if (analysis.has("t_start") && analysis.real("t_start") >= t_end)
    overrides.push_back(fmt::format("analysis.t_start={:.17g}", t_end / 4));
  return overrides;
}

SimulationResult run_deck_text(const std::string& text, std::vector<std::string> overrides, MPI_Comm comm,
                               const std::string& tag) {
  TempDir dir(comm, tag);
  overrides = shortened_run_overrides(text, std::move(overrides), tag);
  overrides.push_back("output.dir=" + dir.path().string());
  const Deck deck = Deck::parse(text, tag + ".yaml", overrides);
  SimulationResult result = run_simulation(deck, comm, tag);
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  if (rank == 0) load_probe_series(result);  // before the folder is removed
  return result;
}

RankComparison run_on_all_and_alone(const std::string& text, const std::vector<std::string>& overrides,
                                    const std::string& tag) {
  int rank = 0, size = 1;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  MPI_Comm_size(PETSC_COMM_WORLD, &size);
  if (size < 2) throw std::logic_error("a rank-independence test needs 2 or more ranks (mpiexec -n 2)");
  RankComparison r{run_deck_text(text, overrides, PETSC_COMM_WORLD, tag + "_all"), std::nullopt};
  if (rank == 0) r.alone = run_deck_text(text, overrides, PETSC_COMM_SELF, tag + "_alone");
  return r;
}

StateDifference final_state_difference(const RankComparison& runs) {
  const std::vector<double>& all = runs.all.final_state;
  const std::vector<double>& one = runs.alone.value().final_state;
  if (all.size() != one.size()) throw std::logic_error("the runs' final states differ in size");
  StateDifference d;
  for (std::size_t i = 0; i < one.size(); ++i) {
    d.scale = std::max(d.scale, std::abs(one[i]));
    d.largest = std::max(d.largest, std::abs(all[i] - one[i]));
  }
  return d;
}

}  // namespace nf::test
