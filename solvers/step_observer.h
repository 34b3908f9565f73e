#pragma once
// What an observer sees after each accepted step. Observers (output, analysis) watch
// a run; they never change it.
#include <petscvec.h>

#include <map>
#include <string>
#include <vector>

namespace nf {

struct StepState {
  double t = 0;          // simulated time (s)
  PetscInt step = 0;     // accepted steps so far; 0 is the initial state
  Vec u = nullptr;       // global (owned) state vector on the grid's DM
};

// What an observer carries across a checkpoint (checkpoint.h5): named series of
// numbers, rank 0's. Plain data: io/ writes and reads it, and every rank is given it
// back on restart.
struct ObserverState {
  std::map<std::string, std::vector<double>> values;
};

class StepObserver {
 public:
  virtual ~StepObserver() = default;
  virtual void observe(const StepState& state) = 0;
  // Called once after the last step; a run that failed calls abandon() instead.
  virtual void finish() {}
  virtual void abandon() {}

  // Its name in a checkpoint, unique in a run; empty: it carries nothing across one.
  virtual std::string checkpoint_name() const { return {}; }
  // Collective. After observe() of the step a checkpoint is taken at: fills what
  // resume() needs to carry on as if the run had never stopped, and makes its own
  // files durable up to this step (what they hold beyond it is discarded on restart).
  virtual void save(ObserverState& /*state*/) {}
  // Collective. On restart, before the first step after the checkpoint and instead of
  // observing the initial state: reopens its files as they were at save().
  virtual void resume(const ObserverState& /*state*/) {}
};

}  // namespace nf
