#pragma once
// Structured grid over a PETSc DMDA: 1D, 2D or 3D, periodic or bounded per axis.
// Cell i along an axis sits at x_i = origin + (i + 1/2) * spacing (metres, or layers
// for the predictive-coding hierarchy).
#include <petscdmda.h>

#include <array>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/petsc_handles.h"

namespace nf {

enum class Boundary { bounded, periodic };
// What a diffusing field sees at the ends of a bounded axis (solvers/diffusion):
// no flux (du/dn = 0) or u = 0 held at the wall.
enum class Wall { neumann, dirichlet };

struct GridSpec {
  std::vector<PetscInt> cells;             // cells per axis, 1 to 3 entries
  std::vector<Boundary> boundary;          // one per axis
  std::vector<double> spacing;             // one per axis
  std::vector<std::string> component_names;
  PetscInt stencil_width = 1;
  // Per axis, the name of the model parameter that sets its cell count ("layers"),
  // named when the grid is too small for the ranks. Optional.
  std::vector<std::string> cell_params;
  // Per axis, the wall condition of a bounded axis for diffusion; Neumann where absent.
  std::vector<Wall> wall;
  // Cells per level of the first axis when it counts levels (a hierarchy's layers;
  // 0: it does not): phase lags along it are reported per level, and the default
  // probes are one per level.
  int cells_per_level = 0;
};

// No split of the grid over the ranks gives every rank a patch: along a split axis each
// rank needs at least max(1, stencil width) cells (fewer cells than ranks, typically).
class GridTooSmall : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
  int axis = 0;            // the axis with the fewest cells (0 = x)
  std::string param;       // GridSpec::cell_params of that axis, or ""
  PetscInt cells = 0;      // its cells
  PetscInt per_rank = 1;   // the fewest cells a rank needs along a split axis
  PetscInt min_cells = 0;  // 1D: the fewest cells that fit `ranks` (0 in 2D and 3D)
  int ranks = 1;           // the ranks asked for
  int max_ranks = 1;       // the most ranks (below `ranks`) that the grid fits
};

// Ranks per axis (x, y, z) for `ranks` ranks: of the splits that give every rank at
// least max(1, stencil width) cells along each split axis, the one with the smallest
// interface area between patches. Throws GridTooSmall when none does.
std::array<PetscInt, 3> split_over_ranks(const GridSpec& spec, int ranks);

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
