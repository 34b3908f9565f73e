#include "problem/simulation.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <petscdmda.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <numbers>

#include "io/atomic_file.h"
#include "io/hdf5_fields.h"
#include "io/probe_recorder.h"
#include "io/vtk_series.h"
#include "problem/build_problem.h"
#include "problem/progress.h"
#include "problem/run_summary.h"
#include "solvers/petsc_error.h"

namespace nf {
namespace {

constexpr std::size_t kDefaultProbeLimit = 64;  // grids up to this size are probed everywhere

bool is_root(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return rank == 0;
}

std::filesystem::path output_dir(const Deck& deck, const std::string& stem) {
  const std::string dir = deck.section("output").text("dir");
  return std::filesystem::absolute(dir.empty() ? std::filesystem::path(stem) : std::filesystem::path(dir));
}

std::vector<std::array<PetscInt, 3>> probe_cells(const Deck& deck, const Grid& grid) {
  std::vector<std::array<PetscInt, 3>> cells;
  const IndexLists& given = deck.section("output").lists("probes");
  const auto& global = grid.patch().global;
  const std::string allowed =
      fmt::format("cells [i{}] with 0 <= index < [{}]", grid.dimension() > 1 ? ", j" : "",
                  fmt::join(global.begin(), global.begin() + grid.dimension(), ", "));
  for (std::size_t p = 0; p < given.size(); ++p) {
    const auto& g = given[p];
    std::array<PetscInt, 3> c{0, 0, 0};
    if (static_cast<int>(g.size()) != grid.dimension())
      throw deck.error_at("output.probes", fmt::format("probe {} = {} has {} indices; the grid has {} dimension{}", p,
                                                       g, g.size(), grid.dimension(), grid.dimension() > 1 ? "s" : ""),
                          allowed);
    for (std::size_t a = 0; a < g.size(); ++a) {
      c[a] = static_cast<PetscInt>(g[a]);
      if (c[a] >= global[a])
        throw deck.error_at("output.probes", fmt::format("probe {} = {} is outside the grid", p, g), allowed);
    }
    cells.push_back(c);
  }
  if (given.empty() && static_cast<std::size_t>(global[0] * global[1] * global[2]) <= kDefaultProbeLimit)
    for (PetscInt k = 0; k < global[2]; ++k)
      for (PetscInt j = 0; j < global[1]; ++j)
        for (PetscInt i = 0; i < global[0]; ++i) cells.push_back({i, j, k});
  return cells;
}

std::vector<double> gather_to_root(Vec u) {
  VecScatter scatter = nullptr;
  Vec all = nullptr;
  check_petsc(VecScatterCreateToZero(u, &scatter, &all));
  check_petsc(VecScatterBegin(scatter, u, all, INSERT_VALUES, SCATTER_FORWARD));
  check_petsc(VecScatterEnd(scatter, u, all, INSERT_VALUES, SCATTER_FORWARD));
  PetscInt n = 0;
  const PetscScalar* a = nullptr;
  check_petsc(VecGetLocalSize(all, &n));
  check_petsc(VecGetArrayRead(all, &a));
  std::vector<double> out(a, a + n);
  check_petsc(VecRestoreArrayRead(all, &a));
  VecScatterDestroy(&scatter);
  VecDestroy(&all);
  return out;
}

std::string now_text() {
  const std::time_t t = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z", std::localtime(&t));
  return buf;
}

// The natural-order (DMDA) global vector of a DMDA vector.
std::vector<double> natural_on_root(DM dm, Vec u) {
  Vec natural = nullptr;
  check_petsc(DMDACreateNaturalVector(dm, &natural));
  check_petsc(DMDAGlobalToNaturalBegin(dm, u, INSERT_VALUES, natural));
  check_petsc(DMDAGlobalToNaturalEnd(dm, u, INSERT_VALUES, natural));
  std::vector<double> out = gather_to_root(natural);
  VecDestroy(&natural);
  return out;
}

}  // namespace

void require_petsc_options_used(const Deck& deck) {
  PetscInt n = 0;
  char** names = nullptr;
  char** values = nullptr;
  check_petsc(PetscOptionsLeftGet(nullptr, &n, &names, &values));
  std::vector<std::string> unused;
  for (PetscInt i = 0; i < n; ++i) {
    const std::string name = names[i];
    const bool read_later = name.find("view") != std::string::npos || name.rfind("log", 0) == 0 ||
                            name.rfind("malloc", 0) == 0 || name.rfind("options_", 0) == 0 ||
                            name.rfind("info", 0) == 0 || name == "help" || name.rfind("mpi", 0) == 0 ||
                            name.rfind("on_error", 0) == 0 || name.rfind("check_pointer", 0) == 0 ||
                            name.find("ksp_converged_reason") != std::string::npos ||
                            name.find("snes_converged_reason") != std::string::npos;
    if (read_later) continue;
    const bool from_deck = deck.petsc_options().find("-" + name) != std::string::npos;
    unused.push_back(fmt::format("-{}{} ({})", name, values[i] ? std::string(" ") + values[i] : "",
                                 from_deck ? "from petsc: at " + deck.location_of("petsc").str()
                                           : "from the command line after --"));
  }
  check_petsc(PetscOptionsLeftRestore(nullptr, &n, &names, &values));
  if (!unused.empty())
    throw DeckError(fmt::format(
        "error: PETSc option{} {} {} not used by any solver object: misspelt, or not for this integrator\n"
        "  allowed: the options of the objects in this run; list them by adding -help",
        unused.size() > 1 ? "s" : "", fmt::join(unused, ", "), unused.size() > 1 ? "were" : "was"));
}

SimulationResult run_simulation(const Deck& deck, MPI_Comm comm, const std::string& deck_stem) {
  SimulationResult result;
  const bool root = is_root(comm);
  int ranks = 1;
  MPI_Comm_size(comm, &ranks);
  std::unique_ptr<Problem> problem = build_problem(deck, comm);
  const IntegratorSettings settings = integrator_settings(deck);
  std::unique_ptr<Integrator> integrator = make_integrator(deck, *problem);
  require_petsc_options_used(deck);
  result.predicted = problem->model().predicted_dominant_mode();
  const auto cells = probe_cells(deck, problem->grid());

  // Checks passed: from here on the run folder is written.
  const ParamValues& out = deck.section("output");
  result.output_dir = output_dir(deck, deck_stem);
  if (root) std::filesystem::create_directories(result.output_dir);
  MPI_Barrier(comm);
  if (root) write_text_atomically(result.output_dir / "deck.used.yaml", deck.effective_yaml());

  ProbeRecorder probes(problem->grid(), cells, result.output_dir / "probes.h5");
  ProgressLine progress(comm, settings.t0, settings.t_end);
  std::vector<std::unique_ptr<StepObserver>> writers;
  if (out.flag("vtk"))
    writers.push_back(std::make_unique<VtkSeriesWriter>(problem->grid(), result.output_dir, out.real("vtk_every")));
  if (out.flag("hdf5"))
    writers.push_back(std::make_unique<Hdf5FieldWriter>(problem->grid(), result.output_dir / "fields.h5",
                                                        out.real("hdf5_every"), deck.effective_yaml()));
  std::vector<StepObserver*> observers = {&progress, &probes};
  for (auto& w : writers) observers.push_back(w.get());

  std::string log = fmt::format("neurofield {}\nstarted {}\ndeck {}\nranks {}\ngrid cells {}\nlags (s) {}\n",
                                NEUROFIELD_VERSION, now_text(), deck.source(), ranks,
                                problem->grid().global_size(), fmt::join(problem->lags(), ", "));
  if (const HistoryMemory memory = integrator->history_memory(); memory.rank.slots > 0)
    log += describe(memory) + "\n";
  for (const auto& note : run_notes(deck)) log += note + "\n";
  Vec u = nullptr;
  check_petsc(DMCreateGlobalVector(problem->dm(), &u));
  try {
    result.stats = integrator->run(u, observers);
  } catch (const std::exception& e) {
    for (StepObserver* o : observers) o->abandon();
    if (root) write_text_atomically(result.output_dir / "log.txt", log + "FAILED: " + e.what() + "\n");
    VecDestroy(&u);
    throw;
  }
  for (StepObserver* o : observers) o->finish();
  result.final_state = natural_on_root(problem->dm(), u);
  VecDestroy(&u);

  if (root) {
    std::vector<std::vector<double>>& signals = result.probe_signals;
    for (std::size_t p = 0; p < probes.probe_count(); ++p) signals.push_back(probes.signal(p, 0));
    result.probe_times = probes.times();
    const ParamValues& analysis = deck.section("analysis");
    const double t_start = analysis.has("t_start") ? analysis.real("t_start") : settings.t_end / 4;
    result.measured = measure_oscillation(probes.times(), signals, cells, t_start);
    result.summary = summary_json(result.measured, result.predicted, result.stats, settings.t_end, ranks);
    write_text_atomically(result.output_dir / "summary.json", result.summary.dump(2) + "\n");
    write_text_atomically(result.output_dir / "log.txt",
                          log + fmt::format("steps {}\nwall seconds {:.3f}\nsummary {}\nfinished {}\n",
                                            result.stats.steps, result.stats.wall_seconds, result.summary.dump(),
                                            now_text()));
  }
  return result;
}

}  // namespace nf
