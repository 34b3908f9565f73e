#include "problem/run_checkpoints.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <map>
#include <sstream>

#include "io/atomic_file.h"

namespace nf {
namespace {

namespace fs = std::filesystem;

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

void flatten(const YAML::Node& node, const std::string& prefix, std::map<std::string, std::string>& out) {
  if (node.IsMap()) {
    for (const auto& kv : node) flatten(kv.second, prefix.empty() ? kv.first.as<std::string>() : prefix + "." + kv.first.as<std::string>(), out);
    return;
  }
  YAML::Emitter e;
  e << YAML::Flow << node;
  out[prefix] = e.c_str();
}

std::map<std::string, std::string> flat_deck(const std::string& yaml) {
  std::map<std::string, std::string> out;
  flatten(YAML::Load(yaml), "", out);
  return out;
}

bool may_change(const std::string& key) { return key == "time.t_end" || key.rfind("output.", 0) == 0; }

double one_value(CheckpointFileReader& file, const std::string& name) {
  const std::vector<double> v = file.values(name);
  if (v.size() != 1) throw std::runtime_error(fmt::format("the checkpoint {} is damaged at {}", file.path().string(), name));
  return v[0];
}

}  // namespace

RunCheckpointer::RunCheckpointer(MPI_Comm comm, fs::path dir, std::span<StepObserver* const> observers,
                                 std::string deck_yaml, std::string used_yaml)
    : comm_(comm), dir_(std::move(dir)), observers_(observers), deck_yaml_(std::move(deck_yaml)),
      used_yaml_(std::move(used_yaml)) {}

void RunCheckpointer::take(double t, PetscInt step, const std::function<void(CheckpointOut&)>& engine) {
  const auto start = std::chrono::steady_clock::now();
  CheckpointFileWriter out(comm_, file());
  engine(out);
  for (StepObserver* o : observers_) {
    const std::string name = o->checkpoint_name();
    if (name.empty()) continue;
    ObserverState state;
    o->save(state);
    std::vector<std::string> keys;
    for (const auto& [key, values] : state.values) {
      out.values("observers/" + name + "/" + key, values);
      keys.push_back(key);
    }
    out.text("observer_keys_" + name, join_lines(keys));
  }
  out.text("deck", deck_yaml_);
  out.text("deck_used", used_yaml_);
  const double run[2] = {t, static_cast<double>(step)};
  out.values("run/t", std::span(run, 1));
  out.values("run/step", std::span(run + 1, 1));
  // Every rank's files (VTK pieces, HDF5 rows) reach the disk before the checkpoint
  // that describes them is committed.
  std::string failure;
  try {
    make_durable(dir_);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  agree_or_throw(comm_, failure.empty(), failure.empty() ? "flushing " + dir_.string() : failure);
  out.commit();
  last_time_ = t;
  ++taken_;
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::error_code ec;
  last_bytes_ = static_cast<double>(fs::file_size(file(), ec));
}

std::string RunCheckpointer::describe() const {
  if (taken_ == 0) return "";
  return fmt::format("checkpoints {} (the last at t = {:.9g} s, {:.3g} MiB), {:.3g} s of wall time in all", taken_,
                     *last_time_, last_bytes_ / (1 << 20), seconds_);
}

std::vector<std::string> changed_deck_keys(const std::string& before, const std::string& used_before,
                                           const std::string& now) {
  const auto a = flat_deck(before), used = flat_deck(used_before), b = flat_deck(now);
  std::map<std::string, bool> keys;
  for (const auto& kv : a) keys[kv.first] = true;
  for (const auto& kv : b) keys[kv.first] = true;
  std::vector<std::string> changed;
  const auto text = [](const std::map<std::string, std::string>& m, const std::string& k) {
    const auto it = m.find(k);
    return it == m.end() ? std::string("(not set)") : it->second;
  };
  for (const auto& [key, _] : keys) {
    if (may_change(key)) continue;
    const std::string was = text(a, key), is = text(b, key);
    const bool chosen_by_run = b.count(key) && used.count(key) && used.at(key) == is;
    if (was == is || chosen_by_run) continue;
    changed.push_back(fmt::format("{} (was {}, now {})", key, was, is));
  }
  return changed;
}

Restart open_restart(const Deck& deck, MPI_Comm comm, const fs::path& dir) {
  const fs::path path = dir / "checkpoint.h5";
  Restart r;
  try {
    r.file = std::make_unique<CheckpointFileReader>(comm, path);
    r.t = one_value(*r.file, "run/t");
    r.step = static_cast<PetscInt>(one_value(*r.file, "run/step"));
  } catch (const std::runtime_error& e) {
    throw DeckError(fmt::format("error: --restart {}: {}\n  allowed: a run folder with a checkpoint.h5, written by a "
                                "run with output.checkpoint_every > 0 or stopped by SIGTERM or SIGINT",
                                dir.string(), e.what()));
  }
  const std::vector<std::string> changed =
      changed_deck_keys(r.file->text("deck"), r.file->text("deck_used"), deck.effective_yaml());
  if (!changed.empty())
    throw DeckError(fmt::format(
        "error: --restart {}: the deck differs from the one the checkpoint (t = {:.9g} s) was taken with, in {}\n"
        "  allowed: changes of time.t_end and output.* only\n"
        "  fix: run the deck as it was ({}) with only those changed, or start a new run in another folder",
        dir.string(), r.t, fmt::join(changed, ", "), (dir / "deck.used.yaml").string()));
  const double t_end = deck.section("time").real("t_end");
  if (!(t_end > r.t))
    throw deck.error_at("time.t_end",
                        fmt::format("time.t_end = {:g} s is not after the checkpoint in {} at t = {:.9g} s: nothing "
                                    "to continue",
                                    t_end, path.string(), r.t),
                        fmt::format("time.t_end > {:.9g}", r.t));
  return r;
}

void resume_observers(CheckpointFileReader& file, std::span<StepObserver* const> observers) {
  for (StepObserver* o : observers) {
    const std::string name = o->checkpoint_name();
    if (name.empty()) continue;
    // An observer the first run did not have (output turned on for the rest of the
    // run) starts afresh at the next step.
    if (!file.has_text("observer_keys_" + name)) continue;
    ObserverState state;
    for (const auto& key : split_lines(file.text("observer_keys_" + name)))
      state.values[key] = file.values("observers/" + name + "/" + key);
    o->resume(state);
  }
}

}  // namespace nf
