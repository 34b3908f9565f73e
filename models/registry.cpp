#include "models/registry.h"

#include "models/amari.h"
#include "models/fisher_kpp.h"
#include "models/fitzhugh_nagumo.h"
#include "models/nagumo.h"
#include "models/predictive_coding.h"
#include "models/predictive_coding_continuum.h"
#include "models/wilson_cowan.h"

namespace nf {

const std::vector<ModelType>& model_types() {
  static const std::vector<ModelType> types = {predictive_coding_type(), predictive_coding_continuum_type(), amari_type(), wilson_cowan_type(), nagumo_type(),
                                                fisher_kpp_type(), fitzhugh_nagumo_type()};
  return types;
}

const ModelType* find_model_type(const std::string& name) {
  for (const auto& t : model_types())
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace nf
