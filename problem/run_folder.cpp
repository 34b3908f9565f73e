#include "problem/run_folder.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <fstream>
#include <iterator>
#include <utility>

#include "io/atomic_file.h"

namespace nf {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPreviousRun = "previous_run";

// The folders of `dir` that do not exist yet, deepest first, and the nearest one that
// does (or the empty path).
std::pair<std::vector<fs::path>, fs::path> missing_folders(const fs::path& dir) {
  std::vector<fs::path> missing;
  std::error_code ec;
  fs::path p = dir.lexically_normal();
  while (!p.empty() && !fs::exists(p, ec)) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
    p = p.parent_path();
  }
  return {missing, p};
}

// A run writes regular files and one folder, vtk/: an entry of another kind under one
// of those names (a folder called probes.h5) is not a run's, and stays.
bool written_by_a_run(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(path, ec);
  const std::string name = path.filename().string();
  return name == "vtk" || name == "vtk.part" ? fs::is_directory(status) : fs::is_regular_file(status);
}

// Moves every run file in dir into dir/previous_run/; returns the names moved.
// Killed at any moment, it leaves no incomplete file under a final name: the older
// previous_run/ is renamed to previous_run.part/ before it is deleted (deleting it in
// place would leave step folders half emptied), and the files gather in
// previous_run.part/, renamed previous_run/ once all are in. A kill while they gather
// leaves the rest in dir; the next run deletes previous_run.part/ and moves those.
std::vector<std::string> move_previous_run(const fs::path& dir) {
  const fs::path aside = dir / kPreviousRun, gathering = part_path(aside);
  fs::remove_all(gathering);
  std::vector<std::string> present;
  for (const auto& name : run_file_names())
    if (written_by_a_run(dir / name)) present.push_back(name);
  if (present.empty()) return present;
  if (fs::exists(aside)) {
    fs::rename(aside, gathering);
    fs::remove_all(gathering);
  }
  fs::create_directory(gathering);
  for (const auto& name : present) fs::rename(dir / name, gathering / name);
  fs::rename(gathering, aside);
  return present;
}

}  // namespace

fs::path run_folder_path(const Deck& deck, const std::string& deck_stem) {
  const std::string dir = deck.section("output").text("dir");
  return fs::absolute(dir.empty() ? fs::path(deck_stem) : fs::path(dir));
}

std::vector<std::string> run_file_names() {
  std::vector<std::string> names;
  for (const char* name : {"deck.used.yaml", "log.txt", "summary.json", "probes.h5", "fields.h5", "fields.xdmf",
                           "series.pvd", "vtk", "tip_trajectory.csv", "checkpoint.h5"}) {
    names.emplace_back(name);
    names.push_back(part_path(name).string());
  }
  return names;
}

std::string create_run_folder(const Deck& deck, const fs::path& dir, const std::string& used_yaml) {
  const std::string given = deck.section("output").text("dir");
  const std::string key = fmt::format("output.dir = {}", given.empty() ? "\"\" (the deck's name)" : given);
  const std::string allowed = "a folder that exists or can be created, and can be written";
  // Not a structured binding: clang 14 cannot capture one in the lambda below.
  const auto folders = missing_folders(dir);
  const std::vector<fs::path>& missing = folders.first;
  const fs::path& existing = folders.second;
  std::error_code ec;
  if (!existing.empty() && !fs::is_directory(existing, ec))
    throw deck.error_at("output.dir",
                        existing == dir ? fmt::format("{}: {} is an existing file, not a folder", key, dir.string())
                                        : fmt::format("{}: {} cannot be created: {} is a file, not a folder", key,
                                                      dir.string(), existing.string()),
                        allowed);
  auto undo = [&] {
    std::error_code ignored;
    fs::remove(part_path(dir / "deck.used.yaml"), ignored);
    for (const auto& m : missing) fs::remove(m, ignored);  // deepest first; only empty folders go
  };
  fs::create_directories(dir, ec);
  if (ec) {
    undo();
    throw deck.error_at("output.dir", fmt::format("{}: the folder {} cannot be created: {}", key, dir.string(),
                                                  ec.message()),
                        allowed);
  }
  std::vector<std::string> moved;
  try {
    moved = move_previous_run(dir);
    write_text_atomically(dir / "deck.used.yaml", used_yaml);
  } catch (const std::exception& e) {
    undo();
    throw deck.error_at("output.dir", fmt::format("{}: the folder {} cannot be written: {}", key, dir.string(),
                                                  e.what()),
                        allowed);
  }
  if (moved.empty()) return "";
  return fmt::format("the folder held an earlier run: {} moved into {}/", fmt::join(moved, ", "), kPreviousRun);
}

std::string reopen_run_folder(const Deck& deck, const fs::path& dir, const std::string& used_yaml) {
  std::string log;
  try {
    fs::remove(dir / "summary.json");
    if (std::ifstream in(dir / "log.txt"); in) log.assign(std::istreambuf_iterator<char>(in), {});
    write_text_atomically(dir / "deck.used.yaml", used_yaml);
  } catch (const std::exception& e) {
    throw deck.error_at("output.dir", fmt::format("--restart {}: the folder cannot be written: {}", dir.string(), e.what()),
                        "a run folder that can be written");
  }
  return log;
}

}  // namespace nf
