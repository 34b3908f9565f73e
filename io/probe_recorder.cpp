#include "io/probe_recorder.h"

#include <fmt/format.h>
#include <hdf5.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

#include "io/atomic_file.h"
#include "io/hdf5_fields.h"
#include "base/petsc_error.h"

namespace nf {
namespace {

void validate(const Grid& grid, std::size_t probe, const std::array<PetscInt, 3>& cell) {
  for (int a = 0; a < 3; ++a) {
    const PetscInt n = a < grid.dimension() ? grid.spec().cells[a] : 1;
    if (cell[a] >= 0 && cell[a] < n) continue;
    const std::string allowed = a >= grid.dimension() ? fmt::format("must be 0 on a {}D grid", grid.dimension())
                                                      : fmt::format("allows 0..{}", n - 1);
    throw std::invalid_argument(fmt::format("probe {}: cell ({}, {}, {}) is outside the grid; axis {} {}", probe,
                                            cell[0], cell[1], cell[2], "xyz"[a], allowed));
  }
}

bool owns(const Patch& p, const std::array<PetscInt, 3>& cell) {
  for (int a = 0; a < 3; ++a)
    if (cell[a] < p.start[a] || cell[a] >= p.start[a] + p.count[a]) return false;
  return true;
}

void write_dataset(hid_t file, const char* name, hid_t type, const std::vector<hsize_t>& dims, const void* data,
                   const std::string& where) {
  h5::Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
                   "create a dataspace", where);
  h5::Handle set(H5Dcreate2(file, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
                 std::string("create ") + name, where);
  for (auto d : dims)
    if (d == 0) return;
  h5::check(H5Dwrite(set.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), std::string("write ") + name, where);
}

// An empty dataset extendible along its first axis, chunked by `chunk_rows` rows.
hid_t create_extendible(hid_t file, const char* name, std::vector<hsize_t> row_dims, hsize_t chunk_rows,
                        const std::string& where) {
  std::vector<hsize_t> dims{0}, max{H5S_UNLIMITED}, chunk{chunk_rows};
  for (hsize_t d : row_dims) {
    dims.push_back(d);
    max.push_back(d > 0 ? d : H5S_UNLIMITED);  // a chunk dimension must be positive
    chunk.push_back(std::max<hsize_t>(1, d));
  }
  const int rank = static_cast<int>(dims.size());
  h5::Handle space(H5Screate_simple(rank, dims.data(), max.data()), H5Sclose, "create a dataspace", where);
  h5::Handle layout(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create a property list", where);
  h5::check(H5Pset_chunk(layout.get(), rank, chunk.data()), std::string("chunk ") + name, where);
  const hid_t set = H5Dcreate2(file, name, H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, layout.get(), H5P_DEFAULT);
  if (set < 0) throw std::runtime_error(std::string("HDF5: cannot create ") + name + " in " + where);
  return set;
}

// Rows of a dataset [n, ...] (at least 1D).
std::vector<hsize_t> dims_of(hid_t set, const char* name, const std::string& where) {
  h5::Handle space(H5Dget_space(set), H5Sclose, std::string("get the space of ") + name, where);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 1) throw std::runtime_error(std::string("HDF5: ") + name + " has no rows in " + where);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

// Rows [first, first + count) of `set` into data; block[1..] selects within a row
// (start offset[1..], sizes block[1..]).
void read_rows(hid_t set, const char* name, std::vector<hsize_t> offset, std::vector<hsize_t> block, double* data,
               const std::string& where) {
  h5::Handle space(H5Dget_space(set), H5Sclose, std::string("get the space of ") + name, where);
  h5::check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, offset.data(), nullptr, block.data(), nullptr),
            std::string("select rows of ") + name, where);
  h5::Handle memory(H5Screate_simple(static_cast<int>(block.size()), block.data(), nullptr), H5Sclose,
                    "create a dataspace", where);
  h5::check(H5Dread(set, H5T_NATIVE_DOUBLE, memory.get(), space.get(), H5P_DEFAULT, data),
            std::string("read ") + name, where);
}

constexpr hsize_t kFileChunkBytes = 64 * 1024;  // HDF5 chunk of /values (and /time: 1024 rows)

}  // namespace

ProbeRecorder::ProbeRecorder(const Grid& grid, std::vector<std::array<PetscInt, 3>> cells,
                             std::filesystem::path file, std::size_t chunk_steps)
    : grid_(grid), cells_(std::move(cells)), file_(std::move(file)), dof_(grid.dof()) {
  for (std::size_t p = 0; p < cells_.size(); ++p) validate(grid_, p, cells_[p]);
  MPI_Comm_rank(grid_.comm(), &rank_);
  const Patch& patch = grid_.patch();
  for (std::size_t p = 0; p < cells_.size(); ++p)
    if (owns(patch, cells_[p])) owned_.emplace_back(p, patch.owned(cells_[p][0], cells_[p][1], cells_[p][2]));
  // The same on every rank: it depends on the global probe count only.
  const std::size_t step_bytes = std::max<std::size_t>(1, cells_.size() * dof_ * sizeof(double));
  chunk_ = chunk_steps > 0 ? chunk_steps : std::max<std::size_t>(1, kChunkBytes / step_bytes);
  if (!cells_.empty()) {
    buffer_.resize(chunk_ * owned_.size() * dof_);
    gather_owners();
  }
  on_root(grid_.comm(), "creating the folder of " + file_.string(), [&] {
    if (file_.has_parent_path()) std::filesystem::create_directories(file_.parent_path());
  });
}

ProbeRecorder::~ProbeRecorder() {
  if (value_set_ >= 0) H5Dclose(value_set_);
  if (time_set_ >= 0) H5Dclose(time_set_);
  if (h5file_ >= 0) H5Fclose(h5file_);
}

// Rank 0 learns which probes each rank owns, once.
void ProbeRecorder::gather_owners() {
  int ranks = 1;
  MPI_Comm_size(grid_.comm(), &ranks);
  std::vector<long long> mine;
  for (const auto& o : owned_) mine.push_back(static_cast<long long>(o.first));
  int count = static_cast<int>(mine.size());
  std::vector<int> counts(rank_ == 0 ? ranks : 0), starts(rank_ == 0 ? ranks : 0);
  MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, grid_.comm());
  std::vector<long long> all;
  if (rank_ == 0) {
    for (int r = 1; r < ranks; ++r) starts[r] = starts[r - 1] + counts[r - 1];
    all.resize(cells_.size());
  }
  MPI_Gatherv(mine.data(), count, MPI_LONG_LONG, all.data(), counts.data(), starts.data(), MPI_LONG_LONG, 0,
              grid_.comm());
  if (rank_ != 0) return;
  owners_.resize(ranks);
  for (int r = 0; r < ranks; ++r)
    for (int k = 0; k < counts[r]; ++k) owners_[r].push_back(static_cast<std::size_t>(all[starts[r] + k]));
  counts_.resize(ranks);
  displacements_.resize(ranks);
  gathered_.resize(chunk_ * cells_.size() * dof_);
  rows_.resize(chunk_ * cells_.size() * dof_);
  pending_times_.reserve(chunk_);
}

// Rank 0: a fresh `<file>.part` with empty /time and /values and the fixed /cells.
void ProbeRecorder::create_file() {
  const std::filesystem::path part = part_path(file_);
  const std::string where = part.string();
  h5file_ = H5Fcreate(part.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (h5file_ < 0) throw std::runtime_error("HDF5: cannot create the file " + where);
  const hsize_t probes = cells_.size(), dof = static_cast<hsize_t>(dof_);
  const hsize_t row_bytes = std::max<hsize_t>(1, probes * dof * sizeof(double));
  time_set_ = create_extendible(h5file_, "/time", {}, 1024, where);
  value_set_ = create_extendible(h5file_, "/values", {probes, dof}, std::max<hsize_t>(1, kFileChunkBytes / row_bytes),
                                 where);
  std::vector<long long> cells;
  for (const auto& c : cells_) cells.insert(cells.end(), c.begin(), c.end());
  write_dataset(h5file_, "/cells", H5T_NATIVE_LLONG, {probes, 3}, cells.data(), where);
  h5::write_string_array_attribute(h5file_, "components", grid_.spec().component_names, where);
  rows_written_ = 0;
}

// Rank 0: reopens `<file>.part` (or a finished `<file>`, renamed back) and cuts /time
// and /values to `rows`.
void ProbeRecorder::open_for_append(std::size_t rows) {
  close_file();
  const std::filesystem::path part = part_path(file_);
  if (!std::filesystem::exists(part)) {
    if (!std::filesystem::exists(file_))
      throw std::runtime_error("cannot resume probes: neither " + part.string() + " nor " + file_.string() +
                               " exists");
    commit_file(file_, part);
  }
  const std::string where = part.string();
  h5file_ = H5Fopen(part.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  if (h5file_ < 0) throw std::runtime_error("HDF5: cannot open the file " + where);
  time_set_ = H5Dopen2(h5file_, "/time", H5P_DEFAULT);
  value_set_ = H5Dopen2(h5file_, "/values", H5P_DEFAULT);
  if (time_set_ < 0 || value_set_ < 0) throw std::runtime_error("HDF5: cannot open /time and /values in " + where);
  std::vector<hsize_t> values = dims_of(value_set_, "/values", where);
  const std::vector<hsize_t> times = dims_of(time_set_, "/time", where);
  if (values.size() != 3 || values[1] != cells_.size() || values[2] != static_cast<hsize_t>(dof_))
    throw std::runtime_error(fmt::format("cannot resume probes: /values in {} is not [n, {}, {}]", where,
                                         cells_.size(), dof_));
  if (times[0] < rows || values[0] < rows)
    throw std::runtime_error(fmt::format("cannot resume probes: {} holds {} rows, the checkpoint {}", where,
                                         std::min(times[0], values[0]), rows));
  hsize_t n = rows;
  h5::check(H5Dset_extent(time_set_, &n), "cut /time", where);
  values[0] = rows;
  h5::check(H5Dset_extent(value_set_, values.data()), "cut /values", where);
  rows_written_ = rows;
}

// Rank 0: rows_[0 .. steps) and pending_times_ to the end of the datasets.
void ProbeRecorder::append(std::size_t steps) {
  const std::string where = part_path(file_).string();
  const hsize_t first = rows_written_, n = steps, probes = cells_.size(), dof = static_cast<hsize_t>(dof_);
  const hsize_t size = first + n;
  h5::check(H5Dset_extent(time_set_, &size), "extend /time", where);
  {
    h5::Handle space(H5Dget_space(time_set_), H5Sclose, "get the space of /time", where);
    h5::check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, &first, nullptr, &n, nullptr), "select /time", where);
    h5::Handle memory(H5Screate_simple(1, &n, nullptr), H5Sclose, "create a dataspace", where);
    h5::check(H5Dwrite(time_set_, H5T_NATIVE_DOUBLE, memory.get(), space.get(), H5P_DEFAULT, pending_times_.data()),
              "write /time", where);
  }
  const hsize_t extent[3] = {size, probes, dof};
  h5::check(H5Dset_extent(value_set_, extent), "extend /values", where);
  if (probes > 0 && dof > 0) {
    const hsize_t start[3] = {first, 0, 0}, count[3] = {n, probes, dof};
    h5::Handle space(H5Dget_space(value_set_), H5Sclose, "get the space of /values", where);
    h5::check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), "select /values",
              where);
    h5::Handle memory(H5Screate_simple(3, count, nullptr), H5Sclose, "create a dataspace", where);
    h5::check(H5Dwrite(value_set_, H5T_NATIVE_DOUBLE, memory.get(), space.get(), H5P_DEFAULT, rows_.data()),
              "write /values", where);
  }
  rows_written_ = size;
}

void ProbeRecorder::close_file() {
  if (value_set_ >= 0) H5Dclose(std::exchange(value_set_, -1));
  if (time_set_ >= 0) H5Dclose(std::exchange(time_set_, -1));
  if (h5file_ < 0) return;
  errno = 0;
  if (H5Fclose(std::exchange(h5file_, -1)) >= 0) return;
  // Closing flushes the last rows and metadata: where that write fails (a full disk),
  // HDF5's stack or errno holds the reason.
  const int err = errno;
  std::string reason = h5::failure_reason();
  if (reason.empty() && err != 0) reason = std::strerror(err);
  throw std::runtime_error("HDF5: cannot write " + part_path(file_).string() +
                           (reason.empty() ? std::string(" (closing it failed)") : ": " + reason));
}

void ProbeRecorder::observe(const StepState& state) {
  if (closed_ || cells_.empty()) return;
  const PetscScalar* u = nullptr;
  check_petsc(VecGetArrayRead(state.u, &u));
  double* row = buffer_.data() + pending_ * owned_.size() * dof_;
  for (const auto& [probe, offset] : owned_)
    for (PetscInt c = 0; c < dof_; ++c) *row++ = PetscRealPart(u[offset + c]);
  check_petsc(VecRestoreArrayRead(state.u, &u));
  if (rank_ == 0) pending_times_.push_back(state.t);
  if (++pending_ == chunk_) flush();
}

// Collective: the buffered steps of every rank to rank 0, which appends them to the file.
void ProbeRecorder::flush() {
  if (pending_ == 0) return;
  const int sent = static_cast<int>(pending_ * owned_.size() * dof_);
  if (rank_ == 0) {
    int start = 0;
    for (std::size_t r = 0; r < owners_.size(); ++r) {
      counts_[r] = static_cast<int>(pending_ * owners_[r].size() * dof_);
      displacements_[r] = start;
      start += counts_[r];
    }
  }
  MPI_Gatherv(buffer_.data(), sent, MPI_DOUBLE, gathered_.data(), counts_.data(), displacements_.data(),
              MPI_DOUBLE, 0, grid_.comm());
  const std::size_t steps = pending_;
  pending_ = 0;
  on_root(grid_.comm(), "writing " + part_path(file_).string(), [&] {
    const std::size_t stride = cells_.size() * dof_;
    for (std::size_t r = 0; r < owners_.size(); ++r) {
      const double* from = gathered_.data() + displacements_[r];
      for (std::size_t s = 0; s < steps; ++s)
        for (const std::size_t probe : owners_[r])
          for (PetscInt c = 0; c < dof_; ++c) rows_[s * stride + probe * dof_ + c] = *from++;
    }
    if (h5file_ < 0) create_file();
    append(steps);
    pending_times_.clear();
  });
}

void ProbeRecorder::save(ObserverState& state) {
  if (closed_) throw std::logic_error("ProbeRecorder::save after finish/abandon of " + file_.string());
  flush();
  double rows = 0;
  on_root(grid_.comm(), "flushing " + part_path(file_).string(), [&] {
    if (h5file_ < 0) create_file();
    h5::check(H5Fflush(h5file_, H5F_SCOPE_GLOBAL), "flush", part_path(file_).string());
    rows = static_cast<double>(rows_written_);
  });
  state.values["rows"] = {rows};
}

void ProbeRecorder::resume(const ObserverState& state) {
  const auto it = state.values.find("rows");
  if (it == state.values.end() || it->second.size() != 1 || !(it->second[0] >= 0))
    throw std::runtime_error("cannot resume probes of " + file_.string() + ": the checkpoint has no row count");
  const auto rows = static_cast<std::size_t>(it->second[0]);
  pending_ = 0;
  pending_times_.clear();
  closed_ = false;
  committed_ = false;
  on_root(grid_.comm(), "reopening " + part_path(file_).string(), [&] { open_for_append(rows); });
}

std::filesystem::path ProbeRecorder::current_file() const { return committed_ ? file_ : part_path(file_); }

std::vector<double> ProbeRecorder::times() const {
  if (rank_ != 0) return {};
  return read_probe_series(current_file(), 0).times;
}

std::vector<double> ProbeRecorder::signal(std::size_t probe, PetscInt component) const {
  if (probe >= cells_.size() || component < 0 || component >= dof_)
    throw std::out_of_range(fmt::format("probe {} component {}: have {} probes and {} components", probe,
                                        component, cells_.size(), dof_));
  if (rank_ != 0) return {};
  return std::move(read_probe_series(current_file(), component).signals[probe]);
}

void ProbeRecorder::close(bool commit) {
  if (closed_) return;
  flush();
  closed_ = true;
  on_root(grid_.comm(), "writing " + file_.string(), [&] {
    if (h5file_ < 0) create_file();
    close_file();
    if (commit) {
      commit_file(part_path(file_), file_);
      committed_ = true;
    }
  });
}

void ProbeRecorder::finish() { close(true); }

void ProbeRecorder::abandon() { close(false); }

// --- Reading back ----------------------------------------------------------------

ProbeFileSeries::ProbeFileSeries(const std::filesystem::path& file, PetscInt component)
    : where_(file.string()), component_(component) {
  file_ = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file_ < 0) throw std::runtime_error("HDF5: cannot open the file " + where_);
  time_set_ = H5Dopen2(file_, "/time", H5P_DEFAULT);
  value_set_ = H5Dopen2(file_, "/values", H5P_DEFAULT);
  if (time_set_ < 0 || value_set_ < 0) {
    release();
    throw std::runtime_error("HDF5: cannot open /time and /values in " + where_);
  }
  const auto times = dims_of(time_set_, "/time", where_);
  const auto values = dims_of(value_set_, "/values", where_);
  if (values.size() != 3 || times.size() != 1 || values[0] != times[0] || component < 0 ||
      static_cast<hsize_t>(component) >= values[2]) {
    release();
    throw std::runtime_error(fmt::format("{}: /time and /values do not match, or no component {}", where_, component));
  }
  rows_ = times[0];
  probes_ = values[1];
  dof_ = values[2];
}

ProbeFileSeries::~ProbeFileSeries() { release(); }

void ProbeFileSeries::release() {
  if (value_set_ >= 0) H5Dclose(std::exchange(value_set_, -1));
  if (time_set_ >= 0) H5Dclose(std::exchange(time_set_, -1));
  if (file_ >= 0) H5Fclose(std::exchange(file_, -1));
}

void ProbeFileSeries::read_times(std::size_t first, std::size_t count, double* times) const {
  if (count == 0) return;
  read_rows(time_set_, "/time", {first}, {count}, times, where_);
}

void ProbeFileSeries::read_values(std::size_t first, std::size_t count, double* values) const {
  if (count == 0 || probes_ == 0) return;
  read_rows(value_set_, "/values", {first, 0, static_cast<hsize_t>(component_)}, {count, probes_, 1}, values, where_);
}

ProbeSeries read_probe_series(const std::filesystem::path& file, PetscInt component) {
  const ProbeFileSeries series(file, component);
  ProbeSeries out;
  out.times.resize(series.rows());
  series.read_times(0, series.rows(), out.times.data());
  std::vector<double> rows(series.rows() * series.channels());
  series.read_values(0, series.rows(), rows.data());
  out.signals.assign(series.channels(), std::vector<double>(series.rows()));
  for (std::size_t r = 0; r < series.rows(); ++r)
    for (std::size_t p = 0; p < series.channels(); ++p) out.signals[p][r] = rows[r * series.channels() + p];
  return out;
}

}  // namespace nf
