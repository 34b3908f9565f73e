#include "io/deck.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/deck_schema.h"
#include "base/did_you_mean.h"

namespace nf {
namespace {

// The sections a deck file may hold: the run's, and sweep: (read by `neurofield sweep`,
// problem/sweep_spec.h; a run ignores it).
std::vector<std::string> sections_in_a_deck() {
  std::vector<std::string> names = deck_sections();
  names.push_back("sweep");
  return names;
}

using Kind = ParamSpec::Kind;

DeckLocation location_from(const std::string& source, const YAML::Mark& m) {
  if (m.is_null()) return {source, 0, 0};
  return {source, m.line + 1, m.column + 1};
}

std::string scalar_text(const YAML::Node& v) {
  if (!v || v.IsNull()) return "(nothing)";
  if (v.IsScalar()) return v.Scalar();
  YAML::Emitter e;
  e << YAML::Flow << v;
  return e.c_str();
}

DeckError error(const DeckLocation& at, const std::string& what, const std::string& allowed = "",
                const std::string& hint = "") {
  std::string msg = fmt::format("{}: error: {}", at.str(), what);
  if (!allowed.empty()) msg += "\n  allowed: " + allowed;
  if (!hint.empty()) msg += "\n  " + hint;
  return DeckError(msg);
}

// The name of a mapping key; a list or a mapping as a key ({[a, b]: 1}) is refused.
std::string key_name(const YAML::Node& key, const DeckLocation& at) {
  if (!key.IsScalar()) throw error(at, fmt::format("{} is not a key name", scalar_text(key)), "a name, e.g. tau");
  return key.Scalar();
}

std::string hint_for(const std::string& word, const std::vector<std::string>& names, const std::string& prefix) {
  const std::string near = nearest_name(word, names);
  return near.empty() ? "" : fmt::format("did you mean '{}{}'?", prefix, near);
}

std::string range_text(const ParamSpec& s) {
  const std::string unit = s.unit.empty() || s.unit == "1" ? "" : " (" + s.unit + ")";
  const std::string noun = s.kind == Kind::integer ? "an integer" : "a number";
  const bool lo = std::isfinite(s.min), hi = std::isfinite(s.max);
  if (lo && hi) return fmt::format("{} in [{:g}, {:g}]{}", noun, s.min, s.max, unit);
  if (lo) return fmt::format("{} {} {:g}{}", noun, s.min_exclusive ? ">" : ">=", s.min, unit);
  if (hi) return fmt::format("{} <= {:g}{}", noun, s.max, unit);
  return noun + unit;
}

std::string allowed_text(const ParamSpec& s) {
  switch (s.kind) {
    case Kind::real:
    case Kind::integer: return range_text(s);
    case Kind::choice:
      return fmt::format("{}{}", fmt::join(s.choices, ", "), s.choices_note.empty() ? "" : " (" + s.choices_note + ")");
    case Kind::boolean: return "true or false";
    case Kind::text: return "a string";
    case Kind::index_lists: return "a list of cells, each a list of 1 to 3 integers, e.g. [[0], [7]]";
    case Kind::real_list:
    case Kind::integer_list: return "a list of 1 to 3 entries, each " + range_text(s) + ", e.g. [1, 2]";
    case Kind::choice_list: return fmt::format("a list of 1 to 3 entries, each one of {}", fmt::join(s.choices, ", "));
    case Kind::mapping:
      return fmt::format("a mapping {{type: T, ...}} with T one of {}", fmt::join(s.choices, ", "));
  }
  return "";
}

// Converts and checks one value; throws DeckError at `at`.
class ValueReader {
 public:
  ValueReader(const ParamSpec& spec, const std::string& key, const YAML::Node& v, DeckLocation at)
      : s_(spec), key_(key), v_(v), at_(std::move(at)) {}

  void into(ParamValues& out) const {
    switch (s_.kind) {
      case Kind::real: out.set(s_.name, number()); break;
      case Kind::integer: out.set(s_.name, integer()); break;
      case Kind::choice: out.set(s_.name, choice()); break;
      case Kind::boolean: out.set_flag(s_.name, boolean()); break;
      case Kind::text: out.set(s_.name, scalar()); break;
      case Kind::index_lists: out.set(s_.name, index_lists()); break;
      case Kind::real_list: out.set(s_.name, numbers(false)); break;
      case Kind::integer_list: out.set(s_.name, numbers(true)); break;
      case Kind::choice_list: out.set(s_.name, choices()); break;
      case Kind::mapping: throw std::logic_error("a mapping is read by Deck::read_mapping");
    }
  }

 private:
  [[noreturn]] void fail(const std::string& problem, const std::string& hint = "") const {
    throw error(at_, fmt::format("{} = {} {}", key_, scalar_text(v_), problem), allowed_text(s_), hint);
  }
  std::string scalar() const {
    if (!v_.IsScalar()) fail("is not a single value");
    return v_.Scalar();
  }
  double number() const {
    double x = 0;
    try {
      x = v_.as<double>();
    } catch (const YAML::Exception&) {
      fail("is not a number");
    }
    if (std::isnan(x) || x < s_.min || x > s_.max || (s_.min_exclusive && x == s_.min)) fail("is out of range");
    return x;
  }
  double integer() const {
    const double x = number();
    if (x != std::floor(x)) fail("is not an integer");
    return x;
  }
  std::string choice() const {
    const std::string c = scalar();
    for (const auto& allowed : s_.choices)
      if (c == allowed) return c;
    fail("is not one of the allowed values", hint_for(c, s_.choices, ""));
  }
  bool boolean() const {
    try {
      return v_.as<bool>();
    } catch (const YAML::Exception&) {
      fail("is not true or false");
    }
  }
  // One value per entry, checked like a single value; a single value is a list of one.
  std::vector<YAML::Node> entries() const {
    std::vector<YAML::Node> items;
    if (v_.IsSequence())
      for (const auto& item : v_) items.push_back(item);
    else if (v_.IsScalar())
      items.push_back(v_);
    if (items.empty() || items.size() > 3) fail("is not a list of 1 to 3 entries");
    return items;
  }
  std::vector<double> numbers(bool integers) const {
    std::vector<double> out;
    for (const auto& item : entries()) {
      const ValueReader entry(s_, key_, item, at_);
      out.push_back(integers ? entry.integer() : entry.number());
    }
    return out;
  }
  std::vector<std::string> choices() const {
    std::vector<std::string> out;
    for (const auto& item : entries()) out.push_back(ValueReader(s_, key_, item, at_).choice());
    return out;
  }
  IndexLists index_lists() const {
    if (!v_.IsSequence()) fail("is not a list");
    IndexLists out;
    for (const auto& item : v_) {
      std::vector<long> cell;
      if (item.IsSequence())
        for (const auto& e : item) cell.push_back(parse_index(e));
      else
        cell.push_back(parse_index(item));
      if (cell.empty() || cell.size() > 3) fail("has a cell with no index or more than 3");
      out.push_back(std::move(cell));
    }
    return out;
  }
  long parse_index(const YAML::Node& e) const {
    try {
      const double x = e.as<double>();
      if (x == std::floor(x) && x >= 0) return static_cast<long>(x);
    } catch (const YAML::Exception&) {
    }
    fail("has an entry that is not a cell index (an integer >= 0)");
  }

  const ParamSpec& s_;
  std::string key_;
  const YAML::Node& v_;
  DeckLocation at_;
};

YAML::Node parse_yaml(const std::string& text, const std::string& source) {
  try {
    YAML::Node root = YAML::Load(text);
    if (root.IsNull()) return YAML::Node(YAML::NodeType::Map);
    if (!root.IsMap()) throw error(location_from(source, root.Mark()), "a deck is a mapping of sections",
                                   fmt::format("{}", fmt::join(sections_in_a_deck(), ", ")));
    return root;
  } catch (const YAML::ParserException& e) {
    throw error(location_from(source, e.mark), "the deck is not valid YAML: " + e.msg);
  }
}

YAML::Node parse_override_value(const std::string& text) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception&) {
    return YAML::Node(text);
  }
}

// "frequency is a key of input.type sinusoid" when the key belongs to other choices.
std::string other_choices_with_key(const SectionSchema& schema, const std::string& name, const std::string& model_type) {
  if (schema.selector.empty()) return "";
  std::vector<std::string> owners;
  for (const auto& choice : schema.keys.front().choices)
    for (const auto& k : section_schema(schema.name, choice, model_type).keys)
      if (k.name == name) owners.push_back(choice);
  if (owners.empty()) return "";
  return fmt::format("{} is a key of {}.{} {}", name, schema.name, schema.selector, fmt::join(owners, ", "));
}

std::string yaml_number(double x) {
  if (std::isinf(x)) return x > 0 ? ".inf" : "-.inf";
  return fmt::format("{}", x);
}

// petsc.ts_monitor=1: `petsc` is one string of options, not a section of keys.
[[noreturn]] void refuse_petsc_key(const DeckLocation& at, const std::string& name, const std::string& value) {
  const bool on = value.empty() || value == "1" || value == "true" || value == "yes";
  const std::string option = "-" + name + (on ? "" : " " + value);
  throw error(at, fmt::format("petsc.{} is not a deck key: petsc is one string of PETSc options", name),
              fmt::format("petsc=\"{0}\" (replaces the deck's petsc: entry), or the option after --: "
                          "neurofield run DECK ... -- {0}",
                          option));
}

// "-ts_monitor -ts_rk_type 3bs": options, each may be followed by its value.
void check_petsc_text(const DeckLocation& at, const std::string& text) {
  std::istringstream words(text);
  std::string first;
  if (!(words >> first) || first.front() == '-') return;
  throw error(at, fmt::format("petsc = {} is not a string of PETSc options (it does not start with an option)", text),
              "a string of options, each starting with -, e.g. \"-ts_monitor -ts_rk_type 3bs\"");
}

// model.kernel.sigma=2: the path below the section, a mapping per dot (a scalar
// on the way, kernel: gaussian, becomes {type: gaussian}).
void set_nested(YAML::Node node, const std::string& path, const YAML::Node& value, const DeckLocation& at) {
  const auto dot = path.find('.');
  if (dot == std::string::npos) {
    node[path] = value;
    return;
  }
  const std::string head = path.substr(0, dot);
  YAML::Node child = node[head];
  if (child && child.IsScalar()) {
    const std::string type = child.Scalar();
    child = YAML::Node(YAML::NodeType::Map);
    child["type"] = type;
    node[head] = child;
  } else if (child && !child.IsMap() && !child.IsNull()) {
    throw error(at, fmt::format("'{}' is not a mapping, so '{}' cannot be set in it", head, path));
  }
  YAML::Node next = node[head];
  set_nested(next, path.substr(dot + 1), value, at);
}

bool is_number(const YAML::Node& scalar) {
  double x = 0;
  return YAML::convert<double>::decode(scalar, x);
}

void emit_numbers(YAML::Emitter& e, const std::vector<double>& xs) {
  e << YAML::Flow << YAML::BeginSeq;
  for (double x : xs) e << yaml_number(x);
  e << YAML::EndSeq;
}

bool is_section(const std::string& name) {
  for (const auto& s : deck_sections())
    if (s == name) return true;
  return false;
}

}  // namespace

std::string DeckLocation::str() const {
  if (line == 0) return source;
  return fmt::format("{}:{}:{}", source, line, column);
}

namespace {

// A deck is a regular file (or a link to one) that holds at least one YAML key: a
// folder, a device, a pipe or an empty file would otherwise run the defaults.
void require_deck_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  const auto refuse = [&](const std::string& why) {
    throw DeckError(fmt::format("{}: error: {}\n  allowed: a YAML deck file (list the keys with `neurofield info`)",
                                path, why));
  };
  if (!fs::exists(status)) refuse("cannot read the deck: no such file");
  if (fs::is_directory(status)) refuse("is a folder, not a deck file");
  if (!fs::is_regular_file(status)) refuse("is not a regular file (a device, pipe or socket), not a deck file");
}

// False for a text of blanks and comments only; bad YAML counts as content (parse
// reports it with its location).
bool has_yaml_content(const std::string& text) {
  try {
    return !YAML::Load(text).IsNull();
  } catch (const YAML::Exception&) {
    return true;
  }
}

}  // namespace

Deck Deck::load(const std::string& path, const std::vector<std::string>& overrides) {
  require_deck_file(path);
  std::ifstream in(path);
  if (!in) throw DeckError(fmt::format("{}: error: cannot read the deck (no permission)", path));
  std::stringstream text;
  text << in.rdbuf();
  if (!has_yaml_content(text.str()))
    throw DeckError(fmt::format("{}: error: the deck is empty (no key, only blanks or comments)\n  allowed: a YAML deck with at least one section, "
                                "such as `time: {{t_end: 1}}`",
                                path));
  return parse(text.str(), path, overrides);
}

Deck Deck::parse(const std::string& text, const std::string& source, const std::vector<std::string>& overrides) {
  Deck deck;
  deck.source_ = source;
  deck.overrides_ = overrides;
  YAML::Node root = parse_yaml(text, source);
  for (const auto& o : overrides) deck.apply_override(root, o);
  deck.check_sections(root);
  for (const auto& section : deck_sections())
    if (section != "petsc") deck.read_section(section, root[section]);
  return deck;
}

void Deck::apply_override(YAML::Node& root, const std::string& o) {
  const auto eq = o.find('=');
  const auto dot = o.find('.');
  const DeckLocation at{"command line '" + o + "'", 0, 0};
  const std::string key = o.substr(0, eq);
  const std::string section = key.substr(0, std::min(dot, key.size()));
  if (eq == std::string::npos || (section != "petsc" && (dot == std::string::npos || dot > eq)))
    throw error(at, "an override is section.key=value", "e.g. model.tau=0.015 or time.t_end=2");
  if (!is_section(section))
    throw error(at, "unknown section '" + section + "'", fmt::format("{}", fmt::join(deck_sections(), ", ")),
                hint_for(section, deck_sections(), ""));
  if (section == "petsc" && key != "petsc") refuse_petsc_key(at, key.substr(dot + 1), o.substr(eq + 1));
  const YAML::Node value = parse_override_value(o.substr(eq + 1));
  if (section == "petsc") {
    root["petsc"] = value;
  } else {
    if (root[section] && !root[section].IsMap()) throw error(at, "section '" + section + "' is not a mapping");
    set_nested(root[section], key.substr(dot + 1), value, at);
  }
  locations_[key] = at;
}

void Deck::check_sections(const YAML::Node& root) {
  const std::vector<std::string> allowed = sections_in_a_deck();
  for (const auto& kv : root) {
    const std::string name = key_name(kv.first, location_from(source_, kv.first.Mark()));
    if (name == "sweep") continue;
    if (!is_section(name))
      throw error(location_from(source_, kv.first.Mark()), "unknown section '" + name + "'",
                  fmt::format("{}", fmt::join(allowed, ", ")), hint_for(name, allowed, ""));
    locations_.try_emplace(name, location_from(source_, kv.first.Mark()));
  }
  if (const YAML::Node p = root["petsc"]) {
    if (!p.IsScalar() && !p.IsNull())
      throw error(location_of("petsc"), fmt::format("petsc = {} is not a string of PETSc options", scalar_text(p)),
                  "a string, e.g. \"-ts_monitor -ts_rk_type 3bs\"");
    petsc_ = p.IsNull() ? "" : p.Scalar();
    check_petsc_text(location_of("petsc"), petsc_);
  }
}

bool Deck::overridden(const std::string& key) const {
  const auto it = locations_.find(key);
  return it != locations_.end() && it->second.line == 0;
}

DeckLocation Deck::key_location(const std::string& key, const YAML::Mark& mark) const {
  return overridden(key) ? locations_.at(key) : location_from(source_, mark);
}

// The selector (model.type, time.integrator, ...) decides the section's other keys.
std::string Deck::read_selector(const std::string& section, const YAML::Node& node, ParamValues& values) {
  const SectionSchema base = section_schema(section, "", type_of_or_default("model"));
  if (base.selector.empty()) return "";
  const ParamSpec& spec = base.keys.front();
  if (!node || !node.IsMap() || !node[base.selector]) return spec.default_choice;
  const std::string key = section + "." + base.selector;
  ValueReader(spec, key, node[base.selector], key_location(key, node[base.selector].Mark())).into(values);
  return values.choice(base.selector);
}

void Deck::read_section(const std::string& section, const YAML::Node& node) {
  if (node && !node.IsMap() && !node.IsNull())
    throw error(location_of(section),
                fmt::format("section '{}' is not a mapping of keys (got {})", section, scalar_text(node)),
                fmt::format("{}: {{key: value, ...}}", section));
  ParamValues values;
  const std::string selected = read_selector(section, node, values);
  types_[section] = selected;
  const SectionSchema schema = section_schema(section, selected, type_of_or_default("model"));
  if (node && node.IsMap()) {
    std::map<std::string, DeckLocation> seen;
    for (const auto& kv : node) read_key(schema, kv.first, kv.second, seen, values);
  }
  fill_defaults(schema, values);
  values_[section] = std::move(values);
}

void Deck::read_key(const SectionSchema& schema, const YAML::Node& name_node, const YAML::Node& value,
                    std::map<std::string, DeckLocation>& seen, ParamValues& values) {
  const std::string& section = schema.name;
  const std::string name = key_name(name_node, location_from(source_, name_node.Mark()));
  const std::string key = section + "." + name;
  const DeckLocation at = key_location(key, name_node.Mark());
  if (const auto [first, fresh] = seen.try_emplace(name, at); !fresh && at.line > 0)
    throw error(at, fmt::format("{} is given twice (first at line {})", key, first->second.line),
                "each key once per section");
  locations_.try_emplace(key, at);
  const ParamSpec* spec = nullptr;
  for (const auto& k : schema.keys)
    if (k.name == name) spec = &k;
  if (!spec) return unknown_key(schema, name, at);
  const DeckLocation value_at = at.line == 0 || value.IsNull() ? at : location_from(source_, value.Mark());
  if (spec->kind == Kind::mapping) return read_mapping(*spec, key, value, value_at, values);
  ValueReader(*spec, key, value, value_at).into(values);
}

// model.kernel: {type: exponential, sigma: 2}, or just the type (kernel: gaussian).
// Stored flattened: "kernel.type", "kernel.sigma".
void Deck::read_mapping(const ParamSpec& spec, const std::string& key, const YAML::Node& node, const DeckLocation& at,
                        ParamValues& values) {
  if (!node.IsMap() && !node.IsScalar())
    throw error(at, fmt::format("{} = {} is not a mapping", key, scalar_text(node)), allowed_text(spec));
  if (node.IsScalar() && !spec.number_type.empty() && is_number(node)) {
    // A plain number: {type: number_type, number_key: x}.
    YAML::Node full(YAML::NodeType::Map);
    full["type"] = spec.number_type;
    full[spec.number_key] = node;
    locations_.try_emplace(key + ".type", at);
    locations_.try_emplace(key + "." + spec.number_key, at);
    return read_mapping(spec, key, full, at, values);
  }
  // Below a mapping that an override set, marks count lines of the override's text, not
  // of the deck: keys and values there are located at the override.
  const auto located = [&](const YAML::Mark& mark) { return at.line == 0 ? at : location_from(source_, mark); };
  ParamSpec type_spec = choice_param(spec.name + ".type", spec.choices, spec.default_choice, spec.doc);
  const YAML::Node type_node = node.IsMap() ? node["type"] : node;
  const std::string type_key = key + ".type";
  if (type_node) {
    const DeckLocation type_at = overridden(type_key) ? locations_.at(type_key) : located(type_node.Mark());
    locations_.try_emplace(type_key, type_at);
    ValueReader(type_spec, type_key, type_node, type_at).into(values);
  } else {
    values.set(type_spec.name, spec.default_choice);
  }
  const std::string& type = values.choice(type_spec.name);
  const std::vector<ParamSpec> keys = spec.mapping_keys(type);
  std::vector<std::string> names = {"type"};
  for (const auto& k : keys) names.push_back(k.name);
  if (node.IsMap()) {
    for (const auto& kv : node) {
      const std::string name = key_name(kv.first, located(kv.first.Mark()));
      if (name == "type") continue;
      const std::string sub = key + "." + name;
      const DeckLocation sub_at = overridden(sub) ? locations_.at(sub) : located(kv.first.Mark());
      locations_.try_emplace(sub, sub_at);
      const auto k = std::find_if(keys.begin(), keys.end(), [&name](const ParamSpec& p) { return p.name == name; });
      if (k == keys.end())
        throw error(sub_at, fmt::format("unknown key {} (with {} {})", sub, type_key, type),
                    fmt::format("{}", fmt::join(names, ", ")), hint_for(name, names, key + "."));
      ParamSpec flat = *k;
      flat.name = spec.name + "." + k->name;
      const DeckLocation value_at =
          sub_at.line == 0 || kv.second.IsNull() ? sub_at : location_from(source_, kv.second.Mark());
      ValueReader(flat, sub, kv.second, value_at).into(values);
    }
  }
  ParamValues inner = defaults_of(keys);
  for (const auto& k : keys) {
    const std::string flat = spec.name + "." + k.name;
    if (values.has(flat)) continue;
    if (k.required) throw error(at, fmt::format("missing key {}.{} (with {} {})", key, k.name, type_key, type),
                                allowed_text(k));
    if (k.kind == Kind::choice || k.kind == Kind::text) values.set(flat, inner.choice(k.name));
    else if (!inner.has(k.name)) continue;
    else if (k.kind == Kind::real_list || k.kind == Kind::integer_list) values.set(flat, inner.reals(k.name));
    else values.set(flat, inner.real(k.name));
  }
}

void Deck::unknown_key(const SectionSchema& schema, const std::string& name, const DeckLocation& at) {
  const std::string& section = schema.name;
  const std::string key = section + "." + name;
  const std::string selected = type_of_or_default(section);
  if (!schema.selector.empty() && overridden(section + "." + schema.selector) && at.line > 0) {
    // The command line changed the selector: keys of the file's choice that the new
    // one lacks are dropped, and said so.
    notes_.push_back(fmt::format("{}: note: {} ignored: not a key of {}.{} {} (set on the command line)", at.str(),
                                 key, section, schema.selector, selected));
    return;
  }
  std::vector<std::string> names;
  for (const auto& k : schema.keys) names.push_back(k.name);
  const std::string context =
      schema.selector.empty() ? "" : fmt::format(" (with {}.{} {})", section, schema.selector, selected);
  std::string hint = hint_for(name, names, section + ".");
  if (hint.empty()) hint = other_choices_with_key(schema, name, type_of_or_default("model"));
  throw error(at, fmt::format("unknown key {}{}", key, context), fmt::format("{}", fmt::join(names, ", ")), hint);
}

void Deck::fill_defaults(const SectionSchema& schema, ParamValues& values) {
  const ParamValues defaults = defaults_of(schema.keys);
  for (const auto& k : schema.keys) {
    if (values.has(k.kind == Kind::mapping ? k.name + ".type" : k.name)) continue;
    if (k.required)
      throw error(location_of(schema.name), fmt::format("missing key {}.{}", schema.name, k.name), allowed_text(k));
    if (k.optional) continue;  // absent unless given
    if (!k.default_from.empty())
      values.set(k.name, values.real(k.default_from));
    else if (k.kind == Kind::mapping)
      read_mapping(k, schema.name + "." + k.name, YAML::Node(k.default_choice),
                                            location_of(schema.name), values);
    else if (k.kind == Kind::real_list || k.kind == Kind::integer_list)
      values.set(k.name, defaults.reals(k.name));
    else if (k.kind == Kind::choice_list)
      values.set(k.name, defaults.choices(k.name));
    else if (k.kind == Kind::choice || k.kind == Kind::text)
      values.set(k.name, defaults.choice(k.name));
    else if (defaults.has(k.name))
      values.set(k.name, defaults.real(k.name));
  }
}

const std::string& Deck::type_of_or_default(const std::string& section) const {
  static const std::string none;
  const auto it = types_.find(section);
  return it == types_.end() ? none : it->second;
}

const ParamValues& Deck::section(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) throw std::out_of_range("no deck section '" + name + "'");
  return it->second;
}

const std::string& Deck::type_of(const std::string& section) const {
  const auto it = types_.find(section);
  if (it == types_.end()) throw std::out_of_range("deck section '" + section + "' has no type");
  return it->second;
}

DeckLocation Deck::location_of(const std::string& dotted_key) const {
  if (const auto it = locations_.find(dotted_key); it != locations_.end()) return it->second;
  const auto dot = dotted_key.find('.');
  if (dot != std::string::npos) {
    if (const auto it = locations_.find(dotted_key.substr(0, dot)); it != locations_.end()) return it->second;
  }
  return {source_, 0, 0};
}

DeckError Deck::error_at(const std::string& dotted_key, const std::string& message, const std::string& allowed) const {
  const bool names_key = message.rfind(dotted_key, 0) == 0;
  return error(location_of(dotted_key), names_key ? message : dotted_key + ": " + message, allowed);
}

ParamValues& Deck::resolved_section(const std::string& dotted_key, std::string& name) {
  const auto dot = dotted_key.find('.');
  const std::string section = dotted_key.substr(0, dot);
  name = dot == std::string::npos ? "" : dotted_key.substr(dot + 1);
  const auto it = values_.find(section);
  bool known = false;
  if (it != values_.end())
    for (const auto& k : section_schema(section, types_.at(section), type_of_or_default("model")).keys)
      known = known || k.name == name;
  if (!known) throw std::out_of_range("no deck key '" + dotted_key + "' to resolve");
  resolved_.push_back(dotted_key);
  return it->second;
}

void Deck::resolve(const std::string& dotted_key, double value) {
  std::string name;
  resolved_section(dotted_key, name).set(name, value);
}

void Deck::resolve(const std::string& dotted_key, const std::string& value) {
  std::string name;
  resolved_section(dotted_key, name).set(name, value);
}

void Deck::resolve(const std::string& dotted_key, const IndexLists& value) {
  std::string name;
  resolved_section(dotted_key, name).set(name, value);
}

void Deck::emit_mapping(YAML::Emitter& e, const ParamSpec& spec, const ParamValues& v) {
  e << YAML::BeginMap << YAML::Key << "type" << YAML::Value << v.choice("type");
  for (const auto& k : spec.mapping_keys(v.choice("type"))) {
    if (!v.has(k.name)) continue;
    e << YAML::Key << k.name << YAML::Value;
    if (k.kind == Kind::choice || k.kind == Kind::text) e << v.choice(k.name);
    else if (k.kind == Kind::boolean) e << v.flag(k.name);
    else if (k.kind == Kind::real_list || k.kind == Kind::integer_list) emit_numbers(e, v.reals(k.name));
    else e << yaml_number(v.real(k.name));
    if (!k.unit.empty() && k.unit != "1") e << YAML::Comment(k.unit);
  }
  e << YAML::EndMap;
}

std::string Deck::effective_yaml() const {
  YAML::Emitter e;
  e << YAML::Comment(fmt::format("effective deck of {}{}", source_,
                                 overrides_.empty() ? "" : fmt::format(", with {}", fmt::join(overrides_, " "))));
  e << YAML::BeginMap;
  for (const auto& section : deck_sections()) {
    if (section == "petsc") {
      e << YAML::Key << "petsc" << YAML::Value << YAML::DoubleQuoted << petsc_;
      continue;
    }
    const ParamValues& v = values_.at(section);
    e << YAML::Key << section << YAML::Value << YAML::BeginMap;
    for (const auto& k : section_schema(section, types_.at(section), type_of_or_default("model")).keys) {
      if (!v.has(k.kind == Kind::mapping ? k.name + ".type" : k.name)) continue;
      e << YAML::Key << k.name << YAML::Value;
      switch (k.kind) {
        case Kind::real: e << yaml_number(v.real(k.name)); break;
        case Kind::integer: e << v.integer(k.name); break;
        case Kind::boolean: e << v.flag(k.name); break;
        case Kind::choice:
        case Kind::text: e << v.choice(k.name); break;
        case Kind::index_lists: {
          e << YAML::Flow << YAML::BeginSeq;
          for (const auto& cell : v.lists(k.name)) e << cell;
          e << YAML::EndSeq;
          break;
        }
        case Kind::real_list:
        case Kind::integer_list: emit_numbers(e, v.reals(k.name)); break;
        case Kind::choice_list: e << YAML::Flow << v.choices(k.name); break;
        case Kind::mapping: emit_mapping(e, k, v.nested(k.name)); break;
      }
      const bool chosen = std::find(resolved_.begin(), resolved_.end(), section + "." + k.name) != resolved_.end();
      const std::string unit = !k.unit.empty() && k.unit != "1" ? k.unit : "";
      if (chosen) e << YAML::Comment(unit.empty() ? "default chosen by the run" : unit + ", default chosen by the run");
      else if (!unit.empty()) e << YAML::Comment(unit);
    }
    e << YAML::EndMap;
  }
  e << YAML::EndMap;
  return std::string(e.c_str()) + "\n";
}

}  // namespace nf
