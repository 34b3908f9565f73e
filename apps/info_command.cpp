// `neurofield info`: every deck section and key, generated from the deck's schema
// (io/deck_schema.h), so a key the deck accepts is documented here by construction.
// Layout: "<section>: doc" at column 0; "  <section>.<selector> = <choice>: doc" for each
// choice of a section's selector; its further lines at 6 spaces; one key per line at
// 4 spaces: name, unit, default and range, meaning.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "apps/commands.h"
#include "io/deck_schema.h"
#include "models/field_input.h"
#include "models/registry.h"
#include "solvers/convolution/kernel.h"

namespace nf {
namespace {

using Kind = ParamSpec::Kind;

std::string range_text(const ParamSpec& p) {
  if (!std::isfinite(p.min) && !std::isfinite(p.max)) return "";
  return fmt::format(" in {}{:g}, {:g}]", p.min_exclusive ? "(" : "[", p.min, p.max);
}

std::string default_text(const ParamSpec& p) {
  if (p.required) return "required";
  switch (p.kind) {
    case Kind::choice: return fmt::format("{} (one of {})", p.default_choice, fmt::join(p.choices, ", "));
    case Kind::boolean: return p.default_real != 0 ? "true" : "false";
    case Kind::text: return p.default_choice.empty() ? "\"\"" : p.default_choice;
    case Kind::index_lists: return "[[i], ...]";
    case Kind::real_list:
    case Kind::integer_list:
      return p.default_list.empty() ? "[...]" + range_text(p) : fmt::format("[{}]{}", fmt::join(p.default_list, ", "), range_text(p));
    case Kind::choice_list:
      return fmt::format("[{}] (each one of {})", fmt::join(p.default_choices, ", "), fmt::join(p.choices, ", "));
    case Kind::mapping: return fmt::format("{{type: {}, ...}} (type one of {})", p.default_choice, fmt::join(p.choices, ", "));
    case Kind::real:
    case Kind::integer: break;
  }
  if (p.optional) return "optional" + range_text(p);
  if (!p.default_from.empty()) return "= " + p.default_from;
  return fmt::format("{:g}{}", p.default_real, range_text(p));
}

void print_keys(const std::vector<ParamSpec>& keys, std::size_t first) {
  for (std::size_t k = first; k < keys.size(); ++k) {
    const ParamSpec& p = keys[k];
    fmt::print("    {:<24} {:<8} {:<28} {}\n", p.name, p.unit.empty() ? "-" : p.unit, default_text(p), p.doc);
  }
}

void print_section(const std::string& name, const std::string& model_type) {
  const SectionSchema base = section_schema(name, "", model_type);
  fmt::print("\n{}: {}\n", name, base.doc);
  if (base.selector.empty()) {
    print_keys(base.keys, 0);
    return;
  }
  const ParamSpec& selector = base.keys.front();
  for (const auto& choice : selector.choices) {
    const SectionSchema s = section_schema(name, choice, model_type);
    fmt::print("  {}.{} = {}{}: {}\n", name, s.selector, choice, choice == selector.default_choice ? " (default)" : "",
               s.choice_doc);
    for (const auto& line : s.details) fmt::print("      {}\n", line);
    print_keys(s.keys, 1);
  }
}


// The models whose keys in `section` differ from the default model's (mesh: only
// field models have one).
std::vector<std::string> models_with_own_keys(const std::string& section, const std::string& default_model) {
  std::vector<std::string> names;
  const std::size_t base = section_schema(section, "", default_model).keys.size();
  for (const auto& m : model_types())
    if (m.name != default_model && section_schema(section, "", m.name).keys.size() > base) names.push_back(m.name);
  return names;
}

void print_kernels() {
  fmt::print("\nkernels: the values of model.kernel.type; model.kernel: {{type: T, parameters...}}\n");
  for (const auto& k : kernel_types()) {
    if (k.name == "sum") continue;  // not a deck choice yet
    fmt::print("  model.kernel.type = {}: {}\n", k.name, k.doc);
    print_keys(k.params, 0);
  }
}

void print_field_inputs() {
  fmt::print("\ninputs: the values of a field model's input type (model.input of amari); model.input: {{type: T, "
             "parameters...}}, or a number for a constant\n");
  for (const auto& t : field_input_types()) {
    fmt::print("  model.input.type = {}: {}\n", t.name, t.doc);
    print_keys(t.params, 0);
  }
}

}  // namespace

int print_info() {
  fmt::print("neurofield deck: sections and keys (key, unit, default and range, meaning)\n");
  const std::string model_type = section_schema("model", "", "").keys.front().default_choice;
  for (const auto& section : deck_sections()) {
    const std::vector<std::string> others = models_with_own_keys(section, model_type);
    if (section == "mesh" && !others.empty()) {
      fmt::print("\nmesh: {} (model.type {})\n", section_schema("mesh", "", others[0]).doc, fmt::join(others, ", "));
      print_keys(section_schema("mesh", "", others[0]).keys, 0);
      continue;
    }
    print_section(section, model_type);
  }
  print_kernels();
  print_field_inputs();
  return 0;
}

}  // namespace nf
