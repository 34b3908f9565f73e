#pragma once
// The state for t <= 0: rest (0) plus an optional perturbation, constant in time.
//   mode:   u_i = A cos(q i), i the cell index along the first axis, q in rad/cell;
//   random: u = A * uniform(-1, 1) from a counter-based hash of (seed, global index),
//           so the field is the same on any number of ranks;
//   front:  u = A where x < position along the first axis (m), 0 beyond: a front
//           moving towards +x once the field is excitable (Amari);
//   bump:   u = A within distance width/2 (m) of the centre of the domain (an interval,
//           a disc or a ball), 0 elsewhere;
//   travelling_wave: u = profile(x - position), the model's exact front (Model::
//           travelling_wave) along the first axis.
// Every component gets the same value.
#include <petscvec.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "meshes/grid.h"

namespace nf {

struct InitialState {
  std::string type = "rest";  // rest | mode | random
  double amplitude = 0;
  double wavenumber = 0;      // rad/cell
  std::uint64_t seed = 1;
  double position = 0;        // m (front)
  double width = 0;           // m (bump)
  std::vector<double> spacing;  // m per axis (front, bump, travelling_wave)
  std::function<double(double)> profile;  // travelling_wave: u(xi), xi in m

  // Fills the owned part of the global vector u.
  void fill(const Patch& patch, Vec u) const;
};

}  // namespace nf
