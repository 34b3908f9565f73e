#pragma once
// A deck key holding a kernel: a mapping {type: <registered kernel>, its parameters}.
#include <memory>
#include <string>

#include "base/parameters.h"
#include "solvers/convolution/kernel.h"

namespace nf {

ParamSpec kernel_param(std::string name, std::string default_type, std::string doc);
// The kernel of a mapping read with kernel_param (values from ParamValues::nested).
// Throws ParamError with key "<name>.<parameter>" for a combination it rejects.
std::shared_ptr<const Kernel> make_kernel(const std::string& name, const ParamValues& values, int dimension);

}  // namespace nf
