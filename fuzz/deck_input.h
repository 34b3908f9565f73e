#pragma once
// The checks that `neurofield run DECK key=value ...` makes before any PETSc object
// exists, on one input: the deck is parsed, the overrides applied, every section
// checked against the schema, the drive and the integrator settings read from it, and
// the effective deck (deck.used.yaml) parsed back. Shared by the libFuzzer target
// (fuzz_deck.cpp) and the corpus replay of the default tests (replay_main.cpp).
//
// An input is the deck text, then each override after a NUL byte:
//   "model:\n  tau: 0.02\n" "\0" "time.t_end=2" "\0" "model.type=amari"
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace nf::fuzz {

// The name the deck is parsed under; its errors must start with it.
inline constexpr const char* kDeckName = "fuzz_deck.yaml";
// At most this many overrides are taken; further NUL-separated parts are ignored.
inline constexpr std::size_t kMaxOverrides = 4;

struct DeckInput {
  std::string text;
  std::vector<std::string> overrides;
};

DeckInput split_input(const std::uint8_t* data, std::size_t size);

// A broken contract: a DeckError that does not say where it comes from, or an
// effective deck that does not parse back to itself.
class ContractBroken : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// Returns when the deck is good or is refused with a DeckError that starts with its
// origin (kDeckName, or "command line '<override>'"). Throws ContractBroken otherwise;
// any other exception that escapes is a finding too.
void check_deck_input(const DeckInput& input);

}  // namespace nf::fuzz
