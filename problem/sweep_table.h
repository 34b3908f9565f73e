#pragma once
// The sweep's results: one row per point in sweep.h5 (a column per dataset) and
// sweep.csv, rows in point order. After every new row both files are rewritten whole
// under `<name>.part`, flushed to disk and renamed (sweep.h5 first), so a crash at any
// moment, SIGKILL included, leaves the previous complete table under the final names.
// sweep.h5 is the one read back: a rerun with the same hash continues from its rows.
//
// sweep.h5: /point (int64), /parameters/<key> (float64, or strings when a value is not
// a number), /status ("ok" | "failed"), /error (the run's message, "" when ok),
// /wall_seconds, /ranks, /leader (the world rank that led the point's group: how the
// points were shared), /metrics/<name> (float64; NaN for a null or missing value;
// true/false as 1/0); attributes deck_hash, deck (the effective base deck),
// parameter_keys, metric_names, points_total.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace nf {

struct SweepRow {
  std::size_t point = 0;
  std::vector<std::string> values;  // one per parameter, as given to the run
  std::string status;               // ok | failed
  std::string error;                // the run's own message
  double wall_seconds = 0;          // the point's whole run: setup, integration, analysis
  int ranks = 1;
  std::vector<double> metrics;      // one per metric name
  int leader = 0;                   // world rank of the group's first rank (sweep.h5 only)
};

struct SweepTableHeader {
  std::vector<std::string> parameter_keys;
  std::vector<std::string> metric_names;
  std::string hash;
  std::string deck_text;
  std::size_t points_total = 0;
};

class SweepTable {
 public:
  SweepTable(std::filesystem::path folder, SweepTableHeader header);
  // Rows of an earlier run of the same sweep (sweep.h5 under the folder), or none when
  // there is no sweep.h5. Throws DeckError when its hash is not this sweep's.
  void load_existing(const std::string& deck_path);
  // Adds a row and rewrites both files. Throws std::runtime_error naming the file.
  void add(SweepRow row);
  // Adds a row to the table in memory only: write() puts it on disk (rows that arrive
  // together cost one rewrite).
  void insert(SweepRow row);
  void write() const;
  bool has(std::size_t point) const { return rows_.count(point) > 0; }
  std::size_t size() const { return rows_.size(); }
  std::size_t failures() const;
  std::filesystem::path h5_path() const { return folder_ / "sweep.h5"; }
  std::filesystem::path csv_path() const { return folder_ / "sweep.csv"; }

 private:
  void write_h5() const;
  std::string csv_text() const;
  std::filesystem::path folder_;
  SweepTableHeader header_;
  std::map<std::size_t, SweepRow> rows_;
};

}  // namespace nf
