#include "models/reaction_diffusion.h"

#include <limits>
#include <string>

namespace nf {

ParamSpec diffusion_param(const std::string& name, double def, const std::string& doc) {
  return real_param(name, "m^2/s", def, 0, std::numeric_limits<double>::infinity(), doc);
}

ParamSpec stencil_order_param() {
  ParamSpec s = integer_param("stencil_order", 2, 2, 4,
                              "order of the central-difference Laplacian: 2 (3 points per axis) or 4 (5 points)");
  return s;
}

int stencil_order(const ParamValues& v) {
  const long order = v.integer("stencil_order");
  if (order != 2 && order != 4)
    throw ParamError("stencil_order", "model.stencil_order = " + std::to_string(order) + " is not a stencil order",
                     "2 or 4");
  return static_cast<int>(order);
}

GridSpec reaction_diffusion_grid(GridSpec mesh, std::vector<std::string> components, int stencil_order) {
  mesh.component_names = std::move(components);
  mesh.stencil_width = stencil_order / 2;
  return mesh;
}

}  // namespace nf
