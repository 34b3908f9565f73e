#pragma once
// checkpoint.h5: what a run continues from (solvers/checkpoint.h says what goes in),
// written through PETSc's parallel HDF5 viewer.
//
// Layout (groups are the name's path; every dataset float64):
//   <name>                  a DMDA global vector: [nz, ny, nx, dof] in natural order
//                           (VecView of a DMDA), so it reads back on any rank count
//   <name>                  rank 0's values, as [n + 1]: the count n, then the values
//   <name>, <name>_sizes    each rank's values in rank order, and their counts ([n + 1]
//                           like rank 0's values); absent when every rank has none
//   attributes of /         ranks (int), and the text entries (deck, ...)
// Crash safety: written as checkpoint.h5.part, made durable (fsync) and renamed over
// the previous checkpoint by commit(), so the previous one stays until the new one is
// complete and a crash never leaves a partial checkpoint.h5.
#include <petscviewerhdf5.h>

#include <filesystem>
#include <string>

#include "base/petsc_handles.h"
#include "solvers/checkpoint.h"

namespace nf {

class CheckpointFileWriter : public CheckpointOut {
 public:
  // Opens `<path>.part`. Collective over comm; throws std::runtime_error naming the file.
  CheckpointFileWriter(MPI_Comm comm, std::filesystem::path path);
  ~CheckpointFileWriter() override;
  CheckpointFileWriter(const CheckpointFileWriter&) = delete;
  CheckpointFileWriter& operator=(const CheckpointFileWriter&) = delete;

  void vector(const std::string& name, Vec global) override;
  void values(const std::string& name, std::span<const double> values) override;
  void rank_values(const std::string& name, std::span<const double> values) override;
  // A text attribute of / (rank 0's).
  void text(const std::string& name, const std::string& text);
  // Closes the file, makes it durable and renames it to its final name. Collective.
  void commit();

 private:
  void check(PetscErrorCode ierr, const std::string& what) const;
  MPI_Comm comm_;
  std::filesystem::path path_, part_;
  OwnedViewer viewer_;
  bool committed_ = false;
};

class CheckpointFileReader : public CheckpointIn {
 public:
  // Opens path for reading. Collective; throws std::runtime_error naming the file.
  CheckpointFileReader(MPI_Comm comm, std::filesystem::path path);

  void vector(const std::string& name, Vec global) override;
  std::vector<double> values(const std::string& name) override;
  std::vector<double> rank_values(const std::string& name) override;
  bool has(const std::string& name) override;
  int ranks() const override { return ranks_; }
  std::string text(const std::string& name);
  bool has_text(const std::string& name);
  const std::filesystem::path& path() const { return path_; }

 private:
  void check(PetscErrorCode ierr, const std::string& what) const;
  MPI_Comm comm_;
  std::filesystem::path path_;
  OwnedViewer viewer_;
  int ranks_ = 0;
};

}  // namespace nf
