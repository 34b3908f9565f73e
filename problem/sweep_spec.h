#pragma once
// The deck's `sweep:` section: which keys vary, over which values, how they combine
// into points, how many ranks each point runs on, what each point records. The rest
// of the deck (the base) is an ordinary deck; a point is that deck with the user's
// overrides and the point's `key=value` overrides, run exactly as `neurofield run`
// would run it.
//
//   sweep:
//     command: run                 # the only command so far
//     parameters:                  # deck keys, each a list or a range
//       model.delay: [0.010, 0.012, 0.014]
//       model.tau: {linspace: [0.012, 0.024, 4]}   # start, stop, count
//       model.tau_d: {logspace: [0.1, 1.0, 3]}     # start, stop (values), count
//     combine: product             # product | zip | latin_hypercube
//     points: 16                   # latin_hypercube: {range: [lo, hi]} or {log_range: [lo, hi]}
//     seed: 1                      # latin_hypercube
//     ranks_per_point: 1
//     metrics: [frequency_hz, growth_rate_per_s]
//     keep_output_every: 0         # 0: no point keeps its folder; k: points 0, k, 2k, ...
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "io/deck.h"

namespace nf {

struct SweepParameter {
  std::string key;                  // as written in the deck, e.g. model.tau
  std::vector<std::string> values;  // override text per value (product, zip)
  double lo = 0, hi = 0;            // latin_hypercube range
  bool log_range = false;
  DeckLocation at;
};

struct SweepSpec {
  std::string deck_path;
  std::string base_text;  // the deck with its sweep section blanked (line numbers kept)
  std::string command = "run";
  std::string combine = "product";
  std::vector<SweepParameter> parameters;
  std::vector<std::vector<std::string>> points;  // [point][parameter]: override values
  int ranks_per_point = 1;
  std::vector<std::string> metrics;  // summary.json names; a dot goes one level down
  int keep_output_every = 0;
  std::string canonical;  // the section as read, in a fixed form (part of the sweep's hash)
  std::map<std::string, DeckLocation> locations;  // "sweep.<key>"

  // An error at sweep.<key>, formatted like the deck's own errors.
  DeckError error_at(const std::string& key, const std::string& what, const std::string& allowed,
                     const std::string& hint = "") const;
  // The point's `key=value` overrides, one per parameter.
  std::vector<std::string> point_overrides(std::size_t point) const;
};

// Reads the deck file and its sweep section; generates the points. Throws DeckError
// with file:line for a missing or malformed section, an empty range, a zip of unequal
// lengths, an unknown metric.
SweepSpec read_sweep_spec(const std::string& deck_path);

// Checks the spec against the base deck (the deck with the user's overrides): every
// swept key is a key of the deck's schema and is not also overridden; ranks_per_point
// divides world_size. Throws DeckError at the sweep key.
void check_sweep_against_deck(const SweepSpec& spec, const Deck& base, const std::vector<std::string>& overrides,
                              int world_size);

// The sweep's identity: FNV-1a of the effective base deck (every key, the overrides
// applied) and the canonical sweep section, as 16 hex digits. A rerun continues a
// table only under the same hash.
std::string sweep_hash(const SweepSpec& spec, const Deck& base);

// The summary.json names a sweep may collect (numbers, true/false, null).
const std::vector<std::string>& sweep_metric_names();

}  // namespace nf
