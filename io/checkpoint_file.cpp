#include "io/checkpoint_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <petscvec.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "base/petsc_error.h"
#include "io/atomic_file.h"

namespace nf {
namespace {

// "engine/history/12/u" -> ("/engine/history/12", "u")
std::pair<std::string, std::string> split_name(const std::string& name) {
  const auto slash = name.rfind('/');
  if (slash == std::string::npos) return {"/", name};
  return {"/" + name.substr(0, slash), name.substr(slash + 1)};
}

// Views (or loads) v under `name`, with v's own object name kept.
template <class Op>
void under_name(PetscViewer viewer, const std::string& name, Vec v, Op op) {
  const auto [group, leaf] = split_name(name);
  const char* old_name = nullptr;
  check_petsc(PetscObjectGetName(reinterpret_cast<PetscObject>(v), &old_name));
  const std::string kept = old_name ? old_name : "";
  check_petsc(PetscViewerHDF5PushGroup(viewer, group.c_str()));
  check_petsc(PetscObjectSetName(reinterpret_cast<PetscObject>(v), leaf.c_str()));
  const PetscErrorCode ierr = op(v, viewer);
  check_petsc(PetscObjectSetName(reinterpret_cast<PetscObject>(v), kept.c_str()));
  check_petsc(PetscViewerHDF5PopGroup(viewer));
  check_petsc(ierr);
}

int rank_of(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return rank;
}

// fsync(2) of a closed file, so that its rename cannot outlive its content.
void flush_to_disk(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int e = errno;
    if (fd >= 0) ::close(fd);
    throw std::runtime_error(fmt::format("cannot flush {} to disk: {}", path.string(), std::strerror(e)));
  }
  ::close(fd);
}

}  // namespace

CheckpointFileWriter::CheckpointFileWriter(MPI_Comm comm, std::filesystem::path path)
    : comm_(comm), path_(std::move(path)), part_(part_path(path_)) {
  check(PetscViewerHDF5Open(comm_, part_.c_str(), FILE_MODE_WRITE, viewer_.out()), "cannot create");
  int ranks = 1;
  MPI_Comm_size(comm_, &ranks);
  check(PetscViewerHDF5WriteAttribute(viewer_, "/", "ranks", PETSC_INT, &ranks), "cannot write to");
}

CheckpointFileWriter::~CheckpointFileWriter() {
  if (committed_) return;
  viewer_ = OwnedViewer();
  if (rank_of(comm_) == 0) {
    std::error_code ignored;
    std::filesystem::remove(part_, ignored);
  }
}

void CheckpointFileWriter::check(PetscErrorCode ierr, const std::string& what) const {
  if (ierr) throw std::runtime_error(fmt::format("{} the checkpoint {} (PETSc error {})", what, part_.string(), ierr));
}

void CheckpointFileWriter::vector(const std::string& name, Vec global) {
  under_name(viewer_, name, global, VecView);
}

void CheckpointFileWriter::values(const std::string& name, std::span<const double> values) {
  const bool root = rank_of(comm_) == 0;
  OwnedVec v;
  const PetscInt n = root ? static_cast<PetscInt>(values.size()) + 1 : 0;
  check_petsc(VecCreateMPI(comm_, n, PETSC_DETERMINE, v.out()));
  if (root) {
    PetscScalar* a = nullptr;
    check_petsc(VecGetArrayWrite(v, &a));
    a[0] = static_cast<double>(values.size());
    std::copy(values.begin(), values.end(), a + 1);
    check_petsc(VecRestoreArrayWrite(v, &a));
  }
  under_name(viewer_, name, v, VecView);
}

void CheckpointFileWriter::rank_values(const std::string& name, std::span<const double> values) {
  int ranks = 1;
  MPI_Comm_size(comm_, &ranks);
  const double mine = static_cast<double>(values.size());
  std::vector<double> sizes(static_cast<std::size_t>(ranks));
  MPI_Gather(&mine, 1, MPI_DOUBLE, sizes.data(), 1, MPI_DOUBLE, 0, comm_);
  double total = 0;
  MPI_Allreduce(&mine, &total, 1, MPI_DOUBLE, MPI_SUM, comm_);
  this->values(name + "_sizes", sizes);
  if (total == 0) return;
  OwnedVec v;
  check_petsc(VecCreateMPI(comm_, static_cast<PetscInt>(values.size()), PETSC_DETERMINE, v.out()));
  PetscScalar* a = nullptr;
  check_petsc(VecGetArrayWrite(v, &a));
  std::copy(values.begin(), values.end(), a);
  check_petsc(VecRestoreArrayWrite(v, &a));
  under_name(viewer_, name, v, VecView);
}

void CheckpointFileWriter::text(const std::string& name, const std::string& text) {
  check(PetscViewerHDF5WriteAttribute(viewer_, "/", name.c_str(), PETSC_STRING, text.c_str()), "cannot write to");
}

void CheckpointFileWriter::commit() {
  viewer_ = OwnedViewer();  // closes the file on every rank
  on_root(comm_, "committing " + path_.string(), [&] {
    flush_to_disk(part_);
    commit_file(part_, path_);
    make_durable(path_.parent_path().empty() ? "." : path_.parent_path());
  });
  committed_ = true;
}

CheckpointFileReader::CheckpointFileReader(MPI_Comm comm, std::filesystem::path path)
    : comm_(comm), path_(std::move(path)) {
  std::string missing;
  if (!std::filesystem::is_regular_file(path_)) missing = "no such file";
  agree_or_throw(comm_, missing.empty(), fmt::format("cannot open the checkpoint {}: {}", path_.string(), missing));
  check(PetscViewerHDF5Open(comm_, path_.c_str(), FILE_MODE_READ, viewer_.out()), "cannot open");
  PetscInt ranks = 0;
  check(PetscViewerHDF5ReadAttribute(viewer_, "/", "ranks", PETSC_INT, nullptr, &ranks), "cannot read");
  ranks_ = static_cast<int>(ranks);
}

void CheckpointFileReader::check(PetscErrorCode ierr, const std::string& what) const {
  if (ierr)
    throw std::runtime_error(fmt::format("{} the checkpoint {} (PETSc error {}): it is not a checkpoint of this program, "
                                         "or it is damaged",
                                         what, path_.string(), ierr));
}

bool CheckpointFileReader::has(const std::string& name) {
  PetscBool has = PETSC_FALSE;
  check(PetscViewerHDF5HasDataset(viewer_, ("/" + name).c_str(), &has), "cannot read");
  return has == PETSC_TRUE;
}

void CheckpointFileReader::vector(const std::string& name, Vec global) {
  if (!has(name)) throw std::runtime_error(fmt::format("the checkpoint {} has no {}", path_.string(), name));
  under_name(viewer_, name, global, VecLoad);
}

std::vector<double> CheckpointFileReader::values(const std::string& name) {
  if (!has(name)) throw std::runtime_error(fmt::format("the checkpoint {} has no {}", path_.string(), name));
  OwnedVec v, all;
  check_petsc(VecCreate(comm_, v.out()));
  check_petsc(VecSetType(v, VECMPI));
  under_name(viewer_, name, v, VecLoad);
  OwnedScatter scatter;
  check_petsc(VecScatterCreateToAll(v, scatter.out(), all.out()));
  check_petsc(VecScatterBegin(scatter, v, all, INSERT_VALUES, SCATTER_FORWARD));
  check_petsc(VecScatterEnd(scatter, v, all, INSERT_VALUES, SCATTER_FORWARD));
  const PetscScalar* a = nullptr;
  PetscInt n = 0;
  check_petsc(VecGetLocalSize(all, &n));
  check_petsc(VecGetArrayRead(all, &a));
  std::vector<double> out;
  if (n >= 1 && a[0] == static_cast<double>(n - 1)) out.assign(a + 1, a + n);
  check_petsc(VecRestoreArrayRead(all, &a));
  if (static_cast<PetscInt>(out.size()) != n - 1)
    throw std::runtime_error(fmt::format("the checkpoint {} is damaged: {} does not hold its count", path_.string(), name));
  return out;
}

std::vector<double> CheckpointFileReader::rank_values(const std::string& name) {
  int ranks = 1;
  MPI_Comm_size(comm_, &ranks);
  if (ranks != ranks_)
    throw std::runtime_error(fmt::format("the checkpoint {} holds {} per rank of {} ranks; it continues on {} ranks "
                                         "only (this run has {})",
                                         path_.string(), name, ranks_, ranks_, ranks));
  const std::vector<double> sizes = values(name + "_sizes");
  const std::size_t mine = static_cast<std::size_t>(sizes.at(static_cast<std::size_t>(rank_of(comm_))));
  double total = 0;
  for (double s : sizes) total += s;
  if (total == 0) return {};
  OwnedVec v;
  check_petsc(VecCreateMPI(comm_, static_cast<PetscInt>(mine), PETSC_DETERMINE, v.out()));
  under_name(viewer_, name, v, VecLoad);
  const PetscScalar* a = nullptr;
  check_petsc(VecGetArrayRead(v, &a));
  std::vector<double> out(a, a + mine);
  check_petsc(VecRestoreArrayRead(v, &a));
  return out;
}

bool CheckpointFileReader::has_text(const std::string& name) {
  PetscBool has = PETSC_FALSE;
  check(PetscViewerHDF5HasAttribute(viewer_, "/", name.c_str(), &has), "cannot read");
  return has == PETSC_TRUE;
}

std::string CheckpointFileReader::text(const std::string& name) {
  char* value = nullptr;
  check(PetscViewerHDF5ReadAttribute(viewer_, "/", name.c_str(), PETSC_STRING, nullptr, &value), "cannot read");
  std::string out = value ? value : "";
  PetscFree(value);
  return out;
}

}  // namespace nf
