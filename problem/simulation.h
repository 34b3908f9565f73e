#pragma once
// One run of a deck, end to end: problem, integrator, observers (VTK series, HDF5
// fields, probes, progress) and the run folder with deck.used.yaml, summary.json and
// log.txt. Nothing is written until the deck, the model's parameters, the integrator
// settings and the PETSc options have all been checked.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <vector>

#include "io/deck.h"
#include "models/model.h"
#include "postprocess/oscillation.h"
#include "postprocess/wave_direction.h"
#include "problem/mode_comparison.h"
#include "solvers/integrators/integrator.h"

namespace nf {

struct SimulationResult {
  std::filesystem::path output_dir;
  RunStats stats;
  MethodDescription method;                 // what ran, read back from the integrator
  OscillationSummary measured;              // rank 0
  WaveDirection wave;                       // rank 0: forward against backward power (fw_bw_log_ratio)
  std::optional<PredictedMode> predicted;
  std::string predicted_note;               // why there is no prediction, or empty
  ModeComparison comparison;                // rank 0: measured against predicted
  nlohmann::json summary;                   // rank 0
  std::optional<double> front_speed;        // m/s, measured (planar front along the first axis)
  std::optional<double> radial_front_speed; // m/s, measured (2D, 3D)
  std::optional<double> bump_width;         // m, full width of the final bump along the first axis
  std::optional<double> bump_width_rate;    // 1/s, the width's relaxation rate (< 0: towards a stationary width)
  std::vector<double> final_state;          // rank 0: the whole final field, natural order
  // Empty after run_simulation (a run holds no per-step series); load_probe_series fills them.
  std::vector<double> probe_times;          // rank 0: s, one per step
  std::vector<std::vector<double>> probe_signals;  // rank 0: component 0 at each probe
};

// `deck_stem` names the default output folder when output.dir is empty. A non-empty
// `restart_dir` continues the run in that folder from its checkpoint.h5
// (problem/run_checkpoints.h), appending to its files.
SimulationResult run_simulation(const Deck& deck, MPI_Comm comm, const std::string& deck_stem,
                                const std::filesystem::path& restart_dir = {});

// Rank 0, after a successful run: probe_times and probe_signals read back from
// output_dir/probes.h5 (O(steps) memory: for tests and short runs). Throws
// std::runtime_error naming the file.
void load_probe_series(SimulationResult& result);

// Every PETSc option given must have been used by now; throws DeckError naming the
// unused ones. Options read only at the end of a run (viewers, logging) are exempt.
void require_petsc_options_used(const Deck& deck);

}  // namespace nf
