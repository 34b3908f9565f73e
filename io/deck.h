#pragma once
// The input deck: YAML with a strict schema (io/deck_schema.h). Every error names the
// file, line and column, the key, the bad value, what is allowed and, for a misspelt
// name, the nearest allowed one. Command-line overrides (`model.tau=0.015`) go
// through the same checks.
#include <yaml-cpp/yaml.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/deck_schema.h"
#include "base/parameters.h"

namespace nf {

class DeckError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DeckLocation {
  std::string source;   // file name, or the override text
  int line = 0;         // 1-based; 0 for a command-line override
  int column = 0;
  std::string str() const;
};

class Deck {
 public:
  // Parses and validates `text`, read from `source` (a path, shown in errors), after
  // applying `overrides` of the form section.key=value. Throws DeckError.
  static Deck parse(const std::string& text, const std::string& source, const std::vector<std::string>& overrides);
  static Deck load(const std::string& path, const std::vector<std::string>& overrides);

  // The validated values of a section, defaults filled in.
  const ParamValues& section(const std::string& name) const;
  // The value of a section's selector (model.type, input.type, time.integrator, ...).
  const std::string& type_of(const std::string& section) const;
  const std::vector<std::string>& overrides() const { return overrides_; }
  // Remarks that are not errors (keys dropped because an override changed a type).
  const std::vector<std::string>& notes() const { return notes_; }
  const std::string& petsc_options() const { return petsc_; }
  const std::string& source() const { return source_; }
  // Where a key was set (or its section, or the file) for errors found later.
  DeckLocation location_of(const std::string& dotted_key) const;
  // An error at a key, formatted like the parse errors.
  DeckError error_at(const std::string& dotted_key, const std::string& message, const std::string& allowed) const;
  // The effective deck, every key with its value, as YAML text.
  std::string effective_yaml() const;

  // Records the value a run chose for a key the deck left to a run-time default
  // (output.dir, output.probes, analysis.t_start), so that effective_yaml() shows what
  // was used. The key must be in the section's schema; throws std::out_of_range if not.
  void resolve(const std::string& dotted_key, double value);
  void resolve(const std::string& dotted_key, const std::string& value);
  void resolve(const std::string& dotted_key, const IndexLists& value);

 private:
  void apply_override(YAML::Node& root, const std::string& override_text);
  void check_sections(const YAML::Node& root);
  std::string read_selector(const std::string& section, const YAML::Node& node, ParamValues& values);
  void read_section(const std::string& section, const YAML::Node& node);
  void read_key(const SectionSchema& schema, const YAML::Node& name, const YAML::Node& value,
                std::map<std::string, DeckLocation>& seen, ParamValues& values);
  void read_mapping(const ParamSpec& spec, const std::string& key, const YAML::Node& node, const DeckLocation& at,
                    ParamValues& values);
  static void emit_mapping(YAML::Emitter& e, const ParamSpec& spec, const ParamValues& values);
  void unknown_key(const SectionSchema& schema, const std::string& name, const DeckLocation& at);
  void fill_defaults(const SectionSchema& schema, ParamValues& values);
  bool overridden(const std::string& key) const;
  DeckLocation key_location(const std::string& key, const YAML::Mark& mark) const;
  const std::string& type_of_or_default(const std::string& section) const;
  ParamValues& resolved_section(const std::string& dotted_key, std::string& name);
  std::string source_;
  std::map<std::string, ParamValues> values_;
  std::map<std::string, std::string> types_;
  std::map<std::string, DeckLocation> locations_;
  std::string petsc_;
  std::vector<std::string> overrides_;
  std::vector<std::string> notes_;
  std::vector<std::string> resolved_;  // dotted keys set by resolve()
};

}  // namespace nf
