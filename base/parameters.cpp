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

ParamSpec real_list_param(std::string name, std::string unit, std::vector<double> def, double min, double max,
                          std::string doc, bool min_exclusive) {
  ParamSpec p = real_param(std::move(name), std::move(unit), 0, min, max, std::move(doc), min_exclusive);
  p.kind = ParamSpec::Kind::real_list;
  p.default_list = std::move(def);
  return p;
}

ParamSpec integer_list_param(std::string name, std::vector<double> def, double min, double max, std::string doc) {
  ParamSpec p = real_param(std::move(name), "1", 0, min, max, std::move(doc));
  p.kind = ParamSpec::Kind::integer_list;
  p.default_list = std::move(def);
  return p;
}

ParamSpec choice_list_param(std::string name, std::vector<std::string> choices, std::vector<std::string> def,
                            std::string doc) {
  ParamSpec p = choice_param(std::move(name), std::move(choices), "", std::move(doc));
  p.kind = ParamSpec::Kind::choice_list;
  p.default_choices = std::move(def);
  return p;
}

ParamSpec mapping_param(std::string name, std::vector<std::string> types, std::string default_type,
                        std::function<std::vector<ParamSpec>(const std::string& type)> keys, std::string doc) {
  ParamSpec p = choice_param(std::move(name), std::move(types), std::move(default_type), std::move(doc));
  p.kind = ParamSpec::Kind::mapping;
  p.mapping_keys = std::move(keys);
  return p;
}

const std::vector<double>& ParamValues::reals(const std::string& name) const {
  const auto it = real_lists_.find(name);
  if (it == real_lists_.end()) throw std::out_of_range("no list parameter '" + name + "'");
  return it->second;
}

const std::vector<std::string>& ParamValues::choices(const std::string& name) const {
  const auto it = choice_lists_.find(name);
  if (it == choice_lists_.end()) throw std::out_of_range("no list parameter '" + name + "'");
  return it->second;
}

ParamValues ParamValues::nested(const std::string& name) const {
  const std::string prefix = name + ".";
  ParamValues out;
  const auto strip = [&prefix](const std::string& key) -> std::string {
    return key.rfind(prefix, 0) == 0 ? key.substr(prefix.size()) : std::string();
  };
  for (const auto& [k, v] : reals_)
    if (const std::string n = strip(k); !n.empty()) out.reals_[n] = v;
  for (const auto& [k, v] : choices_)
    if (const std::string n = strip(k); !n.empty()) out.choices_[n] = v;
  for (const auto& [k, v] : lists_)
    if (const std::string n = strip(k); !n.empty()) out.lists_[n] = v;
  for (const auto& [k, v] : real_lists_)
    if (const std::string n = strip(k); !n.empty()) out.real_lists_[n] = v;
  for (const auto& [k, v] : choice_lists_)
    if (const std::string n = strip(k); !n.empty()) out.choice_lists_[n] = v;
  return out;
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
    if (s.kind == ParamSpec::Kind::real_list || s.kind == ParamSpec::Kind::integer_list)
      v.set(s.name, s.default_list);
    else if (s.kind == ParamSpec::Kind::choice_list)
      v.set(s.name, s.default_choices);
    else if (s.kind == ParamSpec::Kind::mapping) {
      v.set(s.name + ".type", s.default_choice);
      const ParamValues inner = defaults_of(s.mapping_keys(s.default_choice));
      for (const auto& k : s.mapping_keys(s.default_choice))
        if (inner.has(k.name)) {
          if (k.kind == ParamSpec::Kind::choice || k.kind == ParamSpec::Kind::text) v.set(s.name + "." + k.name, inner.choice(k.name));
          else if (k.kind == ParamSpec::Kind::real || k.kind == ParamSpec::Kind::integer || k.kind == ParamSpec::Kind::boolean)
            v.set(s.name + "." + k.name, inner.real(k.name));
          else if (k.kind == ParamSpec::Kind::real_list || k.kind == ParamSpec::Kind::integer_list)
            v.set(s.name + "." + k.name, inner.reals(k.name));
        }
    } else if (s.kind == ParamSpec::Kind::choice || s.kind == ParamSpec::Kind::text)
      v.set(s.name, s.default_choice);
    else if (s.default_from.empty())
      v.set(s.name, s.default_real);
  }
  for (const auto& s : specs)
    if (!s.default_from.empty()) v.set(s.name, v.real(s.default_from));
  return v;
}

}  // namespace nf
