#pragma once
// Declared parameters: what a model (or an input) accepts, with units, defaults and
// bounds. The registry turns these into the deck's schema and `neurofield info`.
#include <functional>
#include <limits>
#include <stdexcept>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace nf {

struct ParamSpec {
  // real_list, integer_list, choice_list: one entry per axis, say (a single value reads
  // as a list of one). mapping: a nested mapping whose `type` key (one of `choices`,
  // default `default_choice`) decides its other keys (mapping_keys), e.g. model.kernel.
  enum class Kind { real, integer, choice, boolean, text, index_lists, real_list, integer_list, choice_list, mapping };
  std::string name;
  Kind kind = Kind::real;
  std::string unit;                      // SI; "1" for dimensionless
  std::string doc;
  double default_real = 0;               // real and integer
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;            // value must exceed min
  std::vector<std::string> choices;      // choice
  std::string default_choice;
  std::string default_from;              // a real that defaults to another parameter's value
  bool required = false;                 // no default: the deck must give it
  bool optional = false;                 // no default: absent unless the deck gives it
  std::vector<double> default_list;      // real_list, integer_list
  std::vector<std::string> default_choices;  // choice_list
  std::function<std::vector<ParamSpec>(const std::string& type)> mapping_keys;  // mapping
  // mapping: a plain number x reads as {type: number_type, number_key: x} (none if empty).
  std::string number_type, number_key;
  // choice: a remark appended to the allowed values in errors, e.g. what comes later.
  std::string choices_note;
  bool is_list() const { return kind == Kind::real_list || kind == Kind::integer_list || kind == Kind::choice_list; }
};

ParamSpec real_param(std::string name, std::string unit, double def, double min, double max, std::string doc,
                     bool min_exclusive = false);
ParamSpec integer_param(std::string name, double def, double min, double max, std::string doc);
ParamSpec choice_param(std::string name, std::vector<std::string> choices, std::string def, std::string doc);
ParamSpec bool_param(std::string name, bool def, std::string doc);
ParamSpec text_param(std::string name, std::string def, std::string doc);
// A list of grid points, each a list of 1 to 3 cell indices.
ParamSpec index_lists_param(std::string name, std::string doc);
// Lists of numbers or choices (entries checked like single values).
ParamSpec real_list_param(std::string name, std::string unit, std::vector<double> def, double min, double max,
                          std::string doc, bool min_exclusive = false);
ParamSpec integer_list_param(std::string name, std::vector<double> def, double min, double max, std::string doc);
ParamSpec choice_list_param(std::string name, std::vector<std::string> choices, std::vector<std::string> def,
                            std::string doc);
// A nested mapping with a `type` key; its values are stored flattened as
// "name.type", "name.key" (ParamValues::nested reads them back).
ParamSpec mapping_param(std::string name, std::vector<std::string> types, std::string default_type,
                        std::function<std::vector<ParamSpec>(const std::string& type)> keys, std::string doc);

using IndexLists = std::vector<std::vector<long>>;

// Validated values by name.
class ParamValues {
 public:
  void set(const std::string& name, double v) { reals_[name] = v; }
  void set(const std::string& name, std::string v) { choices_[name] = std::move(v); }
  void set(const std::string& name, IndexLists v) { lists_[name] = std::move(v); }
  void set(const std::string& name, std::vector<double> v) { real_lists_[name] = std::move(v); }
  void set(const std::string& name, std::vector<std::string> v) { choice_lists_[name] = std::move(v); }
  void set_flag(const std::string& name, bool v) { reals_[name] = v ? 1.0 : 0.0; }
  double real(const std::string& name) const;
  long integer(const std::string& name) const { return static_cast<long>(real(name)); }
  const std::string& choice(const std::string& name) const;
  const std::string& text(const std::string& name) const { return choice(name); }
  bool flag(const std::string& name) const { return real(name) != 0.0; }
  // Unset lists read as empty: "not given".
  const IndexLists& lists(const std::string& name) const;
  const std::vector<double>& reals(const std::string& name) const;
  const std::vector<std::string>& choices(const std::string& name) const;
  bool has(const std::string& name) const {
    return reals_.count(name) || choices_.count(name) || lists_.count(name) || real_lists_.count(name) ||
           choice_lists_.count(name);
  }
  // The values of a mapping parameter, keys without the "name." prefix.
  ParamValues nested(const std::string& name) const;

 private:
  std::map<std::string, double> reals_;
  std::map<std::string, std::string> choices_;
  std::map<std::string, IndexLists> lists_;
  std::map<std::string, std::vector<double>> real_lists_;
  std::map<std::string, std::vector<std::string>> choice_lists_;
};

// The declared defaults, with default_from resolved.
ParamValues defaults_of(const std::vector<ParamSpec>& specs);

}  // namespace nf

namespace nf {
// A parameter value that is allowed alone but not with the others (e.g. a periodic
// ring of two layers). `key` is the parameter's name within its deck section.
class ParamError : public std::invalid_argument {
 public:
  ParamError(std::string key, const std::string& what, std::string allowed = "")
      : std::invalid_argument(what), key(std::move(key)), allowed(std::move(allowed)) {}
  std::string key;
  std::string allowed;  // what would be accepted instead
};
}  // namespace nf
