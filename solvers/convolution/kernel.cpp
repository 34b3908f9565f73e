#include "solvers/convolution/kernel.h"

#include <fmt/format.h>

#include <limits>
#include <stdexcept>

#include "solvers/convolution/radial_kernels.h"

namespace nf {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

ParamSpec amplitude(std::string name, std::string unit, double def, double min, std::string doc) {
  return real_param(std::move(name), std::move(unit), def, min, inf, std::move(doc));
}
ParamSpec width(std::string name, double def, std::string doc) {
  return real_param(std::move(name), "m", def, 0, inf, std::move(doc), true);
}

using Shape = std::unique_ptr<Kernel> (*)(int, double, double);

KernelType single(std::string name, std::string doc, std::vector<ParamSpec> params, Shape shape) {
  return {std::move(name), std::move(doc), std::move(params),
          [shape](const ParamValues& p, int d) { return shape(d, p.real("a"), p.real("sigma")); }};
}

// w = shape(a_e, sigma_e) - shape(a_i, sigma_i); rejects the difference that vanishes.
KernelType difference(std::string name, std::string doc, std::string term, Shape shape) {
  std::vector<ParamSpec> params = {
      amplitude("a_e", "1", 1, 0, "excitatory amplitude: the integral of the excitatory " + term),
      width("sigma_e", 1, "excitatory width"),
      amplitude("a_i", "1", 0.5, 0, "inhibitory amplitude: the integral of the inhibitory " + term),
      width("sigma_i", 2, "inhibitory width")};
  auto make = [shape, name](const ParamValues& p, int d) {
    const double ae = p.real("a_e"), se = p.real("sigma_e"), ai = p.real("a_i"), si = p.real("sigma_i");
    if ((ae == 0 && ai == 0) || (ae == ai && se == si))
      throw ParamError("a_i", fmt::format("{} with a_e = {:g}, sigma_e = {:g}, a_i = {:g}, sigma_i = {:g} is zero "
                                          "everywhere: the two terms cancel",
                                          name, ae, se, ai, si),
                       "a_i != a_e or sigma_i != sigma_e, and not both amplitudes 0");
    std::vector<std::unique_ptr<Kernel>> terms;
    terms.push_back(shape(d, ae, se));
    terms.push_back(shape(d, -ai, si));
    return kernels::sum(std::move(terms), fmt::format("{}: excitatory ({}) minus inhibitory ({})", name,
                                                      shape(d, ae, se)->describe(), shape(d, ai, si)->describe()));
  };
  return {std::move(name), std::move(doc), std::move(params), make};
}

std::vector<KernelType> make_registry() {
  std::vector<KernelType> types;
  types.push_back(single(
      "exponential",
      "w = (a/2s) exp(-|x|/s) in 1D, (a/2 pi s^2) exp(-r/s) in 2D, (a/8 pi s^3) exp(-r/s) in 3D: integral a in "
      "every dimension. Fourier a/(1 + s^2 k^2)^{(d+1)/2}.",
      {amplitude("a", "1", 1, -inf, "amplitude: the kernel's integral"), width("sigma", 1, "decay length s")},
      kernels::exponential));
  types.push_back(single(
      "gaussian",
      "w = a (2 pi s^2)^(-d/2) exp(-r^2/2s^2) in d = 1, 2, 3 dimensions: integral a. Fourier a exp(-s^2 k^2/2).",
      {amplitude("a", "1", 1, -inf, "amplitude: the kernel's integral"), width("sigma", 1, "standard deviation s")},
      kernels::gaussian));
  types.push_back(difference("exp_difference",
                             "w = exponential(a_e, sigma_e) - exponential(a_i, sigma_i) (a Mexican hat when "
                             "sigma_i > sigma_e): integral a_e - a_i in every dimension.",
                             "exponential", kernels::exponential));
  types.push_back(difference("gaussian_difference",
                             "w = gaussian(a_e, sigma_e) - gaussian(a_i, sigma_i) (a Mexican hat when "
                             "sigma_i > sigma_e): integral a_e - a_i in every dimension.",
                             "Gaussian", kernels::gaussian));
  types.push_back(single(
      "wizard_hat",
      "w = a (1 - r/s) exp(-r/s) in every dimension (r = |x| in 1D): peak a (1/m^d) at r = 0, negative beyond "
      "r = s. Integral 0 in 1D, -2 pi a s^2 in 2D, -16 pi a s^3 in 3D. Fourier 4 a s^3 k^2/q^2 (1D), "
      "2 pi a s^2 (2 s^2 k^2 - 1)/q^(5/2) (2D), 16 pi a s^3 (s^2 k^2 - 1)/q^3 (3D), q = 1 + s^2 k^2.",
      {amplitude("a", "1/m^d", 1, -inf, "peak value at r = 0"), width("sigma", 1, "length s (the zero crossing)")},
      kernels::wizard_hat));
  types.push_back({"sum",
                   "w = the sum of the kernels listed as its terms, each with its own type and parameters "
                   "(all of the grid's dimension).",
                   {},
                   [](const ParamValues&, int) -> std::unique_ptr<Kernel> {
                     throw std::logic_error("a sum kernel is built from its terms by sum_kernel()");
                   }});
  return types;
}

}  // namespace

const std::vector<KernelType>& kernel_types() {
  static const std::vector<KernelType> types = make_registry();
  return types;
}

const KernelType* find_kernel_type(const std::string& name) {
  for (const auto& t : kernel_types())
    if (t.name == name) return &t;
  return nullptr;
}

std::unique_ptr<Kernel> sum_kernel(std::vector<std::unique_ptr<Kernel>> terms) {
  return kernels::sum(std::move(terms));
}

}  // namespace nf
