#include "fuzz/deck_input.h"

#include <fmt/format.h>

#include <algorithm>

#include "io/deck.h"
#include "models/drive.h"
#include "problem/build_problem.h"

namespace nf::fuzz {
namespace {

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

// Deck errors start with the file (and line) or the override they are about.
bool names_origin(const std::string& message, const std::vector<std::string>& overrides) {
  if (starts_with(message, kDeckName)) return true;
  return std::any_of(overrides.begin(), overrides.end(), [&message](const std::string& o) {
    return starts_with(message, "command line '" + o + "'");
  });
}

// The effective deck without its leading comment, which names the source and the
// overrides (an override with newlines makes it several lines).
std::string effective_body(const Deck& deck) {
  const std::string text = deck.effective_yaml();
  std::size_t start = 0;
  while (start < text.size() && text[start] == '#') start = std::min(text.find('\n', start), text.size() - 1) + 1;
  return text.substr(start);
}

// deck.used.yaml must run again as it stands and mean the same deck.
void check_round_trip(const Deck& deck) {
  const std::string body = effective_body(deck);
  try {
    const std::string again = effective_body(Deck::parse(deck.effective_yaml(), kDeckName, {}));
    if (again != body)
      throw ContractBroken(fmt::format("the effective deck changes when parsed again:\n{}\n---- becomes ----\n{}",
                                       body, again));
  } catch (const DeckError& e) {
    throw ContractBroken(fmt::format("the effective deck does not parse again: {}\n---- deck ----\n{}", e.what(),
                                     body));
  }
}

// What the run reads from the checked deck before it builds the problem.
void read_run_settings(const Deck& deck) {
  find_drive_type(deck.type_of("input"))->make(deck.section("input"));
  integrator_settings(deck);
  run_notes(deck);
}

}  // namespace

DeckInput split_input(const std::uint8_t* data, std::size_t size) {
  const std::string all(reinterpret_cast<const char*>(data), size);
  DeckInput input;
  std::size_t start = all.find('\0');
  input.text = all.substr(0, start);
  while (start != std::string::npos && input.overrides.size() < kMaxOverrides) {
    const std::size_t end = all.find('\0', start + 1);
    input.overrides.push_back(all.substr(start + 1, end == std::string::npos ? end : end - start - 1));
    start = end;
  }
  return input;
}

void check_deck_input(const DeckInput& input) {
  try {
    const Deck deck = Deck::parse(input.text, kDeckName, input.overrides);
    read_run_settings(deck);
    check_round_trip(deck);
  } catch (const DeckError& e) {
    const std::string message = e.what();
    if (message.empty() || !names_origin(message, input.overrides))
      throw ContractBroken("a deck error that does not name the deck or the override: '" + message + "'");
  }
}

}  // namespace nf::fuzz
