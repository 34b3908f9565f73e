#include "problem/predicted_mode.h"

#include <fmt/format.h>

#include <cmath>
#include <exception>
#include <limits>

namespace nf {
namespace {

struct RankBest {
  double rate;  // Re lambda (1/s); -inf for none
  int rank;
};

// The rate and label of the winning rank's mode, on every rank.
PredictedMode broadcast_mode(PredictedMode mode, int root, MPI_Comm comm) {
  double rate[2] = {mode.rate.real(), mode.rate.imag()};
  MPI_Bcast(rate, 2, MPI_DOUBLE, root, comm);
  int length = static_cast<int>(mode.label.size());
  MPI_Bcast(&length, 1, MPI_INT, root, comm);
  mode.label.resize(static_cast<std::size_t>(length));
  MPI_Bcast(mode.label.data(), length, MPI_CHAR, root, comm);
  mode.rate = {rate[0], rate[1]};
  return mode;
}

}  // namespace

ModePrediction predict_dominant_mode(const Model& model, MPI_Comm comm, std::size_t limit_per_rank) {
  const std::size_t n = model.predicted_mode_count();
  if (n == 0) return {std::nullopt, ""};
  int rank = 0, ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);
  const std::size_t r = static_cast<std::size_t>(rank), size = static_cast<std::size_t>(ranks);
  const std::size_t per_rank = (n + size - 1) / size;
  if (per_rank > limit_per_rank)
    return {std::nullopt,
            limit_per_rank == 0
                ? "predicted mode not computed: analysis.predicted_mode_limit is 0"
                : fmt::format("predicted mode not computed: {} root searches, {} per rank on {} rank{}, exceed "
                              "analysis.predicted_mode_limit = {} per rank; raise it or run on {} ranks",
                              n, per_rank, ranks, ranks > 1 ? "s" : "", limit_per_rank,
                              (n + limit_per_rank - 1) / limit_per_rank)};
  PredictedMode best{{-std::numeric_limits<double>::infinity(), 0}, ""};
  int failed = 0;
  try {
    for (std::size_t k = r * n / size; k < (r + 1) * n / size; ++k) {
      PredictedMode m = model.predicted_mode(k);
      if (m.rate.real() > best.rate.real()) best = std::move(m);
    }
  } catch (const std::exception&) {
    failed = 1;  // a member without a root in its search box: no prediction is sound
  }
  MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_MAX, comm);
  if (failed) return {std::nullopt, "predicted mode not computed: a root search found no root in its box"};
  RankBest mine{best.rate.real(), rank}, winner{};
  MPI_Allreduce(&mine, &winner, 1, MPI_DOUBLE_INT, MPI_MAXLOC, comm);
  return {broadcast_mode(std::move(best), winner.rank, comm), ""};
}

}  // namespace nf
