#include "meshes/grid.h"

#include <stdexcept>

#include "solvers/petsc_error.h"

namespace nf {
namespace {

DMBoundaryType to_petsc(Boundary b) {
  return b == Boundary::periodic ? DM_BOUNDARY_PERIODIC : DM_BOUNDARY_NONE;
}

OwnedDM create_dmda(MPI_Comm comm, const GridSpec& s) {
  const auto dof = static_cast<PetscInt>(s.component_names.size());
  const PetscInt w = s.stencil_width;
  OwnedDM dm;
  switch (s.cells.size()) {
    case 1:
      check_petsc(DMDACreate1d(comm, to_petsc(s.boundary[0]), s.cells[0], dof, w, nullptr, dm.out()));
      break;
    case 2:
      check_petsc(DMDACreate2d(comm, to_petsc(s.boundary[0]), to_petsc(s.boundary[1]), DMDA_STENCIL_STAR,
                               s.cells[0], s.cells[1], PETSC_DECIDE, PETSC_DECIDE, dof, w, nullptr, nullptr, dm.out()));
      break;
    case 3:
      check_petsc(DMDACreate3d(comm, to_petsc(s.boundary[0]), to_petsc(s.boundary[1]), to_petsc(s.boundary[2]),
                               DMDA_STENCIL_STAR, s.cells[0], s.cells[1], s.cells[2], PETSC_DECIDE, PETSC_DECIDE,
                               PETSC_DECIDE, dof, w, nullptr, nullptr, nullptr, dm.out()));
      break;
    default:
      throw std::invalid_argument("a grid has 1, 2 or 3 dimensions");
  }
  check_petsc(DMSetUp(dm));
  for (PetscInt c = 0; c < dof; ++c) check_petsc(DMDASetFieldName(dm, c, s.component_names[c].c_str()));
  return dm;
}

Patch read_patch(DM dm) {
  DMDALocalInfo info;
  check_petsc(DMDAGetLocalInfo(dm, &info));
  Patch p;
  p.start = {info.xs, info.ys, info.zs};
  p.count = {info.xm, info.ym, info.zm};
  p.ghost_start = {info.gxs, info.gys, info.gzs};
  p.ghost_count = {info.gxm, info.gym, info.gzm};
  p.global = {info.mx, info.my, info.mz};
  p.dof = info.dof;
  return p;
}

}  // namespace

Grid::Grid(MPI_Comm comm, const GridSpec& spec) : spec_(spec) {
  if (spec_.cells.empty() || spec_.cells.size() != spec_.boundary.size() ||
      spec_.cells.size() != spec_.spacing.size() || spec_.component_names.empty())
    throw std::invalid_argument("inconsistent grid specification");
  dm_ = create_dmda(comm, spec_);
  patch_ = read_patch(dm_);
}

MPI_Comm Grid::comm() const { return PetscObjectComm(reinterpret_cast<PetscObject>(dm_.get())); }

PetscInt Grid::global_size() const {
  return patch_.global[0] * patch_.global[1] * patch_.global[2] * patch_.dof;
}

}  // namespace nf
