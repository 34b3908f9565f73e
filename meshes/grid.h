#pragma once
// Structured grid over a PETSc DMDA: 1D, 2D or 3D, periodic or bounded per axis.
// Cell i along an axis sits at x_i = origin + (i + 1/2) * spacing (metres, or layers
// for the predictive-coding hierarchy).
#include <petscdmda.h>

#include <array>
#include <string>
#include <vector>

#include "base/petsc_handles.h"

namespace nf {

enum class Boundary { bounded, periodic };

struct GridSpec {
  std::vector<PetscInt> cells;             // cells per axis, 1 to 3 entries
  std::vector<Boundary> boundary;          // one per axis
  std::vector<double> spacing;             // one per axis
  std::vector<std::string> component_names;
  PetscInt stencil_width = 1;
};

// The local patch of one rank: owned range and ghosted range per axis.
struct Patch {
  std::array<PetscInt, 3> start{0, 0, 0}, count{1, 1, 1};          // owned
  std::array<PetscInt, 3> ghost_start{0, 0, 0}, ghost_count{1, 1, 1};
  std::array<PetscInt, 3> global{1, 1, 1};
  PetscInt dof = 1;
  // Offset of (i, j, k, component) in a ghosted local array; indices are global.
  PetscInt ghosted(PetscInt i, PetscInt j = 0, PetscInt k = 0, PetscInt c = 0) const {
    return (((k - ghost_start[2]) * ghost_count[1] + (j - ghost_start[1])) * ghost_count[0] +
            (i - ghost_start[0])) * dof + c;
  }
  // Offset of (i, j, k, component) in an owned (global-vector) local array.
  PetscInt owned(PetscInt i, PetscInt j = 0, PetscInt k = 0, PetscInt c = 0) const {
    return (((k - start[2]) * count[1] + (j - start[1])) * count[0] + (i - start[0])) * dof + c;
  }
  PetscInt owned_size() const { return count[0] * count[1] * count[2] * dof; }
};

class Grid {
 public:
  Grid(MPI_Comm comm, const GridSpec& spec);
  Grid(const Grid&) = delete;
  Grid& operator=(const Grid&) = delete;

  DM dm() const { return dm_; }
  MPI_Comm comm() const;
  int dimension() const { return static_cast<int>(spec_.cells.size()); }
  const GridSpec& spec() const { return spec_; }
  const Patch& patch() const { return patch_; }
  PetscInt dof() const { return patch_.dof; }
  PetscInt global_size() const;

 private:
  GridSpec spec_;
  OwnedDM dm_;
  Patch patch_;
};

}  // namespace nf
