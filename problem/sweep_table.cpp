#include "problem/sweep_table.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <hdf5.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "io/atomic_file.h"
#include "io/deck.h"
#include "io/hdf5_fields.h"

namespace nf {
namespace {

namespace fs = std::filesystem;

bool is_number(const std::string& text, double& x) {
  if (text.empty()) return false;
  char* end = nullptr;
  x = std::strtod(text.c_str(), &end);
  return end && *end == '\0';
}

h5::Handle string_type(const std::string& where) {
  h5::Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "create a string type", where);
  h5::check(H5Tset_size(type.get(), H5T_VARIABLE), "size a string type", where);
  h5::check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "set a string encoding", where);
  return type;
}

void write_column(hid_t where_id, const std::string& name, hid_t type, std::size_t n, const void* data,
                  const std::string& where) {
  const hsize_t dims[1] = {n};
  h5::Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose, "create a dataspace", where);
  h5::Handle set(H5Dcreate2(where_id, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                 H5Dclose, "create " + name, where);
  if (n > 0) h5::check(H5Dwrite(set.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write " + name, where);
}

void write_strings(hid_t where_id, const std::string& name, const std::vector<std::string>& values,
                   const std::string& where) {
  std::vector<const char*> data;
  for (const auto& v : values) data.push_back(v.c_str());
  h5::Handle type = string_type(where);
  write_column(where_id, name, type.get(), data.size(), data.data(), where);
}

template <class T>
std::vector<T> read_numbers(hid_t file, const std::string& name, hid_t type, const std::string& where) {
  h5::Handle set(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name, where);
  h5::Handle space(H5Dget_space(set.get()), H5Sclose, "read the size of " + name, where);
  std::vector<T> out(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  if (!out.empty()) h5::check(H5Dread(set.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read " + name, where);
  return out;
}

std::vector<std::string> read_strings(hid_t file, const std::string& name, const std::string& where) {
  h5::Handle set(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name, where);
  h5::Handle space(H5Dget_space(set.get()), H5Sclose, "read the size of " + name, where);
  h5::Handle type = string_type(where);
  std::vector<char*> data(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())), nullptr);
  if (data.empty()) return {};
  h5::check(H5Dread(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), "read " + name, where);
  std::vector<std::string> out;
  for (char* s : data) out.emplace_back(s ? s : "");
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, data.data());
  return out;
}

std::string read_string_attribute(hid_t file, const char* name, const std::string& where) {
  h5::Handle attr(H5Aopen(file, name, H5P_DEFAULT), H5Aclose, std::string("open attribute ") + name, where);
  h5::Handle type = string_type(where);
  char* data = nullptr;
  h5::check(H5Aread(attr.get(), type.get(), &data), std::string("read attribute ") + name, where);
  std::string out = data ? data : "";
  H5free_memory(data);
  return out;
}

// The file's bytes on disk before it gets its final name.
void sync_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) {
    const std::string reason = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot flush " + path.string() + " to disk: " + reason);
  }
  ::close(fd);
}

// A CSV field: quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += csv_field(fields[i]);
  }
  return line + '\n';
}

std::string number_text(double x) { return std::isnan(x) ? "" : fmt::format("{}", x); }

}  // namespace

SweepTable::SweepTable(fs::path folder, SweepTableHeader header)
    : folder_(std::move(folder)), header_(std::move(header)) {}

std::size_t SweepTable::failures() const {
  std::size_t n = 0;
  for (const auto& [point, row] : rows_) n += row.status != "ok";
  return n;
}

void SweepTable::load_existing(const std::string& deck_path) {
  const fs::path path = h5_path();
  if (!fs::exists(path)) return;
  const std::string where = path.string();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  h5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open the table", where);
  const std::string hash = read_string_attribute(file.get(), "deck_hash", where);
  if (hash != header_.hash)
    throw DeckError(fmt::format(
        "{}: error: {} holds a sweep of another deck (hash {}; this deck and command line give {}): the deck, "
        "its sweep section or the overrides changed since those points ran\n"
        "  allowed: the same deck and overrides to continue that sweep, or another output.dir (or remove {}) to "
        "start a new one",
        deck_path, where, hash, header_.hash, where));
  const auto points = read_numbers<long long>(file.get(), "point", H5T_NATIVE_LLONG, where);
  const auto status = read_strings(file.get(), "status", where);
  const auto errors = read_strings(file.get(), "error", where);
  const auto wall = read_numbers<double>(file.get(), "wall_seconds", H5T_NATIVE_DOUBLE, where);
  const auto ranks = read_numbers<long long>(file.get(), "ranks", H5T_NATIVE_LLONG, where);
  const auto leaders = read_numbers<long long>(file.get(), "leader", H5T_NATIVE_LLONG, where);
  std::vector<std::vector<double>> metrics;
  for (const auto& m : header_.metric_names)
    metrics.push_back(read_numbers<double>(file.get(), "metrics/" + m, H5T_NATIVE_DOUBLE, where));
  std::vector<std::vector<std::string>> values;
  for (const auto& k : header_.parameter_keys) values.push_back(read_strings(file.get(), "parameter_text/" + k, where));
  for (std::size_t i = 0; i < points.size(); ++i) {
    SweepRow row{static_cast<std::size_t>(points[i]), {}, status.at(i), errors.at(i), wall.at(i),
                 static_cast<int>(ranks.at(i)), {}};
    for (const auto& v : values) row.values.push_back(v.at(i));
    for (const auto& m : metrics) row.metrics.push_back(m.at(i));
    row.leader = static_cast<int>(leaders.at(i));
    rows_[row.point] = std::move(row);
  }
}

void SweepTable::add(SweepRow row) {
  insert(std::move(row));
  write();
}

void SweepTable::insert(SweepRow row) { rows_[row.point] = std::move(row); }

void SweepTable::write() const {
  write_h5();
  write_text_atomically(csv_path(), csv_text());
}

void SweepTable::write_h5() const {
  const fs::path final_path = h5_path();
  const fs::path part = part_path(final_path);
  const std::string where = part.string();
  {
    h5::Handle file(H5Fcreate(part.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, "create the table",
                    where);
    const std::size_t n = rows_.size();
    std::vector<long long> points, ranks, leaders;
    std::vector<double> wall;
    std::vector<std::string> status, errors;
    for (const auto& [p, row] : rows_) {
      points.push_back(static_cast<long long>(p));
      ranks.push_back(row.ranks);
      leaders.push_back(row.leader);
      wall.push_back(row.wall_seconds);
      status.push_back(row.status);
      errors.push_back(row.error);
    }
    write_column(file.get(), "point", H5T_NATIVE_LLONG, n, points.data(), where);
    write_strings(file.get(), "status", status, where);
    write_strings(file.get(), "error", errors, where);
    write_column(file.get(), "wall_seconds", H5T_NATIVE_DOUBLE, n, wall.data(), where);
    write_column(file.get(), "ranks", H5T_NATIVE_LLONG, n, ranks.data(), where);
    write_column(file.get(), "leader", H5T_NATIVE_LLONG, n, leaders.data(), where);
    h5::Handle params(H5Gcreate2(file.get(), "parameters", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                      "create /parameters", where);
    h5::Handle texts(H5Gcreate2(file.get(), "parameter_text", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                     "create /parameter_text", where);
    for (std::size_t k = 0; k < header_.parameter_keys.size(); ++k) {
      std::vector<std::string> text;
      std::vector<double> numbers;
      bool numeric = true;
      for (const auto& [p, row] : rows_) {
        double x = 0;
        numeric = numeric && is_number(row.values[k], x);
        text.push_back(row.values[k]);
        numbers.push_back(x);
      }
      const std::string& key = header_.parameter_keys[k];
      write_strings(texts.get(), key, text, where);
      if (numeric) write_column(params.get(), key, H5T_NATIVE_DOUBLE, n, numbers.data(), where);
      else write_strings(params.get(), key, text, where);
    }
    h5::Handle metrics(H5Gcreate2(file.get(), "metrics", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                       "create /metrics", where);
    for (std::size_t m = 0; m < header_.metric_names.size(); ++m) {
      std::vector<double> column;
      for (const auto& [p, row] : rows_) column.push_back(row.metrics[m]);
      write_column(metrics.get(), header_.metric_names[m], H5T_NATIVE_DOUBLE, n, column.data(), where);
    }
    h5::write_string_attribute(file.get(), "deck_hash", header_.hash, where);
    h5::write_string_attribute(file.get(), "deck", header_.deck_text, where);
    h5::write_string_array_attribute(file.get(), "parameter_keys", header_.parameter_keys, where);
    h5::write_string_array_attribute(file.get(), "metric_names", header_.metric_names, where);
    h5::write_int64_attribute(file.get(), "points_total", {static_cast<long long>(header_.points_total)}, where);
    h5::check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "flush the table", where);
  }
  sync_file(part);
  commit_file(part, final_path);
}

std::string SweepTable::csv_text() const {
  std::string text;
  std::vector<std::string> header = header_.parameter_keys;
  for (const char* c : {"status", "error", "wall_seconds"}) header.emplace_back(c);
  header.insert(header.end(), header_.metric_names.begin(), header_.metric_names.end());
  header.emplace_back("ranks");
  header.emplace_back("point");
  text += csv_line(header);
  for (const auto& [p, row] : rows_) {
    std::vector<std::string> fields = row.values;
    fields.push_back(row.status);
    fields.push_back(row.error);
    fields.push_back(fmt::format("{}", row.wall_seconds));
    for (double m : row.metrics) fields.push_back(number_text(m));
    fields.push_back(fmt::format("{}", row.ranks));
    fields.push_back(fmt::format("{}", p));
    text += csv_line(fields);
  }
  return text;
}

}  // namespace nf
