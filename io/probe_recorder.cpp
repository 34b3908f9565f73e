#include "io/probe_recorder.h"

#include <fmt/format.h>
#include <hdf5.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "io/atomic_file.h"
#include "io/hdf5_fields.h"
#include "solvers/petsc_error.h"

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
                             std::filesystem::path file)
    : grid_(grid), cells_(std::move(cells)), file_(std::move(file)), dof_(grid.dof()) {
  for (std::size_t p = 0; p < cells_.size(); ++p) validate(grid_, p, cells_[p]);
  MPI_Comm_rank(grid_.comm(), &rank_);
  const Patch& patch = grid_.patch();
  for (std::size_t p = 0; p < cells_.size(); ++p)
    if (owns(patch, cells_[p])) owned_.emplace_back(p, patch.owned(cells_[p][0], cells_[p][1], cells_[p][2]));
  row_.assign(cells_.size() * static_cast<std::size_t>(dof_), 0.0);
  reduced_.assign(row_.size(), 0.0);
}

void ProbeRecorder::observe(const StepState& state) {
  if (!row_.empty()) {
    const PetscScalar* u = nullptr;
    check_petsc(VecGetArrayRead(state.u, &u));
    for (const auto& [probe, offset] : owned_)
      for (PetscInt c = 0; c < dof_; ++c) row_[probe * dof_ + c] = PetscRealPart(u[offset + c]);
    check_petsc(VecRestoreArrayRead(state.u, &u));
    MPI_Reduce(row_.data(), reduced_.data(), static_cast<int>(row_.size()), MPI_DOUBLE, MPI_SUM, 0,
               grid_.comm());
  }
  if (rank_ != 0) return;
  times_.push_back(state.t);
  values_.insert(values_.end(), reduced_.begin(), reduced_.end());
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
  closed_ = true;
  on_root(grid_.comm(), "writing " + path.string(), [&] {
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    write(part_path(path));
    if (commit) commit_file(part_path(path), path);
  });
}

void ProbeRecorder::finish() { write_on_root(file_, true); }

void ProbeRecorder::abandon() { write_on_root(file_, false); }

}  // namespace nf
