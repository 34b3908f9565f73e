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

// Durability: a file written `now` is on disk (fsync) before it gets its final name;
// one written `in_batch` only reaches the page cache, and is made durable with the
// rest of its folder by make_durable(). Either way a crash of the program never leaves
// a partial file under the final name; only a power cut before the batch's
// make_durable() can lose a batched file's content.
enum class Durability { now, in_batch };

// Writes text to `<path>.part`, flushes it to disk (fsync, for Durability::now),
// closes it and renames it to `path`, replacing any previous file. Throws
// std::runtime_error naming the path.
void write_text_atomically(const std::filesystem::path& path, std::string_view text,
                           Durability durability = Durability::now);

// write_text_atomically for text too long to hold: appended piece by piece to
// `<path>.part`, which commit() flushes to disk (fsync), closes and renames to `path`.
// Destroyed uncommitted, it closes `<path>.part` and leaves it. Throws
// std::runtime_error naming the path.
class AtomicTextFile {
 public:
  explicit AtomicTextFile(std::filesystem::path path);
  ~AtomicTextFile();
  AtomicTextFile(const AtomicTextFile&) = delete;
  AtomicTextFile& operator=(const AtomicTextFile&) = delete;
  void append(std::string_view text);
  void commit();

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// Flushes every file written under `folder`'s file system to disk (syncfs(2)) and the
// folder's own entries (fsync on the folder): the end of a batch. Each rank flushes
// what it wrote. Throws std::runtime_error naming the folder.
void make_durable(const std::filesystem::path& folder);

// Renames a completed file (or directory) to its final name, replacing an existing
// file or empty directory there. Throws std::runtime_error naming both paths.
void commit_file(const std::filesystem::path& part, const std::filesystem::path& final_path);

namespace detail {
// Shares rank 0's outcome (`error`, null for success) with every rank of comm: rank 0
// rethrows its exception; every other rank throws one of the same kind (DeckError or
// std::runtime_error) with the same message. Collective over comm.
void share_root_outcome(MPI_Comm comm, std::exception_ptr error, const std::string& what);
}  // namespace detail

// Runs f on rank 0 of comm (create a folder, write a small file and commit it, ...)
// and makes every rank agree on the outcome: when f throws, every rank throws, with
// rank 0's message and of the same kind (a DeckError stays a DeckError, so the exit code
// is the same everywhere), so no rank is left waiting in a later collective and the
// message is the same on all of them. `what` names the action for a failure that
// carries no message. Collective over comm.
template <class F>
void on_root(MPI_Comm comm, const std::string& what, F&& f) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::exception_ptr error;
  if (rank == 0) {
    try {
      f();
    } catch (...) {
      error = std::current_exception();
    }
  }
  detail::share_root_outcome(comm, error, what);
}

// Throws std::runtime_error(what) on every rank if ok is false on any rank. Collective.
void agree_or_throw(MPI_Comm comm, bool ok, const std::string& what);

}  // namespace nf
