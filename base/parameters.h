#pragma once
// Declared parameters: what a model (or an input) accepts, with units, defaults and
// bounds. The registry turns these into the deck's schema and `neurofield info`.
#include <limits>
#include <stdexcept>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace nf {

struct ParamSpec {
  enum class Kind { real, integer, choice, boolean, text, index_lists };
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
};

ParamSpec real_param(std::string name, std::string unit, double def, double min, double max, std::string doc,
                     bool min_exclusive = false);
ParamSpec integer_param(std::string name, double def, double min, double max, std::string doc);
ParamSpec choice_param(std::string name, std::vector<std::string> choices, std::string def, std::string doc);
ParamSpec bool_param(std::string name, bool def, std::string doc);
ParamSpec text_param(std::string name, std::string def, std::string doc);
// A list of grid points, each a list of 1 to 3 cell indices.
ParamSpec index_lists_param(std::string name, std::string doc);

using IndexLists = std::vector<std::vector<long>>;

// Validated values by name.
class ParamValues {
 public:
  void set(const std::string& name, double v) { reals_[name] = v; }
  void set(const std::string& name, std::string v) { choices_[name] = std::move(v); }
  void set(const std::string& name, IndexLists v) { lists_[name] = std::move(v); }
  void set_flag(const std::string& name, bool v) { reals_[name] = v ? 1.0 : 0.0; }
  double real(const std::string& name) const;
  long integer(const std::string& name) const { return static_cast<long>(real(name)); }
  const std::string& choice(const std::string& name) const;
  const std::string& text(const std::string& name) const { return choice(name); }
  bool flag(const std::string& name) const { return real(name) != 0.0; }
  // Unset lists read as empty: "not given".
  const IndexLists& lists(const std::string& name) const;
  bool has(const std::string& name) const { return reals_.count(name) || choices_.count(name) || lists_.count(name); }

 private:
  std::map<std::string, double> reals_;
  std::map<std::string, std::string> choices_;
  std::map<std::string, IndexLists> lists_;
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
