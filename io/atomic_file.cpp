#include "io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

#include "io/deck.h"

namespace nf {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int err) {
  throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(err));
}

void write_all(int fd, std::string_view text, const std::filesystem::path& path) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write", path, errno);
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

std::filesystem::path part_path(const std::filesystem::path& final_path) {
  auto p = final_path;
  p += ".part";
  return p;
}

void write_text_atomically(const std::filesystem::path& path, std::string_view text, Durability durability) {
  const auto part = part_path(path);
  const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot create", part, errno);
  try {
    write_all(fd, text, part);
    if (durability == Durability::now && ::fsync(fd) != 0) fail("cannot flush", part, errno);
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0) fail("cannot close", part, errno);
  commit_file(part, path);
}

AtomicTextFile::AtomicTextFile(std::filesystem::path path) : path_(std::move(path)) {
  const auto part = part_path(path_);
  fd_ = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) fail("cannot create", part, errno);
}

AtomicTextFile::~AtomicTextFile() {
  if (fd_ >= 0) ::close(fd_);
}

void AtomicTextFile::append(std::string_view text) { write_all(fd_, text, part_path(path_)); }

void AtomicTextFile::commit() {
  const auto part = part_path(path_);
  if (::fsync(fd_) != 0) fail("cannot flush", part, errno);
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) fail("cannot close", part, errno);
  commit_file(part, path_);
}

void make_durable(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("cannot open", folder, errno);
  const int synced = ::syncfs(fd) == 0 && ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  if (synced != 0) fail("cannot flush the files written in", folder, synced);
}

void commit_file(const std::filesystem::path& part, const std::filesystem::path& final_path) {
  std::error_code ec;
  std::filesystem::rename(part, final_path, ec);
  if (ec)
    throw std::runtime_error("cannot rename " + part.string() + " to " + final_path.string() + ": " +
                             ec.message());
}

namespace detail {
namespace {

enum class Outcome : int { ok = 0, deck_error = 1, failure = 2 };

// What rank 0 shares about its exception: its kind and its message.
std::pair<Outcome, std::string> describe(std::exception_ptr error, const std::string& what) {
  if (!error) return {Outcome::ok, ""};
  try {
    std::rethrow_exception(error);
  } catch (const DeckError& e) {
    return {Outcome::deck_error, e.what()};
  } catch (const std::exception& e) {
    return {Outcome::failure, e.what()};
  } catch (...) {
    return {Outcome::failure, what + " failed on rank 0"};
  }
}

}  // namespace

void share_root_outcome(MPI_Comm comm, std::exception_ptr error, const std::string& what) {
  auto [outcome, message] = describe(error, what);
  int code = static_cast<int>(outcome);
  MPI_Bcast(&code, 1, MPI_INT, 0, comm);
  if (code == static_cast<int>(Outcome::ok)) return;
  int length = static_cast<int>(message.size());
  MPI_Bcast(&length, 1, MPI_INT, 0, comm);
  message.resize(static_cast<std::size_t>(length));
  MPI_Bcast(message.data(), length, MPI_CHAR, 0, comm);
  if (error) std::rethrow_exception(error);
  if (code == static_cast<int>(Outcome::deck_error)) throw DeckError(message);
  throw std::runtime_error(message);
}

}  // namespace detail

void agree_or_throw(MPI_Comm comm, bool ok, const std::string& what) {
  int local = ok ? 1 : 0, all = 0;
  MPI_Allreduce(&local, &all, 1, MPI_INT, MPI_MIN, comm);
  if (!all) throw std::runtime_error(what);
}

}  // namespace nf
