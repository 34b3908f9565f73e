#pragma once
// Checkpoints of a run, <run folder>/checkpoint.h5, and the restart from one
// (`neurofield run DECK --restart DIR`). A checkpoint holds the delay engine's state
// (solvers/checkpoint.h), every observer's state (StepObserver::save) and the deck
// it belongs to; the observers' files are flushed to it and the folder made durable
// before it is committed, so the files it describes are on disk when it is.
//
// Layout added to io/checkpoint_file.h's: observers/<name>/<key> (rank 0's values),
// text attributes deck (the effective deck), deck_used (deck.used.yaml) and
// observer_keys_<name> (its keys, one per line), and run/{t, step}.
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "io/checkpoint_file.h"
#include "io/deck.h"
#include "solvers/step_observer.h"

namespace nf {

class RunCheckpointer : public CheckpointTaker {
 public:
  RunCheckpointer(MPI_Comm comm, std::filesystem::path dir, std::span<StepObserver* const> observers,
                  std::string deck_yaml, std::string used_yaml);
  void take(double t, PetscInt step, const std::function<void(CheckpointOut&)>& engine) override;
  // The time (s) of the last checkpoint this run took.
  std::optional<double> last_time() const { return last_time_; }
  std::filesystem::path file() const { return dir_ / "checkpoint.h5"; }
  // "checkpoints 4 (the last at t = 12 s, 26.2 MiB), 0.41 s of wall time in all", or "".
  std::string describe() const;

 private:
  MPI_Comm comm_;
  std::filesystem::path dir_;
  std::span<StepObserver* const> observers_;
  std::string deck_yaml_, used_yaml_;
  std::optional<double> last_time_;
  int taken_ = 0;
  double seconds_ = 0, last_bytes_ = 0;
};

// A checkpoint to continue from, opened and checked against the deck.
struct Restart {
  std::unique_ptr<CheckpointFileReader> file;
  double t = 0;       // s
  PetscInt step = 0;
};

// Opens dir/checkpoint.h5. Throws DeckError if it is missing or unreadable, if the
// deck differs from the checkpoint's in any key but time.t_end and output.* (naming
// each changed key with both values), or if time.t_end is not after the checkpoint.
// Collective.
Restart open_restart(const Deck& deck, MPI_Comm comm, const std::filesystem::path& dir);

// Gives each observer its state from the checkpoint (StepObserver::resume).
void resume_observers(CheckpointFileReader& file, std::span<StepObserver* const> observers);

// The keys (dotted) whose values differ between two effective decks, each as
// "key (was A, now B)", ignoring time.t_end and output.*; `used_before` (deck.used.yaml
// of the first run) supplies the values a run chose for keys its deck left to defaults.
std::vector<std::string> changed_deck_keys(const std::string& before, const std::string& used_before,
                                           const std::string& now);

}  // namespace nf
