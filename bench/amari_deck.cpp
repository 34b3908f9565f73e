#include "bench/amari_deck.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace nf::bench {

Deck amari_deck(const AmariCase& c) {
  const std::vector<double> length(c.cells.size(), c.length);
  const std::vector<std::string> boundary(c.cells.size(), c.boundary);
  const std::string text = fmt::format(
      "model:\n"
      "  type: amari\n"
      "  kernel: {{type: exponential, sigma: 1.0}}\n"
      "  threshold: 0.25\n"
      "  tau: 1.0\n"
      "  firing: {}\n"
      "mesh:\n"
      "  cells: [{}]\n"
      "  length: [{}]\n"
      "  boundary: [{}]\n"
      "initial:\n"
      "  type: front\n"
      "time:\n"
      "  t_end: {:.17g}\n"
      "  dt: {:.17g}\n"
      "  integrator: petsc\n"
      "  method: {}\n",
      c.firing, fmt::join(c.cells, ", "), fmt::join(length, ", "), fmt::join(boundary, ", "),
      static_cast<double>(c.steps) * c.dt, c.dt, c.method);
  return Deck::parse(text, "bench_amari.yaml", {});
}

}  // namespace nf::bench
