// Replays every file of the given folders through the deck checks (deck_input.h),
// without libFuzzer: each must be accepted or refused with a DeckError that names
// its origin. Exit 1 on the first other outcome, or when the folders hold no file.
//   fuzz_deck_replay fuzz/corpus fuzz/regressions
#include <fmt/format.h>

#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "fuzz/deck_input.h"

namespace {

std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// True when the input passes; prints the finding otherwise.
bool replay(const std::filesystem::path& file) {
  const std::string bytes = read_bytes(file);
  try {
    nf::fuzz::check_deck_input(
        nf::fuzz::split_input(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    return true;
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: {}\n", file.string(), e.what());
  } catch (...) {
    fmt::print(stderr, "{}: an exception that is not a std::exception\n", file.string());
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  int files = 0, failed = 0;
  for (int i = 1; i < argc; ++i)
    for (const auto& entry : std::filesystem::directory_iterator(argv[i]))
      if (entry.is_regular_file()) {
        ++files;
        failed += replay(entry.path()) ? 0 : 1;
      }
  fmt::print("{} inputs replayed, {} failed\n", files, failed);
  return files > 0 && failed == 0 ? 0 : 1;
}
