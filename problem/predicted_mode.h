#pragma once
// The model's predicted dominant mode for a run: the rightmost root over the members
// of its characteristic equation, each member's root search done on one rank only.
// Root searches cost milliseconds each, so a model with thousands of members is shared
// out over the ranks, and skipped (with a note saying why) beyond a per-rank limit.
#include <mpi.h>

#include <cstddef>
#include <optional>
#include <string>

#include "models/model.h"

namespace nf {

struct ModePrediction {
  std::optional<PredictedMode> mode;  // the same on every rank
  std::string note;                   // why there is none, or empty
};

// Collective over comm. Rank r searches members [r n/R, (r+1) n/R); none at all when
// a rank would have more than limit_per_rank of them (limit 0: never predict).
ModePrediction predict_dominant_mode(const Model& model, MPI_Comm comm, std::size_t limit_per_rank);

}  // namespace nf
