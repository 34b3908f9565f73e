#pragma once
// The run folder: where a run's files go, made before the run starts. A folder that
// already holds another run's results has them moved into previous_run/ first (an
// older previous_run/ is deleted), so a run's folder never mixes two runs: a script
// that finds summary.json beside log.txt knows they belong to the same run.
#include <filesystem>
#include <string>
#include <vector>

#include "io/deck.h"

namespace nf {

// output.dir, or the deck's stem in the working directory; absolute.
std::filesystem::path run_folder_path(const Deck& deck, const std::string& deck_stem);

// The names (files and folders, relative to the run folder) a run writes, with their
// `.part` forms: what is moved aside before a new run, where it is of the kind a run
// writes (a regular file; a folder for vtk/).
std::vector<std::string> run_file_names();

// Rank 0 only. Creates the run folder (and its parents), moves a previous run's files
// into previous_run/ and writes deck.used.yaml. Returns a line for the log ("" when
// the folder held no run). Any failure is a DeckError at output.dir naming the folder
// and the reason; the folders it created are removed again.
std::string create_run_folder(const Deck& deck, const std::filesystem::path& dir, const std::string& used_yaml);

// Rank 0 only. The folder of a run being continued from its checkpoint (--restart):
// summary.json goes (the run is complete again only when it is rewritten),
// deck.used.yaml is rewritten, and log.txt's text is returned for the new log to
// continue. Failures are DeckErrors at output.dir, as above.
std::string reopen_run_folder(const Deck& deck, const std::filesystem::path& dir, const std::string& used_yaml);

}  // namespace nf
