#pragma once
// The state for t <= 0: rest (0) plus an optional perturbation, constant in time.
//   mode:   u_i = A cos(q i), i the cell index along the first axis, q in rad/cell;
//   random: u = A * uniform(-1, 1) from a counter-based hash of (seed, global index),
//           so the field is the same on any number of ranks.
#include <petscvec.h>

#include <cstdint>
#include <string>

#include "meshes/grid.h"

namespace nf {

struct InitialState {
  std::string type = "rest";  // rest | mode | random
  double amplitude = 0;
  double wavenumber = 0;      // rad/cell
  std::uint64_t seed = 1;

  // Fills the owned part of the global vector u.
  void fill(const Patch& patch, Vec u) const;
};

}  // namespace nf
