#pragma once
// `neurofield stability`: the rightmost eigenvalues of the deck's problem linearised
// about rest (stability.state), with the model's analytical prediction beside them, into
// stability.json (and analytic_roots.csv) in the run folder. Nothing is written until
// the deck, the problem, the solver and the PETSc options have been checked.
#include <mpi.h>

#include <complex>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/deck.h"
#include "models/model.h"
#include "solvers/stability/delay_spectrum.h"

namespace nf {

struct StabilityResult {
  std::filesystem::path output_dir;
  DelaySpectrum spectrum;
  std::optional<PredictedMode> analytic;      // the model's rightmost root, if it has one
  std::string analytic_note;                  // why there is none, or empty
  std::vector<PredictedMode> analytic_roots;  // rank 0: the rightmost root of each member
  nlohmann::json json;                        // stability.json's content
  double wall_seconds = 0;
};

// Collective over comm; SLEPc must be initialised. The PETSc options must be in the
// database already; any that no solver object reads is a DeckError.
StabilityResult run_stability(const Deck& deck, MPI_Comm comm, const std::string& deck_stem);

}  // namespace nf
