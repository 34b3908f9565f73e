#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "apps/commands.h"
#include "models/drive.h"
#include "models/registry.h"
#include "solvers/integrators/integrator.h"

namespace nf {
namespace {

std::string default_text(const ParamSpec& p) {
  if (p.kind == ParamSpec::Kind::choice) return fmt::format("{} (one of {})", p.default_choice, fmt::join(p.choices, ", "));
  if (!p.default_from.empty()) return "= " + p.default_from;
  std::string range;
  if (std::isfinite(p.min) || std::isfinite(p.max))
    range = fmt::format(" in {}{:g}, {:g}]", p.min_exclusive ? "(" : "[", p.min, p.max);
  return fmt::format("{:g}{}", p.default_real, range);
}

void print_params(const std::vector<ParamSpec>& params) {
  for (const auto& p : params)
    fmt::print("    {:<16} {:<6} {:<28} {}\n", p.name, p.unit.empty() ? "-" : p.unit, default_text(p), p.doc);
}

}  // namespace

int print_info() {
  fmt::print("models (model.type)\n");
  for (const auto& m : model_types()) {
    fmt::print("  {}: {}\n    reference: {}\n    input.at: {}\n", m.name, m.doc, m.reference,
               fmt::join(m.drive_sites, ", "));
    print_params(m.params);
  }
  fmt::print("\ninputs (input.type)\n");
  for (const auto& d : drive_types()) {
    fmt::print("  {}: {}\n", d.name, d.doc);
    print_params(d.params);
  }
  for (const auto& b : integrator_backends()) {
    fmt::print("\nintegrator (time.integrator) {}: {}\n  methods (time.method, default {})\n", b.name, b.doc,
               b.default_method);
    for (const auto& m : b.methods) fmt::print("    {:<10} order {}  {}\n", m.name, m.order, m.doc);
    std::vector<std::string> runs;
    for (const auto& e : b.equivalents) runs.push_back(e.name + " -> " + e.method);
    if (!runs.empty()) fmt::print("  other backends' names run: {}\n", fmt::join(runs, ", "));
    if (!b.options.empty()) {
      fmt::print("  options ({}.*)\n", b.name);
      print_params(b.options);
    }
  }
  return 0;
}

}  // namespace nf
