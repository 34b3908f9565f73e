#pragma once
// "Did you mean ...?" hints: the allowed name nearest in edit distance.
#include <string>
#include <vector>

namespace nf {

// Levenshtein distance between a and b.
std::size_t edit_distance(const std::string& a, const std::string& b);
// The nearest candidate if it is close enough to be a plausible typo, else "".
std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates);
// "; did you mean 'x'?" or "" when nothing is near.
std::string did_you_mean_suffix(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace nf
