#pragma once
// What the reaction-diffusion models share: the deck keys of their diffusion
// (model.diffusion, D in m^2/s; model.stencil_order, 2 or 4) and the grid they
// live on (the deck's mesh, with the ghost width the stencil needs).
#include <string>
#include <vector>

#include "base/parameters.h"
#include "meshes/grid.h"
#include "solvers/diffusion/diffusion_operator.h"

namespace nf {

// model.diffusion (m^2/s) under `name`, with `doc`.
ParamSpec diffusion_param(const std::string& name, double def, const std::string& doc);
// model.stencil_order: the order of the diffusion stencil.
ParamSpec stencil_order_param();
// Its value, 2 or 4 (ParamError otherwise).
int stencil_order(const ParamValues& v);

// The mesh with `components` and a ghost width of stencil_order / 2.
GridSpec reaction_diffusion_grid(GridSpec mesh, std::vector<std::string> components, int stencil_order);

}  // namespace nf
