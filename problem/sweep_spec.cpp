#include "problem/sweep_spec.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "base/did_you_mean.h"
#include "io/deck_schema.h"

namespace nf {
namespace {

const std::vector<std::string> kSweepKeys = {"command",        "parameters", "combine", "points", "seed",
                                             "ranks_per_point", "metrics",    "keep_output_every"};
const std::vector<std::string> kCombinations = {"product", "zip", "latin_hypercube"};

DeckLocation located(const std::string& source, const YAML::Mark& m) {
  if (m.is_null()) return {source, 0, 0};
  return {source, m.line + 1, m.column + 1};
}

DeckError error(const DeckLocation& at, const std::string& what, const std::string& allowed,
                const std::string& hint = "") {
  std::string msg = fmt::format("{}: error: {}", at.str(), what);
  if (!allowed.empty()) msg += "\n  allowed: " + allowed;
  if (!hint.empty()) msg += "\n  " + hint;
  return DeckError(msg);
}

std::string text_of(const YAML::Node& v) {
  if (!v || v.IsNull()) return "(nothing)";
  if (v.IsScalar()) return v.Scalar();
  YAML::Emitter e;
  e << YAML::Flow << v;
  return e.c_str();
}

std::string hint_for(const std::string& word, const std::vector<std::string>& names, const std::string& prefix) {
  const std::string near = nearest_name(word, names);
  return near.empty() ? "" : fmt::format("did you mean '{}{}'?", prefix, near);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw DeckError(fmt::format("{}: error: cannot read the deck", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The deck's text with the lines of its top-level `sweep:` entry blanked: the rest
// parses as an ordinary deck whose errors still point at the file's own lines.
std::string blank_section(const std::string& text, const YAML::Node& root, const YAML::Node& sweep_key) {
  const int first = sweep_key.Mark().line;
  int end = std::numeric_limits<int>::max();
  for (const auto& kv : root)
    if (const int line = kv.first.Mark().line; line > first) end = std::min(end, line);
  std::istringstream in(text);
  std::string out, line;
  for (int i = 0; std::getline(in, line); ++i) out += (i >= first && i < end ? "" : line) + "\n";
  return out;
}

// The spec's one reader: each value at its location, converted and checked.
class SectionReader {
 public:
  SectionReader(SweepSpec& spec, const YAML::Node& section) : s_(spec), node_(section) {}

  void read() {
    for (const auto& kv : node_) {
      const std::string name = kv.first.IsScalar() ? kv.first.Scalar() : text_of(kv.first);
      const DeckLocation at = located(s_.deck_path, kv.first.Mark());
      if (std::find(kSweepKeys.begin(), kSweepKeys.end(), name) == kSweepKeys.end())
        throw error(at, "unknown key sweep." + name, fmt::format("{}", fmt::join(kSweepKeys, ", ")),
                    hint_for(name, kSweepKeys, "sweep."));
      s_.locations["sweep." + name] = at;
    }
    s_.command = choice("command", {"run"}, "run",
                        "run (the deck's run at each point; stability, a later command, does not exist yet)");
    s_.combine = choice("combine", kCombinations, "product", "");
    s_.ranks_per_point = static_cast<int>(integer("ranks_per_point", 1, 1));
    s_.keep_output_every = static_cast<int>(integer("keep_output_every", 0, 0));
    read_metrics();
    read_parameters();
  }

 private:
  DeckLocation at(const std::string& key, const YAML::Node& v) const {
    return v && !v.Mark().is_null() ? located(s_.deck_path, v.Mark()) : s_.locations.at("sweep." + key);
  }
  std::string choice(const std::string& key, const std::vector<std::string>& allowed, const std::string& fallback,
                     const std::string& allowed_text) {
    const YAML::Node v = node_[key];
    if (!v) return fallback;
    const std::string c = v.IsScalar() ? v.Scalar() : "";
    if (std::find(allowed.begin(), allowed.end(), c) == allowed.end())
      throw error(at(key, v), fmt::format("sweep.{} = {} is not one of the allowed values", key, text_of(v)),
                  allowed_text.empty() ? fmt::format("{}", fmt::join(allowed, ", ")) : allowed_text,
                  hint_for(c, allowed, ""));
    return c;
  }
  double number(const std::string& key, const YAML::Node& v, const std::string& allowed) const {
    double x = 0;
    if (!v || !v.IsScalar() || !YAML::convert<double>::decode(v, x) || !std::isfinite(x))
      throw error(at(key, v), fmt::format("sweep.{} has {}, not a number", key, text_of(v)), allowed);
    return x;
  }
  double integer(const std::string& key, double fallback, double min) const {
    const YAML::Node v = node_[key];
    if (!v) return fallback;
    const std::string allowed = fmt::format("an integer >= {:g}", min);
    const double x = number(key, v, allowed);
    if (x != std::floor(x) || x < min)
      throw error(at(key, v), fmt::format("sweep.{} = {} is out of range", key, text_of(v)), allowed);
    return x;
  }
  void read_metrics() {
    const YAML::Node v = node_["metrics"];
    const auto& names = sweep_metric_names();
    const std::string allowed = fmt::format("a list of summary.json names: {}", fmt::join(names, ", "));
    if (!v) {
      s_.metrics = {"frequency_hz", "growth_rate_per_s"};
      return;
    }
    if (!v.IsSequence() || v.size() == 0)
      throw error(at("metrics", v), fmt::format("sweep.metrics = {} is not a list of metrics", text_of(v)), allowed);
    for (const auto& m : v) {
      const std::string name = m.IsScalar() ? m.Scalar() : text_of(m);
      if (std::find(names.begin(), names.end(), name) == names.end())
        throw error(located(s_.deck_path, m.Mark()), "unknown metric " + name + " in sweep.metrics", allowed,
                    name == "wall_seconds" ? "every row has wall_seconds (the point's own wall time) already"
                                           : hint_for(name, names, ""));
      if (std::find(s_.metrics.begin(), s_.metrics.end(), name) != s_.metrics.end())
        throw error(located(s_.deck_path, m.Mark()), "metric " + name + " is listed twice in sweep.metrics",
                    "each metric once");
      s_.metrics.push_back(name);
    }
  }

  // [a, b, ...], {linspace: [start, stop, count]}, {logspace: [...]}, {range: [lo, hi]},
  // {log_range: [lo, hi]}.
  void read_parameter(const std::string& key, const YAML::Node& v, SweepParameter& p) {
    const std::string what = "sweep.parameters." + key;
    const std::string allowed =
        s_.combine == "latin_hypercube"
            ? "{range: [lo, hi]} or {log_range: [lo, hi]} (lo < hi; log_range: lo > 0) with combine: latin_hypercube"
            : "a list of values [a, b, ...], {linspace: [start, stop, count]} or {logspace: [start, stop, count]} "
              "(start, stop > 0; count >= 1)";
    const DeckLocation here = located(s_.deck_path, v.Mark());
    if (v.IsSequence()) {
      if (s_.combine == "latin_hypercube") throw error(here, what + " is a list; a Latin hypercube needs ranges", allowed);
      if (v.size() == 0) throw error(here, what + " = [] is an empty list: the sweep would have no point", allowed);
      for (const auto& item : v) {
        if (!item.IsScalar()) throw error(located(s_.deck_path, item.Mark()), what + " has " + text_of(item) +
                                                                                  ", not a single value", allowed);
        p.values.push_back(item.Scalar());
      }
      return;
    }
    if (!v.IsMap() || v.size() != 1)
      throw error(here, fmt::format("{} = {} is not a list or a range", what, text_of(v)), allowed);
    const std::string form = v.begin()->first.Scalar();
    const YAML::Node args = v.begin()->second;
    const std::vector<std::string> forms =
        s_.combine == "latin_hypercube" ? std::vector<std::string>{"range", "log_range"}
                                        : std::vector<std::string>{"linspace", "logspace"};
    if (std::find(forms.begin(), forms.end(), form) == forms.end())
      throw error(here, fmt::format("{} = {} is not a range of combine: {}", what, text_of(v), s_.combine), allowed,
                  hint_for(form, forms, ""));
    const bool lhs = s_.combine == "latin_hypercube";
    if (!args.IsSequence() || args.size() != (lhs ? 2u : 3u))
      throw error(here, fmt::format("{} = {} needs {} numbers", what, text_of(v), lhs ? 2 : 3), allowed);
    std::vector<double> x;
    for (const auto& a : args) {
      double d = 0;
      if (!a.IsScalar() || !YAML::convert<double>::decode(a, d) || !std::isfinite(d))
        throw error(located(s_.deck_path, a.Mark()), fmt::format("{} has {}, not a number", what, text_of(a)),
                    allowed);
      x.push_back(d);
    }
    const bool log = form == "logspace" || form == "log_range";
    if (log && (x[0] <= 0 || x[1] <= 0))
      throw error(here, fmt::format("{} = {} has an end <= 0 on a log scale", what, text_of(v)), allowed);
    if (lhs) {
      if (!(x[0] < x[1]))
        throw error(here, fmt::format("{} = {} is an empty range (lo >= hi)", what, text_of(v)), allowed);
      p.lo = x[0];
      p.hi = x[1];
      p.log_range = log;
      return;
    }
    if (x[2] != std::floor(x[2]) || x[2] < 1)
      throw error(here,
                  fmt::format("{} = {} is an empty range: count {} is not an integer >= 1", what, text_of(v),
                              text_of(args[2])),
                  allowed);
    const int n = static_cast<int>(x[2]);
    for (int i = 0; i < n; ++i) {
      const double f = n == 1 ? 0.0 : static_cast<double>(i) / (n - 1);
      const double value = i == n - 1 && n > 1 ? x[1] : log ? x[0] * std::pow(x[1] / x[0], f) : x[0] + (x[1] - x[0]) * f;
      p.values.push_back(fmt::format("{}", value));
    }
  }

  void read_parameters() {
    const YAML::Node v = node_["parameters"];
    if (!v || !v.IsMap() || v.size() == 0)
      throw error(v ? at("parameters", v) : located(s_.deck_path, node_.Mark()),
                  "sweep.parameters is missing or empty: a sweep varies at least one deck key",
                  "a mapping of deck keys to values, e.g. parameters: {model.tau: [0.015, 0.017]}");
    for (const auto& kv : v) {
      SweepParameter p;
      p.key = kv.first.Scalar();
      p.at = located(s_.deck_path, kv.first.Mark());
      read_parameter(p.key, kv.second, p);
      s_.parameters.push_back(std::move(p));
    }
    if (s_.combine == "latin_hypercube") {
      s_.locations.try_emplace("sweep.points", located(s_.deck_path, node_.Mark()));
      const double n = integer("points", 0, 1);
      if (n == 0)
        throw error(s_.locations.at("sweep.points"), "sweep.points is missing: a Latin hypercube has N points",
                    "sweep.points: an integer >= 1");
      latin_hypercube(static_cast<std::size_t>(n), static_cast<std::uint64_t>(integer("seed", 1, 0)));
    } else {
      if (node_["points"] || node_["seed"])
        throw error(s_.locations.at(node_["points"] ? "sweep.points" : "sweep.seed"),
                    "sweep.points and sweep.seed belong to combine: latin_hypercube", "no points or seed with " +
                                                                                        s_.combine);
      s_.combine == "zip" ? zip() : product();
    }
  }

  void product() {
    std::size_t total = 1;
    for (const auto& p : s_.parameters) total *= p.values.size();
    for (std::size_t i = 0; i < total; ++i) {
      std::vector<std::string> point(s_.parameters.size());
      std::size_t rest = i;  // the last parameter varies fastest
      for (std::size_t k = s_.parameters.size(); k-- > 0;) {
        point[k] = s_.parameters[k].values[rest % s_.parameters[k].values.size()];
        rest /= s_.parameters[k].values.size();
      }
      s_.points.push_back(std::move(point));
    }
  }

  void zip() {
    const std::size_t n = s_.parameters.front().values.size();
    for (const auto& p : s_.parameters)
      if (p.values.size() != n)
        throw error(p.at,
                    fmt::format("sweep.parameters.{} has {} values, {} has {}: combine: zip pairs them one to one",
                                p.key, p.values.size(), s_.parameters.front().key, n),
                    "the same number of values for every parameter, or combine: product");
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<std::string> point;
      for (const auto& p : s_.parameters) point.push_back(p.values[i]);
      s_.points.push_back(std::move(point));
    }
  }

  // N points, one in each of the N equal slices of every parameter's range, the slices
  // paired by a seeded shuffle per parameter (splitmix64: the same points on any machine).
  void latin_hypercube(std::size_t n, std::uint64_t seed) {
    std::uint64_t state = seed;
    const auto next = [&state] {
      std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      return z ^ (z >> 31);
    };
    const auto uniform = [&] { return static_cast<double>(next() >> 11) * 0x1.0p-53; };
    s_.points.assign(n, std::vector<std::string>(s_.parameters.size()));
    for (std::size_t k = 0; k < s_.parameters.size(); ++k) {
      std::vector<std::size_t> slice(n);
      for (std::size_t i = 0; i < n; ++i) slice[i] = i;
      for (std::size_t i = n; i > 1; --i) std::swap(slice[i - 1], slice[next() % i]);
      const SweepParameter& p = s_.parameters[k];
      for (std::size_t i = 0; i < n; ++i) {
        const double f = (static_cast<double>(slice[i]) + uniform()) / static_cast<double>(n);
        const double value = p.log_range ? p.lo * std::pow(p.hi / p.lo, f) : p.lo + (p.hi - p.lo) * f;
        s_.points[i][k] = fmt::format("{}", value);
      }
    }
  }

  SweepSpec& s_;
  const YAML::Node& node_;
};

std::string canonical_text(const SweepSpec& s) {
  std::string text = fmt::format("command {}\ncombine {}\nmetrics {}\n", s.command, s.combine, fmt::join(s.metrics, ","));
  for (const auto& p : s.parameters) text += "parameter " + p.key + "\n";
  for (const auto& point : s.points) text += fmt::format("point {}\n", fmt::join(point, ","));
  return text;
}

std::uint64_t fnv1a(const std::string& text, std::uint64_t h = 0xcbf29ce484222325ULL) {
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

}  // namespace

DeckError SweepSpec::error_at(const std::string& key, const std::string& what, const std::string& allowed,
                              const std::string& hint) const {
  const auto it = locations.find(key);
  return error(it != locations.end() ? it->second : DeckLocation{deck_path, 0, 0}, what, allowed, hint);
}

std::vector<std::string> SweepSpec::point_overrides(std::size_t point) const {
  std::vector<std::string> out;
  for (std::size_t k = 0; k < parameters.size(); ++k) out.push_back(parameters[k].key + "=" + points[point][k]);
  return out;
}

const std::vector<std::string>& sweep_metric_names() {
  static const std::vector<std::string> names = {
      "frequency_hz",          "growth_rate_per_s",        "phase_lag_deg_per_layer",
      "frequency_uncertainty_hz", "growth_uncertainty_per_s", "mode_found",
      "fw_bw_log_ratio",       "steps",                    "t_end",
      "front_speed",           "radial_front_speed",       "bump_width",
      "bump_width_rate",       "predicted.frequency_hz",   "predicted.growth_rate_per_s",
      "predicted.front_speed", "comparison.agrees",        "comparison.frequency_tolerance_hz",
      "comparison.growth_tolerance_per_s"};
  return names;
}

SweepSpec read_sweep_spec(const std::string& deck_path) {
  SweepSpec spec;
  spec.deck_path = deck_path;
  const std::string text = read_file(deck_path);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw error(located(deck_path, e.mark), "the deck is not valid YAML: " + e.msg, "");
  }
  YAML::Node key_node;
  bool found = false;
  if (root.IsMap())
    for (const auto& kv : root)
      if (kv.first.IsScalar() && kv.first.Scalar() == "sweep") {
        key_node = kv.first;
        found = true;
      }
  const YAML::Node section = found ? root["sweep"] : YAML::Node();
  if (!found || !section.IsMap())
    throw error(found ? located(deck_path, key_node.Mark()) : DeckLocation{deck_path, 0, 0},
                found ? "sweep is not a mapping of keys" : "the deck has no sweep: section",
                "sweep: {parameters: {model.tau: [0.015, 0.017]}, ...} (docs/sweeps.md)");
  spec.locations["sweep"] = located(deck_path, key_node.Mark());
  spec.base_text = blank_section(text, root, key_node);
  SectionReader(spec, section).read();
  spec.canonical = canonical_text(spec);
  return spec;
}

void check_sweep_against_deck(const SweepSpec& spec, const Deck& base, const std::vector<std::string>& overrides,
                              int world_size) {
  for (const auto& p : spec.parameters) {
    const auto dot = p.key.find('.');
    const std::string section = p.key.substr(0, dot);
    const std::vector<std::string>& sections = deck_sections();
    std::vector<std::string> with_keys;
    for (const auto& s : sections)
      if (s != "petsc") with_keys.push_back(s);
    if (dot == std::string::npos || std::find(with_keys.begin(), with_keys.end(), section) == with_keys.end())
      throw error(p.at, fmt::format("sweep.parameters: {} is not a deck key (section.key)", p.key),
                  fmt::format("a key of {}", fmt::join(with_keys, ", ")), hint_for(section, with_keys, ""));
    const std::string name = p.key.substr(dot + 1);
    const SectionSchema schema = section_schema(section, base.type_of(section), base.type_of("model"));
    std::vector<std::string> names;
    for (const auto& k : schema.keys) names.push_back(k.name);
    const std::string head = name.substr(0, name.find('.'));
    const std::string context =
        schema.selector.empty() ? "" : fmt::format(" (with {}.{} {})", section, schema.selector, base.type_of(section));
    if (std::find(names.begin(), names.end(), head) == names.end())
      throw error(p.at, fmt::format("sweep.parameters: unknown parameter {}{}", p.key, context),
                  fmt::format("{}", fmt::join(names, ", ")), hint_for(name, names, section + "."));
    if (p.key == "output.dir")
      throw error(p.at, "sweep.parameters: output.dir is not a parameter: each point's folder is the sweep's",
                  "a key of the physics, the time integration or the analysis");
    for (const auto& o : overrides)
      if (o.rfind(p.key + "=", 0) == 0)
        throw error(p.at, fmt::format("{} is swept, and the command line also sets it ({})", p.key, o),
                    "an override of a key that is not swept");
  }
  if (world_size % spec.ranks_per_point != 0)
    throw spec.error_at("sweep.ranks_per_point",
                        fmt::format("sweep.ranks_per_point = {} does not divide the {} rank{} of this run",
                                    spec.ranks_per_point, world_size, world_size > 1 ? "s" : ""),
                        fmt::format("a divisor of {} (the number of MPI ranks)", world_size));
}

std::string sweep_hash(const SweepSpec& spec, const Deck& base) {
  // The effective deck's comment lines name the deck file and the command line, and
  // output.dir is where the table is, not what runs: the hash is of the runs alone.
  std::istringstream in(base.effective_yaml());
  std::string effective, line, section;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ' && line[0] != '#') section = line;
    if (line.rfind('#', 0) == 0 || (section == "output:" && line.rfind("  dir:", 0) == 0)) continue;
    effective += line + "\n";
  }
  return fmt::format("{:016x}", fnv1a(spec.canonical, fnv1a(effective)));
}

}  // namespace nf
