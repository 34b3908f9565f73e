#include "base/parameters.h"

#include <stdexcept>

namespace nf {

ParamSpec real_param(std::string name, std::string unit, double def, double min, double max, std::string doc,
                     bool min_exclusive) {
  ParamSpec p;
  p.name = std::move(name);
  p.unit = std::move(unit);
  p.default_real = def;
  p.min = min;
  p.max = max;
  p.doc = std::move(doc);
  p.min_exclusive = min_exclusive;
  return p;
}

ParamSpec integer_param(std::string name, double def, double min, double max, std::string doc) {
  ParamSpec p = real_param(std::move(name), "1", def, min, max, std::move(doc));
  p.kind = ParamSpec::Kind::integer;
  return p;
}

ParamSpec choice_param(std::string name, std::vector<std::string> choices, std::string def, std::string doc) {
  ParamSpec p;
  p.name = std::move(name);
  p.kind = ParamSpec::Kind::choice;
  p.choices = std::move(choices);
  p.default_choice = std::move(def);
  p.doc = std::move(doc);
  return p;
}

ParamSpec bool_param(std::string name, bool def, std::string doc) {
  ParamSpec p = real_param(std::move(name), "", def ? 1.0 : 0.0, 0, 1, std::move(doc));
  p.kind = ParamSpec::Kind::boolean;
  return p;
}

ParamSpec text_param(std::string name, std::string def, std::string doc) {
  ParamSpec p;
  p.name = std::move(name);
  p.kind = ParamSpec::Kind::text;
  p.default_choice = std::move(def);
  p.doc = std::move(doc);
  return p;
}

ParamSpec index_lists_param(std::string name, std::string doc) {
  ParamSpec p;
  p.name = std::move(name);
  p.kind = ParamSpec::Kind::index_lists;
  p.doc = std::move(doc);
  return p;
}

const IndexLists& ParamValues::lists(const std::string& name) const {
  static const IndexLists none;
  const auto it = lists_.find(name);
  return it == lists_.end() ? none : it->second;
}

double ParamValues::real(const std::string& name) const {
  const auto it = reals_.find(name);
  if (it == reals_.end()) throw std::out_of_range("no numeric parameter '" + name + "'");
  return it->second;
}

const std::string& ParamValues::choice(const std::string& name) const {
  const auto it = choices_.find(name);
  if (it == choices_.end()) throw std::out_of_range("no choice parameter '" + name + "'");
  return it->second;
}

ParamValues defaults_of(const std::vector<ParamSpec>& specs) {
  ParamValues v;
  for (const auto& s : specs) {
    if (s.required || s.optional || s.kind == ParamSpec::Kind::index_lists) continue;
    if (s.kind == ParamSpec::Kind::choice || s.kind == ParamSpec::Kind::text)
      v.set(s.name, s.default_choice);
    else if (s.default_from.empty())
      v.set(s.name, s.default_real);
  }
  for (const auto& s : specs)
    if (!s.default_from.empty()) v.set(s.name, v.real(s.default_from));
  return v;
}

}  // namespace nf
