#pragma once
// The state a run continues from after it stops (a wall-time limit, a stop signal, a
// crash after the last checkpoint), as the solvers see it: named vectors and arrays,
// written and read back by the layer above (io/checkpoint_file.h writes them in HDF5).
// Solvers say what must be kept; they never open a file.
#include <petscvec.h>

#include <functional>
#include <span>
#include <string>
#include <vector>

namespace nf {

// Where a checkpoint is written. Every call is collective, with the same names on
// every rank. Names are paths ("engine/history/12/u").
class CheckpointOut {
 public:
  virtual ~CheckpointOut() = default;
  // A global vector of a DMDA, kept in the grid's natural order: it reads back on any
  // number of ranks.
  virtual void vector(const std::string& name, Vec global) = 0;
  // Rank 0's values (other ranks' are ignored).
  virtual void values(const std::string& name, std::span<const double> values) = 0;
  // Each rank's own values, in rank order: they read back on the same number of
  // ranks only (a layout that depends on the decomposition, such as FFT slabs).
  virtual void rank_values(const std::string& name, std::span<const double> values) = 0;
};

// A checkpoint read back. Collective; what is read is given to every rank.
class CheckpointIn {
 public:
  virtual ~CheckpointIn() = default;
  // Into a global vector of a DMDA of the grid the checkpoint was taken on.
  virtual void vector(const std::string& name, Vec global) = 0;
  virtual std::vector<double> values(const std::string& name) = 0;
  // This rank's values as written by the rank of the same number; throws
  // std::runtime_error if the checkpoint was taken on another number of ranks.
  virtual std::vector<double> rank_values(const std::string& name) = 0;
  virtual bool has(const std::string& name) = 0;
  // The ranks the checkpoint was taken on.
  virtual int ranks() const = 0;
};

// Takes checkpoints during a run: the layer above opens the file, lets the engine
// write its part, adds the observers' and the deck's, and commits it.
class CheckpointTaker {
 public:
  virtual ~CheckpointTaker() = default;
  // After the observers of the accepted step at t (s), step `step`. engine(out) writes
  // the delay engine's state. Collective; throws (outside any library callback).
  virtual void take(double t, PetscInt step, const std::function<void(CheckpointOut&)>& engine) = 0;
};

// What a run does about checkpoints.
struct RunCheckpoints {
  double every = 0;                     // s of simulated time; <= 0: none on a schedule
  CheckpointTaker* taker = nullptr;     // null: no checkpoints at all
  CheckpointIn* resume_from = nullptr;  // continue from this checkpoint instead of starting at t0
  bool at_end = false;                  // also one after the last step (a later run may go further)
};

}  // namespace nf
