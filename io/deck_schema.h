#pragma once
// The deck's schema: its sections and, per section, the keys with their kinds, units,
// defaults and bounds. Model and input keys come from the registries, so a new model
// or drive needs no change here.
#include <string>
#include <vector>

#include "base/parameters.h"

namespace nf {

struct SectionSchema {
  std::string name;
  std::string doc;
  std::vector<ParamSpec> keys;
  // The key whose value decides the others (model.type, time.integrator, ...); when
  // set it is keys.front(), a choice. Empty for sections with fixed keys.
  std::string selector;
  // With a selector: what the selected choice is, and further lines about it (a
  // model's reference, a backend's methods and their orders), for `neurofield info`.
  std::string choice_doc;
  std::vector<std::string> details;
};

// Every section name, in the order the effective deck is written. Each has a schema
// (petsc: no keys, one string of options).
const std::vector<std::string>& deck_sections();
// The keys of a section. `selected` is the value of its selector ("" for the
// default), and `model_type` fixes input.at's choices.
SectionSchema section_schema(const std::string& section, const std::string& selected, const std::string& model_type);

}  // namespace nf
