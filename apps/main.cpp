// neurofield: neural-field and travelling-wave dynamics from an input deck.
//   neurofield                                  run the embedded default deck
//   neurofield run DECK [key=value ...] [-- PETSc options]
//   neurofield info                             models, inputs and methods with their parameters
// Exit codes: 0 success, 2 bad deck or options (nothing written), 3 the run blew up, 1 other failure.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <petscsys.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "apps/commands.h"
#include "apps/default_deck.h"
#include "io/deck.h"
#include "solvers/integrators/integrator.h"

namespace {

// Each list starts with argv[0] and ends with a null pointer, as argv does (MPI_Init
// reads the list up to the null).
struct CommandLine {
  std::vector<char*> ours;   // before "--"
  std::vector<char*> petsc;  // everything after "--"
  int ours_count() const { return static_cast<int>(ours.size()) - 1; }
  int petsc_count() const { return static_cast<int>(petsc.size()) - 1; }
};

CommandLine split_at_double_dash(int argc, char** argv) {
  CommandLine c;
  c.ours.push_back(argv[0]);
  c.petsc.push_back(argv[0]);
  bool after = false;
  for (int i = 1; i < argc; ++i) {
    if (!after && std::strcmp(argv[i], "--") == 0) {
      after = true;
      continue;
    }
    (after ? c.petsc : c.ours).push_back(argv[i]);
  }
  c.ours.push_back(nullptr);
  c.petsc.push_back(nullptr);
  return c;
}

bool is_root() {
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  return rank == 0;
}

void print_error(const std::string& text) {
  if (is_root()) fmt::print(stderr, "neurofield: {}\n", text);
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine cl = split_at_double_dash(argc, argv);
  CLI::App app{"neurofield: neural-field and travelling-wave dynamics from an input deck"};
  app.set_version_flag("--version", std::string("neurofield ") + NEUROFIELD_VERSION);
  app.require_subcommand(0, 1);
  std::string deck_path;
  std::vector<std::string> overrides;
  CLI::App* run = app.add_subcommand("run", "run one simulation: DECK [key=value ...] [-- PETSc options]");
  run->add_option("deck", deck_path, "input deck (YAML)")->required();
  run->add_option("overrides", overrides, "deck overrides such as model.tau=0.015 time.t_end=2");
  CLI::App* info = app.add_subcommand("info", "list models, inputs and methods with their parameters and units");
  try {
    app.parse(cl.ours_count(), cl.ours.data());
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (info->parsed()) return nf::print_info();

  int petsc_argc = cl.petsc_count();
  char** petsc_argv = cl.petsc.data();
  if (PetscInitialize(&petsc_argc, &petsc_argv, nullptr, nullptr)) return 1;
  PetscPushErrorHandler(PetscReturnErrorHandler, nullptr);
  int code = 0;
  try {
    const nf::Deck deck = run->parsed()
                              ? nf::Deck::load(deck_path, overrides)
                              : nf::Deck::parse(nf::kDefaultDeckText, nf::kDefaultDeckName, {});
    const std::string stem = std::filesystem::path(run->parsed() ? deck_path : nf::kDefaultDeckName).stem();
    code = nf::run_deck(deck, stem, cl.petsc);
  } catch (const nf::DeckError& e) {
    print_error(e.what());
    code = 2;
  } catch (const nf::BlowUp& e) {
    print_error(std::string("the run blew up: ") + e.what());
    code = 3;
  } catch (const std::exception& e) {
    print_error(e.what());
    code = 1;
  }
  PetscPopErrorHandler();
  PetscFinalize();
  return code;
}
