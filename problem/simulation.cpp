#include "problem/simulation.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <petscdmda.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <numbers>

#include "base/petsc_handles.h"
#include "io/atomic_file.h"
#include "io/hdf5_fields.h"
#include "io/probe_recorder.h"
#include "io/vtk_series.h"
#include "postprocess/front_observer.h"
#include "postprocess/oscillation_fit.h"
#include "postprocess/spiral_tip_observer.h"
#include "postprocess/wave_direction.h"
#include "problem/analysis_window.h"
#include "problem/build_problem.h"
#include "problem/excitable_measurements.h"
#include "problem/output_volume.h"
#include "problem/predicted_mode.h"
#include "problem/progress.h"
#include "problem/run_checkpoints.h"
#include "problem/run_folder.h"
#include "problem/run_summary.h"
#include "base/petsc_error.h"

namespace nf {
namespace {

constexpr std::size_t kDefaultProbeLimit = 64;  // grids up to this size are probed everywhere

namespace fs = std::filesystem;

// The deck with the defaults this run chose filled in: what deck.used.yaml records.
Deck used_deck(const Deck& deck, const fs::path& dir, const std::vector<std::array<PetscInt, 3>>& cells,
               const GridSpec& grid, double t_start) {
  const int dim = static_cast<int>(grid.cells.size());
  Deck used = deck;
  if (deck.section("output").text("dir").empty()) used.resolve("output.dir", dir.string());
  if (deck.section("output").lists("probes").empty()) {
    IndexLists lists;
    for (const auto& c : cells) lists.emplace_back(c.begin(), c.begin() + dim);
    used.resolve("output.probes", lists);
  }
  if (!deck.section("analysis").has("t_start")) used.resolve("analysis.t_start", t_start);
  if (deck.type_of("initial") == "front" && !deck.section("initial").has("position"))
    used.resolve("initial.position", initial_front_position(grid));
  return used;
}

double analysis_start(const Deck& deck) {
  const ParamValues& analysis = deck.section("analysis");
  return analysis.has("t_start") ? analysis.real("t_start") : deck.section("time").real("t_end") / 4;
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
  if (!given.empty()) return cells;
  if (const int per_level = grid.spec().cells_per_level; per_level > 0) {
    // A hierarchy: the middle cell of every level (of every stride-th level beyond 64
    // levels, so that they stay evenly spaced) on the central lateral line.
    const PetscInt levels = global[0] / per_level;
    const PetscInt stride = (levels + static_cast<PetscInt>(kDefaultProbeLimit) - 1) /
                            static_cast<PetscInt>(kDefaultProbeLimit);
    for (PetscInt l = 0; l < levels; l += stride) cells.push_back({l * per_level + per_level / 2, global[1] / 2, global[2] / 2});
    return cells;
  }
  if (static_cast<std::size_t>(global[0] * global[1] * global[2]) <= kDefaultProbeLimit) {
    for (PetscInt k = 0; k < global[2]; ++k)
      for (PetscInt j = 0; j < global[1]; ++j)
        for (PetscInt i = 0; i < global[0]; ++i) cells.push_back({i, j, k});
    return cells;
  }
  // Larger grids, at any size: a pair of adjacent cells at 1/10, 3/10, ..., 9/10 of
  // the first axis on its central line (an adjacent pair gives the phase lag per cell
  // without the 360/k deg ambiguity of cells k apart).
  for (PetscInt q = 1; q < 10; q += 2) {
    // A first axis of one cell (a 1 x N grid) has no pair: its one cell.
    const PetscInt i = std::max<PetscInt>(0, std::min(q * global[0] / 10, global[0] - 2));
    for (PetscInt d = 0; d < std::min<PetscInt>(2, global[0]); ++d) {
      const std::array<PetscInt, 3> c{i + d, global[1] / 2, global[2] / 2};
      if (cells.empty() || cells.back()[0] < c[0]) cells.push_back(c);
    }
  }
  return cells;
}

std::vector<double> gather_to_root(Vec u) {
  OwnedScatter scatter;
  OwnedVec all;
  check_petsc(VecScatterCreateToZero(u, scatter.out(), all.out()));
  check_petsc(VecScatterBegin(scatter, u, all, INSERT_VALUES, SCATTER_FORWARD));
  check_petsc(VecScatterEnd(scatter, u, all, INSERT_VALUES, SCATTER_FORWARD));
  PetscInt n = 0;
  const PetscScalar* a = nullptr;
  check_petsc(VecGetLocalSize(all, &n));
  check_petsc(VecGetArrayRead(all, &a));
  std::vector<double> out(a, a + n);
  check_petsc(VecRestoreArrayRead(all, &a));
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
  OwnedVec natural;
  check_petsc(DMDACreateNaturalVector(dm, natural.out()));
  check_petsc(DMDAGlobalToNaturalBegin(dm, u, INSERT_VALUES, natural));
  check_petsc(DMDAGlobalToNaturalEnd(dm, u, INSERT_VALUES, natural));
  return gather_to_root(natural);
}

// "petsc rk5dp (TS rk 5dp), order 5, fixed steps"
std::string method_text(const MethodDescription& m) {
  return fmt::format("{} {} ({}), order {}, {} steps", m.backend, m.method.empty() ? "-" : m.method, m.library,
                     m.order, m.adaptive ? "adaptive" : "fixed");
}

// deck.used.yaml: the effective deck with time.method set to the method that ran (a
// CVODE run of rk4 ran adams; -ts_rk_type 5dp runs rk5dp), so that running it again
// runs the same method.
std::string used_deck_text(const Deck& deck, const MethodDescription& ran) {
  std::string text = deck.effective_yaml();
  if (!ran.method.empty() && ran.method != deck.section("time").choice("method")) {
    const std::string header = text.substr(0, text.find('\n') + 1);  // names the deck and its overrides
    const std::string again = Deck::parse(text, deck.source(), {"time.method=" + ran.method}).effective_yaml();
    text = header + again.substr(again.find('\n') + 1);
  }
  return "# ran: " + method_text(ran) + "\n" + text;
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

namespace {

// Rank 0: the analysis of the probe series, summary.json and log.txt.
// Fronts are fitted over the later half of the run unless analysis.t_start says.
double front_fit_start(const Deck& deck) {
  const ParamValues& analysis = deck.section("analysis");
  return analysis.has("t_start") ? analysis.real("t_start") : deck.section("time").real("t_end") / 2;
}

nlohmann::json optional_json(const std::optional<double>& x) { return x ? nlohmann::json(*x) : nlohmann::json(); }

// front_speed (m/s), radial_front_speed (m/s, 2D and 3D), bump_width (m, the full
// width of the final bump along the first axis), bump_width_rate (1/s, the width's
// exponential relaxation rate, FrontObserver::width_relaxation): null where the run
// shows none; the model's prediction beside them.
void add_front_measurements(const Deck& deck, const FrontObserver* fronts, std::optional<double> predicted,
                            FrontDrift drift, SimulationResult& result) {
  if (!fronts) return;
  const double t_start = front_fit_start(deck);
  if (const FrontSpeedFit fit = fronts->planar_speed(t_start, drift); fit.found) result.front_speed = fit.speed;
  if (fronts->dimension() > 1)
    if (const FrontSpeedFit fit = fronts->radial_speed(t_start); fit.found) result.radial_front_speed = fit.speed;
  result.bump_width = fronts->final_bump_width();
  // A rate only where the width follows dx/dt = rate (x - x*) towards a width x* > 0: the
  // line explains at least 90% of the variance of dx/dt. An expanding front's width does not.
  constexpr double kRelaxationFitR2 = 0.9;
  if (const RelaxationFit fit = fronts->width_relaxation(t_start);
      fit.found && fit.r_squared >= kRelaxationFitR2 && fit.equilibrium > 0)
    result.bump_width_rate = fit.rate;
  result.summary["front_speed"] = optional_json(result.front_speed);
  if (fronts->dimension() > 1) result.summary["radial_front_speed"] = optional_json(result.radial_front_speed);
  result.summary["bump_width"] = optional_json(result.bump_width);
  result.summary["bump_width_rate"] = optional_json(result.bump_width_rate);
  result.summary["front_fit_t_start"] = t_start;
  if (predicted) result.summary["predicted"]["front_speed"] = *predicted;
  if (drift.log_shift != 0 || drift.fit_transients)
    result.summary["front_drift"] = {{"log_shift", drift.log_shift}, {"fitted_transients", drift.fit_transients}};
}

// Started on the model's exact front (initial.type travelling_wave), the front moves
// at that wave's speed with no drift; otherwise the model's prediction for fronts
// grown from steps.
std::optional<double> predicted_front_speed(const Deck& deck, const Model& model) {
  if (deck.type_of("initial") == "travelling_wave")
    if (const auto wave = model.travelling_wave()) return wave->speed;
  return model.predicted_front_speed();
}

FrontDrift front_drift(const Deck& deck, const Model& model) {
  return deck.type_of("initial") == "travelling_wave" ? FrontDrift{} : model.front_drift();
}

// Pulses (1D) and spirals (2D, 3D) of excitable media: summary.json keys and the tip
// trajectory (problem/excitable_measurements.h).
void add_excitable_measurements(const Deck& deck, const Model& model, const FrontObserver* fronts,
                                const SpiralTipObserver* tips, SimulationResult& result) {
  const auto levels = model.tip_levels();
  if (!levels) return;
  const double t_start = front_fit_start(deck);
  if (fronts && fronts->dimension() == 1) add_pulse_measurements(*fronts, t_start, result.summary);
  if (!tips) return;
  add_spiral_measurements(*tips, t_start, result.summary);
  write_tip_trajectory(*tips, *levels, result.output_dir);
}

void write_report(const Deck& deck, const ProbeRecorder& probes, const std::vector<std::array<PetscInt, 3>>& cells,
                  const FrontObserver* fronts, const SpiralTipObserver* tips, const Model& model,
                  const std::string& log, int ranks, SimulationResult& result) {
  const double t_end = deck.section("time").real("t_end");
  // Read back from probes.h5 a block at a time: the series is never held in memory.
  {
    const ProbeFileSeries series(probes.current_file(), 0);
    result.measured =
        measure_oscillation(series, cells, analysis_start(deck), std::max(1, model.grid().cells_per_level));
    result.wave = measure_wave_direction(series, cells, analysis_start(deck),
                                         wave_sample_interval(result.measured, series, analysis_start(deck)));
  }
  result.summary = summary_json(result.measured, result.predicted, result.stats, t_end, ranks);
  add_wave_direction(result.wave, result.summary);
  result.comparison = compare_modes(result.measured, result.predicted, drive_in_window(deck, analysis_start(deck)),
                                    step_error(deck, result.method, result.stats));
  result.summary["comparison"] = comparison_json(result.comparison);
  add_front_measurements(deck, fronts, predicted_front_speed(deck, model), front_drift(deck, model), result);
  add_excitable_measurements(deck, model, fronts, tips, result);
  if (!result.predicted_note.empty()) result.summary["predicted_note"] = result.predicted_note;
  result.summary["method"] = {{"integrator", result.method.backend}, {"name", result.method.method},
                              {"library", result.method.library}, {"order", result.method.order},
                              {"adaptive", result.method.adaptive}};
  write_text_atomically(result.output_dir / "summary.json", result.summary.dump(2) + "\n");
  write_text_atomically(result.output_dir / "log.txt",
                        log + fmt::format("final time (s) {:.9g}\nsteps {}\nwall seconds {:.3f}\nsummary {}\n"
                                          "finished {}\n",
                                          result.stats.t_final, result.stats.steps, result.stats.wall_seconds,
                                          result.summary.dump(), now_text()));
}

// After a failed run: every observer leaves what it has under its .part name and
// log.txt records the failure. These are best effort: the run's own error is the one
// reported, so a failure here is only noted (on every rank alike, so all still agree).
void record_failure(MPI_Comm comm, const std::vector<StepObserver*>& observers, const fs::path& dir,
                    const std::string& log, const std::exception& failure, const char* label = "FAILED") {
  std::vector<std::string> lost;
  for (StepObserver* o : observers) {
    try {
      o->abandon();
    } catch (const std::exception& e) {
      lost.push_back(e.what());
    }
  }
  try {
    on_root(comm, "writing log.txt", [&] {
      std::string text = log + label + ": " + failure.what() + "\n";
      for (const auto& l : lost) text += "also: " + l + "\n";
      write_text_atomically(dir / "log.txt", text);
    });
  } catch (const std::exception& e) {
    lost.push_back(e.what());
  }
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  if (rank == 0)
    for (const auto& l : lost) fmt::print(stderr, "neurofield: note: after the failure below: {}\n", l);
}

// The end of the run's batch: everything the ranks wrote is on disk before
// summary.json says the run is complete. Collective.
void flush_run_folder(MPI_Comm comm, const fs::path& dir) {
  std::string failure;
  try {
    make_durable(dir);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  agree_or_throw(comm, failure.empty(), failure.empty() ? "flushing " + dir.string() : failure);
}

// "neurofield run DECK [overrides] --restart DIR": the command that continues a run.
std::string restart_command(const Deck& deck, const fs::path& dir) {
  std::string command = "neurofield run " + deck.source();
  for (const auto& o : deck.overrides())
    if (o.rfind("output.dir=", 0) != 0) command += " " + o;
  return command + " --restart " + dir.string();
}

}  // namespace

void load_probe_series(SimulationResult& result) {
  ProbeSeries series = read_probe_series(result.output_dir / "probes.h5", 0);
  result.probe_times = std::move(series.times);
  result.probe_signals = std::move(series.signals);
}

SimulationResult run_simulation(const Deck& deck, MPI_Comm comm, const std::string& deck_stem,
                                const fs::path& restart_dir) {
  SimulationResult result;
  int ranks = 1;
  MPI_Comm_size(comm, &ranks);
  std::unique_ptr<Problem> problem = build_problem(deck, comm);
  const IntegratorSettings settings = integrator_settings(deck);
  const std::string rings = check_delay_rings(deck, *problem, comm);
  check_wave_courant(deck, *problem);
  check_diffusion_limit(deck, *problem);
  std::unique_ptr<Integrator> integrator = make_integrator(deck, *problem);
  if (int rank = 0; !rings.empty() && MPI_Comm_rank(comm, &rank) == MPI_SUCCESS && rank == 0)
    fmt::print("neurofield: {}\n", rings);
  require_petsc_options_used(deck);
  result.method = integrator->describe();
  ModePrediction prediction = predict_dominant_mode(
      problem->model(), comm, static_cast<std::size_t>(deck.section("analysis").integer("predicted_mode_limit")));
  result.predicted = std::move(prediction.mode);
  result.predicted_note = std::move(prediction.note);
  const auto cells = probe_cells(deck, problem->grid());
  result.output_dir = run_folder_path(deck, deck_stem);
  const std::string used_yaml = used_deck_text(
      used_deck(deck, result.output_dir, cells, problem->grid().spec(), analysis_start(deck)), result.method);

  const std::string volume =
      check_output_volume(deck, estimate_output_volume(deck, problem->grid(), cells.size(), result.output_dir));
  std::optional<Restart> restart;
  if (!restart_dir.empty()) restart = open_restart(deck, comm, restart_dir);
  // The last check: the run folder can be made and written. From here on it is written.
  std::string earlier_run, earlier_log;  // rank 0
  if (restart)
    on_root(comm, "reopening the run folder",
            [&] { earlier_log = reopen_run_folder(deck, result.output_dir, used_yaml); });
  else
    on_root(comm, "creating the run folder",
            [&] { earlier_run = create_run_folder(deck, result.output_dir, used_yaml); });
  if (!earlier_run.empty()) fmt::print(stderr, "neurofield: note: {}\n", earlier_run);

  const ParamValues& out = deck.section("output");
  ProbeRecorder probes(problem->grid(), cells, result.output_dir / "probes.h5");
  ProgressLine progress(comm, settings.t0, settings.t_end);
  std::vector<std::unique_ptr<StepObserver>> writers;
  if (out.flag("vtk"))
    writers.push_back(std::make_unique<VtkSeriesWriter>(problem->grid(), result.output_dir, out.real("vtk_every")));
  if (out.flag("hdf5"))
    writers.push_back(std::make_unique<Hdf5FieldWriter>(problem->grid(), result.output_dir / "fields.h5",
                                                        out.real("hdf5_every"), used_yaml));
  std::vector<StepObserver*> observers = {&progress, &probes};
  for (auto& w : writers) observers.push_back(w.get());
  // A spiral (an excitable model in 2D or 3D) has no planar front or bump to measure:
  // its tip observer stands in for the front observer.
  const bool spiral = problem->model().tip_levels() && problem->grid().dimension() > 1;
  std::unique_ptr<FrontObserver> fronts;
  if (const auto level = problem->model().front_level(); level && !spiral) {
    fronts = std::make_unique<FrontObserver>(problem->grid(), 0, *level);
    observers.push_back(fronts.get());
  }
  std::unique_ptr<SpiralTipObserver> tips;
  if (const auto levels = problem->model().tip_levels(); levels && spiral) {
    tips = std::make_unique<SpiralTipObserver>(problem->grid(), *levels);
    observers.push_back(tips.get());
  }

  std::string log = restart ? fmt::format("{}restarted from {} at t = {:.9g} s (step {})\n", earlier_log,
                                          restart->file->path().string(), restart->t, restart->step)
                            : std::string();
  log += fmt::format("neurofield {}\nstarted {}\ndeck {}\nranks {}\ngrid cells {}\nlags (s) {}\n",
                                NEUROFIELD_VERSION, now_text(), deck.source(), ranks,
                                problem->grid().global_size(), fmt::join(problem->lags(), ", "));
  if (const HistoryMemory memory = integrator->history_memory(); memory.rank.slots > 0)
    log += describe(memory) + "\n";
  if (!rings.empty()) log += rings + "\n";
  log += volume + "\n";
  if (!earlier_run.empty()) log += earlier_run + "\n";
  for (const auto& note : run_notes(deck)) log += note + "\n";
  if (!result.predicted_note.empty()) log += result.predicted_note + "\n";
  log += "method " + method_text(result.method) + "\n";
  OwnedVec u;
  check_petsc(DMCreateGlobalVector(problem->dm(), u.out()));
  const double checkpoint_every = out.real("checkpoint_every");
  RunCheckpointer checkpointer(comm, result.output_dir, observers, deck.effective_yaml(), used_yaml);
  const RunCheckpoints checkpoints{.every = checkpoint_every,
                                   .taker = &checkpointer,
                                   .resume_from = restart ? restart->file.get() : nullptr,
                                   .at_end = checkpoint_every > 0};
  if (restart) resume_observers(*restart->file, observers);
  try {
    result.stats = integrator->run(u, observers, checkpoints);
  } catch (const StopRequested& e) {
    record_failure(comm, observers, result.output_dir, log, e, "STOPPED");
    const auto at = checkpointer.last_time();
    std::string text = fmt::format(
        "{}. Every file of the run folder is complete; the steps so far are kept under their .part names "
        "(probes.h5.part, fields.h5.part, series.pvd.part) and log.txt says STOPPED",
        e.what());
    if (at)
      text += fmt::format(". A checkpoint at t = {:.9g} s is in {}; continue the run with\n  {}", *at,
                          checkpointer.file().string(), restart_command(deck, result.output_dir));
    throw StopRequested(text,
        e.time, e.signal);
  } catch (const std::exception& e) {
    record_failure(comm, observers, result.output_dir, log, e);
    throw;
  }
  try {
    for (StepObserver* o : observers) o->finish();
    flush_run_folder(comm, result.output_dir);
  } catch (const std::exception& e) {
    record_failure(comm, observers, result.output_dir, log, e);
    throw;
  }
  if (const std::string c = checkpointer.describe(); !c.empty()) log += c + "\n";
  const std::string early = result.stats.stopped_early.empty()
                                ? ""
                                : fmt::format("stopped at t = {:.9g} s, before time.t_end = {:g} s: {}",
                                              result.stats.t_final, settings.t_end, result.stats.stopped_early);
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  if (rank == 0 && !early.empty()) fmt::print(stderr, "neurofield: warning: {}\n", early);
  result.final_state = natural_on_root(problem->dm(), u);
  on_root(comm, "writing summary.json and log.txt",
          [&] {
            write_report(deck, probes, cells, fronts.get(), tips.get(), problem->model(),
                         log + (early.empty() ? "" : "WARNING: " + early + "\n"), ranks, result);
          });
  return result;
}

}  // namespace nf
