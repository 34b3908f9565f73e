#pragma once
// The state for t <= 0: the model's rest state (Model::rest_state, 0 where it has
// none) plus an optional perturbation, constant in time.
//   mode:   u_i = A cos(q i h), i the cell index along the first axis, h its spacing
//           (m, or layers for a hierarchy), q in rad per unit of h (rad/m, rad/layer);
//   random: u = A * uniform(-1, 1) from a counter-based hash of (seed, global index),
//           so the field is the same on any number of ranks;
//   front:  u = A where x < position along the first axis (m), 0 beyond: a front
//           moving towards +x once the field is excitable (Amari);
//   bump:   u = A within distance width/2 (m) of the centre of the domain (an interval,
//           a disc or a ball), 0 elsewhere;
//   half_plane: component c gets amplitudes[c] where x along axis axes[c] is below
//           positions[c] (m), 0 beyond: per-component steps, e.g. an excited half
//           plane of u crossed by a refractory one of w (a broken wave, which curls
//           into a spiral); components beyond the lists get 0;
//   travelling_wave: u = profile(x - position), the model's exact front (Model::
//           travelling_wave) along the first axis.
// Every component gets the same value, except under half_plane.
#include <petscvec.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "meshes/grid.h"

namespace nf {

struct InitialState {
  std::string type = "rest";  // rest | mode | random | front | bump | half_plane | travelling_wave
  double amplitude = 0;
  double wavenumber = 0;      // rad/m (rad/layer along a hierarchy)
  std::uint64_t seed = 1;
  double position = 0;        // m (front)
  double width = 0;           // m (bump)
  std::vector<double> spacing;  // per axis, the grid's (m; layers along a hierarchy)
  std::vector<double> amplitudes;  // per component (half_plane)
  std::vector<PetscInt> axes;      // per component (half_plane)
  std::vector<double> positions;   // m, per component (half_plane)
  std::vector<double> rest;        // per component, added to every type; 0 beyond
  std::function<double(double)> profile;  // travelling_wave: u(xi), xi in m

  // Fills the owned part of the global vector u.
  void fill(const Patch& patch, Vec u) const;

 private:
  void fill_perturbation(const Patch& patch, Vec u) const;
  void add_rest(const Patch& patch, Vec u) const;
};

}  // namespace nf
