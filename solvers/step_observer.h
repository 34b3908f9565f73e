#pragma once
// What an observer sees after each accepted step. Observers (output, analysis) watch
// a run; they never change it.
#include <petscvec.h>

namespace nf {

struct StepState {
  double t = 0;          // simulated time (s)
  PetscInt step = 0;     // accepted steps so far; 0 is the initial state
  Vec u = nullptr;       // global (owned) state vector on the grid's DM
};

class StepObserver {
 public:
  virtual ~StepObserver() = default;
  virtual void observe(const StepState& state) = 0;
  // Called once after the last step; a run that failed calls abandon() instead.
  virtual void finish() {}
  virtual void abandon() {}
};

}  // namespace nf
