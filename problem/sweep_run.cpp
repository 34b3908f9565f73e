#include "problem/sweep_run.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <deque>
#include <limits>

#include "base/petsc_handles.h"
#include "base/stop_request.h"
#include "io/atomic_file.h"
#include "problem/progress.h"
#include "problem/run_folder.h"
#include "problem/simulation.h"
#include "problem/sweep_table.h"

namespace nf {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kRowTag = 7101;   // a finished point's row, to world rank 0
constexpr int kDoneTag = 7102;  // a group's leader has taken its last point

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// A summary.json value by name ("predicted.frequency_hz" goes one level down): numbers
// as they are, true/false as 1/0, anything else (null, missing) NaN.
double metric_value(const nlohmann::json& summary, const std::string& name) {
  const nlohmann::json* j = &summary;
  for (std::size_t start = 0;;) {
    const auto dot = name.find('.', start);
    const std::string part = name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!j->is_object() || !j->contains(part)) return std::numeric_limits<double>::quiet_NaN();
    j = &(*j)[part];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (j->is_number()) return j->get<double>();
  if (j->is_boolean()) return j->get<bool>() ? 1.0 : 0.0;
  return std::numeric_limits<double>::quiet_NaN();
}

std::string encode(const SweepRow& r) {
  nlohmann::json metrics = nlohmann::json::array();
  for (double m : r.metrics) metrics.push_back(std::isnan(m) ? nlohmann::json() : nlohmann::json(m));
  return nlohmann::json{{"point", r.point}, {"values", r.values}, {"status", r.status}, {"error", r.error},
                        {"wall", r.wall_seconds}, {"ranks", r.ranks}, {"leader", r.leader}, {"metrics", metrics}}
      .dump();
}

SweepRow decode(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text);
  SweepRow r{j["point"].get<std::size_t>(), j["values"].get<std::vector<std::string>>(), j["status"], j["error"],
             j["wall"].get<double>(), j["ranks"].get<int>(), {}};
  r.leader = j["leader"].get<int>();
  for (const auto& m : j["metrics"])
    r.metrics.push_back(m.is_null() ? std::numeric_limits<double>::quiet_NaN() : m.get<double>());
  return r;
}

// The next undone point, shared by every group: an integer at world rank 0 that each
// group's leader increments with one atomic MPI_Fetch_and_op (passive target: rank 0
// takes no part, it computes meanwhile).
class PointCounter {
 public:
  explicit PointCounter(MPI_Comm world) {
    MPI_Comm_rank(world, &rank_);
    MPI_Win_allocate(rank_ == 0 ? sizeof(long) : 0, sizeof(long), MPI_INFO_NULL, world, &base_, &win_);
    if (rank_ == 0) {
      MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, win_);
      *base_ = 0;
      MPI_Win_unlock(0, win_);
    }
    MPI_Barrier(world);
  }
  ~PointCounter() { MPI_Win_free(&win_); }  // collective: every rank reaches the end of the sweep
  PointCounter(const PointCounter&) = delete;
  PointCounter& operator=(const PointCounter&) = delete;
  long take() {
    const long one = 1;
    long got = 0;
    MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win_);
    MPI_Fetch_and_op(&one, &got, MPI_LONG, 0, 0, MPI_SUM, win_);
    MPI_Win_unlock(0, win_);
    return got;
  }
  // No group takes another point (the table can no longer be written).
  void exhaust(long total) {
    MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, win_);
    MPI_Accumulate(&total, 1, MPI_LONG, 0, 0, 1, MPI_LONG, MPI_REPLACE, win_);
    MPI_Win_unlock(0, win_);
  }

 private:
  int rank_ = 0;
  long* base_ = nullptr;
  MPI_Win win_ = MPI_WIN_NULL;
};

std::vector<std::string> without_output_dir(const std::vector<std::string>& overrides) {
  std::vector<std::string> out;
  for (const auto& o : overrides)
    if (o.rfind("output.dir=", 0) != 0) out.push_back(o);
  return out;
}

struct PointContext {
  const SweepSpec& spec;
  std::vector<std::string> overrides;  // the user's, output.dir left out
  fs::path folder;
  MPI_Comm group;
  int group_rank = 0;
  int group_size = 1;
};

// One point: the run `neurofield run` would do with the point's overrides, on the
// group's communicator. Only StopRequested escapes; the run's other errors are the
// row's (rank-agreed by the run, so every rank of the group gets here alike).
SweepRow run_point(const PointContext& c, std::size_t point) {
  const Clock::time_point t0 = Clock::now();
  SweepRow row{point, c.spec.points[point], "ok", "", 0, c.group_size,
               std::vector<double>(c.spec.metrics.size(), std::numeric_limits<double>::quiet_NaN())};
  const fs::path dir = c.folder / "points" / fmt::format("point_{:04d}", point);
  const bool keep = c.spec.keep_output_every > 0 && point % static_cast<std::size_t>(c.spec.keep_output_every) == 0;
  std::vector<std::string> overrides = c.overrides;
  for (auto& o : c.spec.point_overrides(point)) overrides.push_back(std::move(o));
  if (!keep) {
    overrides.emplace_back("output.vtk=false");
    overrides.emplace_back("output.hdf5=false");
  }
  overrides.push_back("output.dir=" + dir.string());
  std::error_code ec;
  if (c.group_rank == 0) fs::remove_all(dir, ec);  // what a killed sweep left of this point
  try {
    const Deck deck = Deck::parse(c.spec.base_text, c.spec.deck_path, overrides);
    const SimulationResult r = run_simulation(deck, c.group, "point");
    if (c.group_rank == 0)
      for (std::size_t m = 0; m < c.spec.metrics.size(); ++m) row.metrics[m] = metric_value(r.summary, c.spec.metrics[m]);
  } catch (const StopRequested&) {
    throw;
  } catch (const BlowUp& e) {
    row.status = "failed";
    row.error = std::string("the run blew up: ") + e.what();
  } catch (const std::exception& e) {
    row.status = "failed";
    row.error = e.what();
  }
  if (!keep && c.group_rank == 0) fs::remove_all(dir, ec);
  row.wall_seconds = seconds_since(t0);
  return row;
}

// World rank 0's side: the table, the progress line, the rows of the other groups.
class Recorder {
 public:
  Recorder(SweepTable& table, std::size_t total, std::size_t done_before, MPI_Comm world)
      : table_(table), total_(total), done_before_(done_before), world_(world) {}

  // Rank 0's own row, and with it every row that has arrived: one rewrite of the table.
  void add(SweepRow row) {
    insert(std::move(row));
    drain();
  }
  // The rows that have arrived, without waiting, written in one rewrite of the table.
  void drain() {
    for (;;) {
      int flag = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, kRowTag, world_, &flag, &status);
      if (!flag) break;
      insert(decode(receive(status)));
    }
    flush();
  }
  // Every row still on its way, until each other group's leader says it is done.
  void collect(int other_leaders) {
    while (other_leaders > 0) {
      MPI_Status status;
      MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, world_, &status);
      const std::string text = receive(status);
      if (status.MPI_TAG == kDoneTag) --other_leaders;
      else insert(decode(text));
      drain();
    }
  }
  void print_progress(bool last) {
    const double elapsed = seconds_since(start_);
    if (table_.size() == printed_count_ || (!last && elapsed - printed_at_ < 1.0 && table_.size() < total_)) return;
    printed_at_ = elapsed;
    printed_count_ = table_.size();
    const std::size_t left = total_ - table_.size();
    const std::string eta = ran_ > 0 ? fmt::format(", ETA {:.0f} s", elapsed / static_cast<double>(ran_) * left) : "";
    fmt::print(stderr, "neurofield: sweep {}/{} points done{}, {} failed, {:.1f} s{}\n", table_.size(), total_,
               done_before_ > 0 ? fmt::format(" ({} before this run)", done_before_) : "", table_.failures(), elapsed,
               left > 0 ? eta : "");
  }
  const std::string& error() const { return error_; }
  std::size_t writes() const { return writes_; }
  std::size_t ran() const { return ran_; }

 private:
  void insert(SweepRow row) {
    if (!error_.empty()) return;
    table_.insert(std::move(row));
    ++ran_;
    ++unwritten_;
  }
  void flush() {
    if (unwritten_ == 0 || !error_.empty()) return;
    try {
      table_.write();
      ++writes_;
    } catch (const std::exception& e) {
      error_ = e.what();
      return;
    }
    unwritten_ = 0;
    print_progress(false);
  }
  std::string receive(const MPI_Status& status) {
    int count = 0;
    MPI_Get_count(&status, MPI_CHAR, &count);
    std::string text(static_cast<std::size_t>(count), '\0');
    MPI_Recv(text.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, world_, MPI_STATUS_IGNORE);
    return text;
  }
  SweepTable& table_;
  std::size_t total_, done_before_, ran_ = 0, unwritten_ = 0, writes_ = 0;
  MPI_Comm world_;
  Clock::time_point start_ = Clock::now();
  double printed_at_ = -1;
  std::size_t printed_count_ = std::numeric_limits<std::size_t>::max();
  std::string error_;
};

// A group leader's rows on their way to world rank 0; sent without waiting, so the
// group goes on computing while rank 0 is inside its own point.
class RowSender {
 public:
  explicit RowSender(MPI_Comm world) : world_(world) {}
  void send(const SweepRow& row) {
    texts_.push_back(encode(row));
    requests_.emplace_back();
    MPI_Isend(texts_.back().data(), static_cast<int>(texts_.back().size()), MPI_CHAR, 0, kRowTag, world_,
              &requests_.back());
  }
  void finish() {
    MPI_Send(nullptr, 0, MPI_CHAR, 0, kDoneTag, world_);
    MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE);
  }

 private:
  MPI_Comm world_;
  std::deque<std::string> texts_;  // stable addresses while their sends are under way
  std::vector<MPI_Request> requests_;
};

}  // namespace

SweepOutcome run_sweep(const SweepSpec& spec, const std::vector<std::string>& overrides, const std::string& deck_stem,
                       MPI_Comm world) {
  const Clock::time_point t0 = Clock::now();
  int rank = 0, size = 1;
  MPI_Comm_rank(world, &rank);
  MPI_Comm_size(world, &size);
  const Deck base = Deck::parse(spec.base_text, spec.deck_path, overrides);
  check_sweep_against_deck(spec, base, overrides, size);
  SweepOutcome outcome;
  outcome.folder = run_folder_path(base, deck_stem);
  outcome.total = spec.points.size();
  SweepTableHeader header;
  for (const auto& p : spec.parameters) header.parameter_keys.push_back(p.key);
  header.metric_names = spec.metrics;
  header.hash = sweep_hash(spec, base);
  header.deck_text = base.effective_yaml() + "sweep:  # as read\n" + spec.canonical;
  header.points_total = spec.points.size();
  SweepTable table(outcome.folder, header);

  // Rank 0 reads an earlier run's table (refused if of another sweep) before writing
  // anything, then makes the folder and writes the table as it stands.
  std::vector<char> done(spec.points.size(), 0);
  on_root(world, "opening the sweep table", [&] {
    table.load_existing(spec.deck_path);
    std::error_code ec;
    fs::create_directories(outcome.folder / "points", ec);
    if (ec)
      throw base.error_at("output.dir", fmt::format("cannot create the sweep folder {}: {}", outcome.folder.string(),
                                                    ec.message()),
                          "a folder that can be created and written");
    table.write();
    for (std::size_t p = 0; p < done.size(); ++p) done[p] = table.has(p);
  });
  MPI_Bcast(done.data(), static_cast<int>(done.size()), MPI_CHAR, 0, world);
  std::vector<std::size_t> todo;
  for (std::size_t p = 0; p < done.size(); ++p)
    if (!done[p]) todo.push_back(p);
  outcome.done_before = spec.points.size() - todo.size();

  OwnedComm group;
  MPI_Comm_split(world, rank / spec.ranks_per_point, rank, group.out());
  PointContext context{spec, without_output_dir(overrides), outcome.folder, group, 0, 1};
  MPI_Comm_rank(group, &context.group_rank);
  MPI_Comm_size(group, &context.group_size);
  const bool leader = context.group_rank == 0;
  set_progress_lines(false);

  Recorder recorder(table, spec.points.size(), outcome.done_before, world);
  RowSender sender(world);
  int stopped = 0;
  {
    PointCounter counter(world);
    bool exhausted = false;
    for (;;) {
      long next = -1;
      if (leader) {
        if (rank == 0) recorder.drain();
        if (rank == 0 && !recorder.error().empty() && !exhausted) {
          counter.exhaust(static_cast<long>(todo.size()));
          exhausted = true;
        }
        if (stop_signal() == 0 && recorder.error().empty()) next = counter.take();
      }
      MPI_Bcast(&next, 1, MPI_LONG, 0, group);
      if (next < 0) stopped = 1;
      if (next < 0 || next >= static_cast<long>(todo.size())) break;
      SweepRow row;
      try {
        row = run_point(context, todo[static_cast<std::size_t>(next)]);
      } catch (const StopRequested&) {
        stopped = 1;
        break;
      }
      if (!leader) continue;
      row.leader = rank;
      if (rank == 0) recorder.add(std::move(row));
      else sender.send(row);
    }
    if (rank == 0) recorder.collect(size / spec.ranks_per_point - 1);
    else if (leader) sender.finish();
  }  // the counter's window is freed here, by every rank
  if (!recorder.error().empty()) stopped = 0;
  int flags[2] = {stopped, rank == 0 && !recorder.error().empty()};
  MPI_Allreduce(MPI_IN_PLACE, flags, 2, MPI_INT, MPI_MAX, world);
  if (rank == 0) {
    std::error_code ec;
    fs::remove(outcome.folder / "points", ec);  // only when empty: kept points stay
    recorder.print_progress(true);
  }
  if (flags[1]) throw std::runtime_error(rank == 0 ? recorder.error() : "the sweep table could not be written");
  if (flags[0])
    throw StopRequested(
        fmt::format("the sweep stopped on a signal: {} of {} points are recorded in {}; run the same command again "
                    "to run the others",
                    table.size(), spec.points.size(), table.h5_path().string()),
        0, stop_signal());
  outcome.ran = recorder.ran();
  outcome.failures = table.failures();
  outcome.wall_seconds = seconds_since(t0);
  return outcome;
}

}  // namespace nf
