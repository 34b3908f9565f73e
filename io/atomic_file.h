#pragma once
// Crash-safe output: a file appears under its final name only when it is complete.
// Writers fill `<name>.part` and rename it (rename(2) is atomic within a filesystem),
// so a crash leaves at most a stale `.part` file, never a truncated final file.
#include <mpi.h>

#include <exception>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace nf {

// `<path>.part`, the name a file is written under until it is complete.
std::filesystem::path part_path(const std::filesystem::path& final_path);

// Writes text to `<path>.part`, flushes it to disk (fsync), closes it and renames it
// to `path`, replacing any previous file. Throws std::runtime_error naming the path.
void write_text_atomically(const std::filesystem::path& path, std::string_view text);

// Renames a completed file (or directory) to its final name, replacing an existing
// file or empty directory there. Throws std::runtime_error naming both paths.
void commit_file(const std::filesystem::path& part, const std::filesystem::path& final_path);

// Runs f on rank 0 of comm (typically: write a small file and commit it) and makes
// every rank agree on the outcome: a failure is rethrown on rank 0 and reported as
// std::runtime_error("<what> failed on rank 0") elsewhere, so no rank is left waiting
// in a later collective. Collective over comm.
template <class F>
void on_root(MPI_Comm comm, const std::string& what, F&& f) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::exception_ptr error;
  int ok = 1;
  if (rank == 0) {
    try {
      f();
    } catch (...) {
      error = std::current_exception();
      ok = 0;
    }
  }
  MPI_Bcast(&ok, 1, MPI_INT, 0, comm);
  if (error) std::rethrow_exception(error);
  if (!ok) throw std::runtime_error(what + " failed on rank 0");
}

// Throws std::runtime_error(what) on every rank if ok is false on any rank. Collective.
void agree_or_throw(MPI_Comm comm, bool ok, const std::string& what);

}  // namespace nf
