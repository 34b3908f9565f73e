#include "io/probe_recorder.h"

#include <fmt/format.h>
#include <hdf5.h>

#include <algorithm>
#include <stdexcept>
#include <string>

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
  if (cells_.empty()) return;
  buffer_.resize(chunk_ * owned_.size() * dof_);
  gather_owners();
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
  pending_times_.reserve(chunk_);
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

// Collective: the buffered steps of every rank to rank 0's series.
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
  if (rank_ == 0) {
    const std::size_t stride = cells_.size() * dof_;
    const std::size_t first = values_.size();
    values_.resize(first + pending_ * stride);
    for (std::size_t r = 0; r < owners_.size(); ++r) {
      const double* from = gathered_.data() + displacements_[r];
      for (std::size_t s = 0; s < pending_; ++s)
        for (const std::size_t probe : owners_[r])
          for (PetscInt c = 0; c < dof_; ++c) values_[first + s * stride + probe * dof_ + c] = *from++;
    }
    times_.insert(times_.end(), pending_times_.begin(), pending_times_.end());
    pending_times_.clear();
  }
  pending_ = 0;
}

std::vector<double> ProbeRecorder::signal(std::size_t probe, PetscInt component) const {
  if (probe >= cells_.size() || component < 0 || component >= dof_)
    throw std::out_of_range(fmt::format("probe {} component {}: have {} probes and {} components", probe,
                                        component, cells_.size(), dof_));
  std::vector<double> s;
  s.reserve(times_.size());
  const std::size_t stride = cells_.size() * static_cast<std::size_t>(dof_);
  for (std::size_t step = 0; step < times_.size(); ++step)
    s.push_back(values_[step * stride + probe * dof_ + component]);
  return s;
}

void ProbeRecorder::write(const std::filesystem::path& path) const {
  const std::string where = path.string();
  h5::Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, "create the file",
                  where);
  const hsize_t steps = times_.size(), probes = cells_.size(), dof = static_cast<hsize_t>(dof_);
  std::vector<long long> cells;
  for (const auto& c : cells_) cells.insert(cells.end(), c.begin(), c.end());
  write_dataset(file.get(), "/time", H5T_NATIVE_DOUBLE, {steps}, times_.data(), where);
  write_dataset(file.get(), "/values", H5T_NATIVE_DOUBLE, {steps, probes, dof}, values_.data(), where);
  write_dataset(file.get(), "/cells", H5T_NATIVE_LLONG, {probes, 3}, cells.data(), where);
  h5::write_string_array_attribute(file.get(), "components", grid_.spec().component_names, where);
  h5::check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "flush", where);
}

void ProbeRecorder::write_on_root(const std::filesystem::path& path, bool commit) {
  if (closed_) return;
  flush();
  closed_ = true;
  on_root(grid_.comm(), "writing " + path.string(), [&] {
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    write(part_path(path));
    if (commit) commit_file(part_path(path), path);
  });
}

void ProbeRecorder::finish() { write_on_root(file_, true); }

void ProbeRecorder::abandon() { write_on_root(file_, false); }

void ProbeRecorder::save(ObserverState& state) {
  flush();
  state.values["times"] = times_;
  state.values["values"] = values_;
}

void ProbeRecorder::resume(const ObserverState& state) {
  if (rank_ != 0) return;
  times_ = state.values.at("times");
  values_ = state.values.at("values");
  if (values_.size() != times_.size() * cells_.size() * static_cast<std::size_t>(dof_))
    throw std::runtime_error(fmt::format("cannot continue {}: the checkpoint holds {} probe values for {} steps of {} "
                                         "probes of {} components",
                                         file_.string(), values_.size(), times_.size(), cells_.size(), dof_));
}

}  // namespace nf
