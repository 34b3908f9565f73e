#pragma once
// The deck's schema: its sections and, per section, the keys with their kinds, units,
// defaults and bounds. Model and input keys come from the registries, so a new model
// or drive needs no change here.
#include <string>
#include <vector>

#include "models/parameters.h"

namespace nf {

struct SectionSchema {
  std::string name;
  std::string doc;
  std::vector<ParamSpec> keys;
};

// Every section name, in the order the effective deck is written.
const std::vector<std::string>& deck_sections();
// The keys of a section; `type` is the section's type value where keys depend on it
// (model.type, input.type, initial.type), and `model_type` fixes input.at's choices.
SectionSchema section_schema(const std::string& section, const std::string& type, const std::string& model_type);
// The default of a section's `type` key ("" if the section has none).
std::string default_type(const std::string& section);

}  // namespace nf
