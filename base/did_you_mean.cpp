#include "base/did_you_mean.h"

#include <algorithm>
#include <numeric>

namespace nf {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// A candidate that contains the word, or that the word starts, is the likeliest
// meaning ("noise" -> "white_noise", "rk5" -> "rk5dp"); otherwise the nearest by edit
// distance, if it is within about a third of the word.
std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates) {
  if (word.size() >= 3) {
    std::vector<std::string> containing;
    for (const auto& c : candidates)
      if (c.find(word) != std::string::npos) containing.push_back(c);
    if (containing.size() == 1) return containing.front();
  }
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string did_you_mean_suffix(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string near = nearest_name(word, candidates);
  return near.empty() ? std::string() : "; did you mean '" + near + "'?";
}

}  // namespace nf
