#pragma once
// Models by name: drives the deck's allowed values, `neurofield info` and the tests.
#include <string>
#include <vector>

#include "models/model.h"

namespace nf {

const std::vector<ModelType>& model_types();
const ModelType* find_model_type(const std::string& name);

}  // namespace nf
