// libFuzzer target over the deck checks (deck_input.h). A DeckError that names its
// origin is the expected answer to a bad input; anything else that escapes (another
// exception type, ContractBroken), a crash, a hang or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>

#include "fuzz/deck_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nf::fuzz::check_deck_input(nf::fuzz::split_input(data, size));
  return 0;
}
