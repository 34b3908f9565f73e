#include "meshes/grid.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "base/petsc_error.h"

namespace nf {
namespace {

DMBoundaryType to_petsc(Boundary b) {
  return b == Boundary::periodic ? DM_BOUNDARY_PERIODIC : DM_BOUNDARY_NONE;
}

// Ranks m along an axis of n cells fit when each gets a patch: n >= m, and at least
// the stencil width whenever the patch has neighbours (m > 1, or a periodic axis).
bool axis_fits(PetscInt n, PetscInt m, PetscInt stencil, Boundary b) {
  if (n < m) return false;
  const bool neighbours = m > 1 || b == Boundary::periodic;
  return !neighbours || n / m >= std::max<PetscInt>(stencil, 1);
}

// Total area of the cuts between patches, in cell faces.
double cut_area(const GridSpec& s, const std::array<PetscInt, 3>& m) {
  double area = 0;
  for (std::size_t a = 0; a < s.cells.size(); ++a) {
    double face = 1;
    for (std::size_t b = 0; b < s.cells.size(); ++b)
      if (b != a) face *= static_cast<double>(s.cells[b]);
    area += static_cast<double>(m[a] - 1) * face;
  }
  return area;
}

OwnedDM create_dmda(MPI_Comm comm, const GridSpec& s, const std::array<PetscInt, 3>& m) {
  const auto dof = static_cast<PetscInt>(s.component_names.size());
  const PetscInt w = s.stencil_width;
  OwnedDM dm;
  switch (s.cells.size()) {
    case 1:
      check_petsc(DMDACreate1d(comm, to_petsc(s.boundary[0]), s.cells[0], dof, w, nullptr, dm.out()));
      break;
    case 2:
      check_petsc(DMDACreate2d(comm, to_petsc(s.boundary[0]), to_petsc(s.boundary[1]), DMDA_STENCIL_STAR,
                               s.cells[0], s.cells[1], m[0], m[1], dof, w, nullptr, nullptr, dm.out()));
      break;
    case 3:
      check_petsc(DMDACreate3d(comm, to_petsc(s.boundary[0]), to_petsc(s.boundary[1]), to_petsc(s.boundary[2]),
                               DMDA_STENCIL_STAR, s.cells[0], s.cells[1], s.cells[2], m[0], m[1], m[2], dof, w, nullptr,
                               nullptr, nullptr, dm.out()));
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

namespace {

// The split of least cut area that fits, or {0, 0, 0}.
std::array<PetscInt, 3> best_split(const GridSpec& s, int ranks) {
  const std::size_t dim = s.cells.size();
  std::array<PetscInt, 3> best{0, 0, 0};
  double best_area = std::numeric_limits<double>::infinity();
  for (PetscInt mx = ranks; mx >= 1; --mx) {
    if (ranks % mx) continue;
    for (PetscInt my = ranks / mx; my >= 1; --my) {
      if ((ranks / mx) % my) continue;
      const std::array<PetscInt, 3> m{mx, my, ranks / mx / my};
      bool fits = true;
      for (std::size_t a = 0; a < 3; ++a)
        fits = fits && (a < dim ? axis_fits(s.cells[a], m[a], s.stencil_width, s.boundary[a]) : m[a] == 1);
      if (fits && cut_area(s, m) < best_area) {
        best = m;
        best_area = cut_area(s, m);
      }
    }
  }
  return best;
}

[[noreturn]] void throw_too_small(const GridSpec& s, int ranks) {
  const int axis = static_cast<int>(std::min_element(s.cells.begin(), s.cells.end()) - s.cells.begin());
  const PetscInt per_rank = std::max<PetscInt>(s.stencil_width, 1);
  int fewer = ranks - 1;
  while (fewer > 1 && best_split(s, fewer)[0] == 0) --fewer;
  GridTooSmall e(fmt::format("the grid ({} cells along {}) cannot be split over {} ranks: every rank needs at "
                             "least {} cell{} along each axis it is split on",
                             s.cells[axis], "xyz"[axis], ranks, per_rank, per_rank > 1 ? "s" : ""));
  e.axis = axis;
  e.param = static_cast<std::size_t>(axis) < s.cell_params.size() ? s.cell_params[axis] : "";
  e.cells = s.cells[axis];
  e.per_rank = per_rank;
  e.min_cells = s.cells.size() == 1 ? per_rank * ranks : 0;
  e.ranks = ranks;
  e.max_ranks = fewer;
  throw e;
}

}  // namespace

std::array<PetscInt, 3> split_over_ranks(const GridSpec& s, int ranks) {
  const std::array<PetscInt, 3> m = best_split(s, ranks);
  if (m[0] == 0) throw_too_small(s, ranks);
  return m;
}

Grid::Grid(MPI_Comm comm, const GridSpec& spec) : spec_(spec) {
  if (spec_.cells.empty() || spec_.cells.size() != spec_.boundary.size() ||
      spec_.cells.size() != spec_.spacing.size() || spec_.component_names.empty())
    throw std::invalid_argument("inconsistent grid specification");
  int ranks = 1;
  MPI_Comm_size(comm, &ranks);
  dm_ = create_dmda(comm, spec_, split_over_ranks(spec_, ranks));
  patch_ = read_patch(dm_);
}

MPI_Comm Grid::comm() const { return PetscObjectComm(reinterpret_cast<PetscObject>(dm_.get())); }

PetscInt Grid::global_size() const {
  return patch_.global[0] * patch_.global[1] * patch_.global[2] * patch_.dof;
}

}  // namespace nf
