#pragma once
// Sources of couplings: the firing rate f(u) on each owned cell, as the convolution
// takes it (constant per cell, see fft_convolution.h).
//
// Heaviside firing on a grid: taking H(u_j - theta) at cell centres makes the input a
// staircase in time, an O(h) error in front speed, and slow fronts pin to the lattice
// (heaviside_cells). The default `heaviside` is sub-cell instead: along each axis a the
// level crossing u = theta between two cells is located by the cubic through the four
// cells around it; each cell then carries the active fraction F_j of its volume and the
// first moments M_{j,a} = (1/V) int_cell (y_a - x_{j,a}) H dy (m) of its active part.
// The convolution adds the moment term of the Taylor expansion of the kernel over the
// cell,
//   int_cell w(x_i - y) H(y) dy = W(d) F_j + sum_a G_a(d) M_{j,a} + O(h^2 |M|),
//   G_a(d) = -(W(d + h_a e_a / 2) - W(d - h_a e_a / 2)) / h_a,   d = x_i - x_j,
// so a planar front along an axis moves at the continuum speed to O(h^3) relative
// (measured in docs/verification.md). Across axes, F_j = H_j + sum_a (F_{j,a} - H_j):
// exact for fronts parallel to a grid plane, O(h) where an interface crosses cells
// obliquely.
#include <span>

#include "meshes/grid.h"
#include "solvers/convolution/coupling.h"

namespace nf {

// Pointwise f(u) (all kinds but the sub-cell heaviside, for which it is H(u - theta)).
double fire(const Firing& f, double u);

// Cells a firing function reads on each side along an axis (the grid's stencil width
// must be at least this).
int firing_stencil_width(const Firing& f);

// Whether the source has moment fields (sub-cell heaviside).
inline bool has_moments(const Firing& f) { return f.kind == FiringKind::heaviside; }

// The source on the owned cells of `patch` from the ghosted local state u (dof
// components, component c). `fraction` gets f (or F_j); `moments[a]` (one per grid
// axis, only when has_moments) gets M_{j,a} (m). `spacing`: h per axis (m).
void fill_source(const Patch& patch, const std::vector<double>& spacing, const double* u_ghosted, int component,
                 const Firing& f, double* fraction, std::span<double* const> moments);

}  // namespace nf
