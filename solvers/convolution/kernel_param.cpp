#include "solvers/convolution/kernel_param.h"

namespace nf {

ParamSpec kernel_param(std::string name, std::string default_type, std::string doc) {
  std::vector<std::string> types;
  for (const auto& t : kernel_types())
    if (t.name != "sum") types.push_back(t.name);  // sums are built in code (sum_kernel), not in decks yet
  return mapping_param(std::move(name), types, std::move(default_type),
                       [](const std::string& type) {
                         const KernelType* k = find_kernel_type(type);
                         return k ? k->params : std::vector<ParamSpec>{};
                       },
                       std::move(doc));
}

std::shared_ptr<const Kernel> make_kernel(const std::string& name, const ParamValues& values, int dimension) {
  const ParamValues v = values.nested(name);
  const KernelType* type = find_kernel_type(v.choice("type"));
  try {
    return type->make(v, dimension);
  } catch (const ParamError& e) {
    throw ParamError(name + "." + e.key, e.what(), e.allowed);
  }
}

}  // namespace nf
