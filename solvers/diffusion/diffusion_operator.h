#pragma once
// The diffusion operator L u = sum_c D_c laplacian(u_c) on a structured grid, by
// central differences of order 2 ((u_{i-1} - 2 u_i + u_{i+1}) / h^2) or 4
// ((-u_{i-2} + 16 u_{i-1} - 30 u_i + 16 u_{i+1} - u_{i+2}) / (12 h^2)) per axis.
// Cells are centred (x_i = (i + 1/2) h); at a bounded axis's ends the state is
// continued by reflection about the wall, u_{-1-i} = s u_i (and u_{N+i} = s u_{N-1-i}):
// s = +1 is no flux (Neumann, du/dn = 0), s = -1 holds u = 0 at the wall (Dirichlet),
// both of the stencil's order for smooth solutions. Periodic axes wrap through the
// grid's ghosts. D in m^2/s, h in m, L u in 1/s (per unit of u).
//
// The same stencil is applied on a patch (the stiff part of a right-hand side) and
// assembled into a matrix (the Jacobian of that part, for the implicit solvers).
#include <petscdm.h>
#include <petscmat.h>

#include <vector>

#include "meshes/grid.h"

namespace nf {

struct DiffusionSpec {
  std::vector<double> diffusivity;  // m^2/s per component of the grid (0: that component does not diffuse)
  int order = 2;                    // 2 or 4
};

class DiffusionOperator {
 public:
  // The grid's stencil width must be at least order / 2.
  DiffusionOperator(const GridSpec& grid, DiffusionSpec spec);

  // f[owned] += L u on the patch; u ghosted (the grid's ghosts filled), f owned.
  void add_to(const Patch& patch, const double* u, double* f) const;
  // L into a matrix of the grid's DM (DMCreateMatrix's layout): every row gets its
  // diagonal (0 for a component that does not diffuse). Collective; assembles.
  void assemble(DM dm, Mat l) const;
  // The largest |eigenvalue| of L (1/s): sum over axes of D 4/h^2 (order 2) or
  // D 16/(3 h^2) (order 4), for the largest D. An explicit method of stability
  // interval [-b, 0] on the real axis needs dt <= b / spectral_radius().
  double spectral_radius() const;
  bool empty() const { return diffusing_.empty(); }
  int order() const { return spec_.order; }

 private:
  // Index and sign of the cell that stands for global index i along an axis of n
  // cells (i may lie up to order/2 outside on a bounded axis).
  struct Image {
    PetscInt index;
    double sign;
  };
  Image image(int axis, PetscInt i) const;
  double axis_term(const Patch& p, const double* u, int axis, PetscInt i, PetscInt j, PetscInt k, PetscInt c) const;

  GridSpec grid_;
  DiffusionSpec spec_;
  std::vector<PetscInt> diffusing_;            // components with D > 0
  std::vector<double> weights_;                // stencil weights per offset -order/2 .. order/2, times 1/h^2 later
};

// The largest x such that the Taylor polynomial of e^z of degree `order` (an explicit
// Runge-Kutta method with as many stages as its order) satisfies |R(-y)| <= 1 for
// every y in [0, x]: 2 for order 1 and 2, 2.5127 for 3, 2.7853 for 4. Order >= 5 is
// taken as 5 (3.2170; Dormand-Prince's own interval is a little longer).
double real_stability_interval(int order);

}  // namespace nf
