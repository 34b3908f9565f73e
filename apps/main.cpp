// neurofield: neural-field and travelling-wave dynamics from an input deck.
//   neurofield                                  run the embedded default deck
//   neurofield run DECK [key=value ...] [-- PETSc options]
//   neurofield sweep DECK [key=value ...] [-- PETSc options]   the deck's sweep: section (docs/sweeps.md)
//   neurofield stability DECK [key=value ...] [-- PETSc/SLEPc options]   rightmost eigenvalues about rest
//   neurofield info                             every deck section and key: units, defaults, ranges, meaning
// Exit codes: 0 success, 2 bad deck or options (nothing written), 3 the run blew up,
// 4 stopped cleanly by SIGINT or SIGTERM (a second signal ends it at once), 1 other failure.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <petscsys.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "apps/commands.h"
#include "apps/default_deck.h"
#include "base/stop_request.h"
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

int world_rank() {
  int rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  return rank;
}

// Every rank ends here with its own exit code and message (empty when already printed).
// The lowest rank that failed prints its message, once, and every rank exits with its code, so mpiexec sees one
// code whichever rank it reports. Collective: the errors are made rank-agreed where
// they arise (io/atomic_file.h), so every rank reaches this point.
int agree_on_exit(int code, const std::string& message) {
  int rank = world_rank(), size = 1;
  MPI_Comm_size(PETSC_COMM_WORLD, &size);
  int reporter = code != 0 ? rank : size;
  MPI_Allreduce(MPI_IN_PLACE, &reporter, 1, MPI_INT, MPI_MIN, PETSC_COMM_WORLD);
  if (reporter == size) return 0;
  MPI_Bcast(&code, 1, MPI_INT, reporter, PETSC_COMM_WORLD);
  if (rank == reporter && !message.empty()) fmt::print(stderr, "neurofield: {}\n", message);
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine cl = split_at_double_dash(argc, argv);
  int petsc_argc = cl.petsc_count();
  char** petsc_argv = cl.petsc.data();
  if (PetscInitialize(&petsc_argc, &petsc_argv, nullptr, nullptr)) return 1;
  PetscPushErrorHandler(PetscReturnErrorHandler, nullptr);
  nf::install_stop_handlers();
  const bool root = world_rank() == 0;

  CLI::App app{"neurofield: neural-field and travelling-wave dynamics from an input deck"};
  app.set_version_flag("--version", std::string("neurofield ") + NEUROFIELD_VERSION);
  app.require_subcommand(0, 1);
  std::string deck_path;
  std::vector<std::string> overrides;
  CLI::App* run = app.add_subcommand("run", "run one simulation: DECK [key=value ...] [-- PETSc options]");
  run->add_option("deck", deck_path, "input deck (YAML)")->required();
  run->add_option("overrides", overrides, "deck overrides such as model.tau=0.015 time.t_end=2");
  std::string restart_dir;
  run->add_option("--restart", restart_dir,
                  "continue the run in this folder from its checkpoint.h5 (only time.t_end and output.* may change)");
  CLI::App* sweep = app.add_subcommand("sweep", "run the deck's sweep: section: DECK [key=value ...] [-- PETSc options]");
  sweep->add_option("deck", deck_path, "input deck (YAML) with a sweep: section")->required();
  sweep->add_option("overrides", overrides, "deck overrides applied to every point, as for run");
  CLI::App* stability =
      app.add_subcommand("stability", "rightmost eigenvalues about rest: DECK [key=value ...] [-- PETSc/SLEPc options]");
  stability->add_option("deck", deck_path, "input deck (YAML)")->required();
  stability->add_option("overrides", overrides, "deck overrides such as model.feedback_delay=0 stability.eigenvalues=4");
  CLI::App* info = app.add_subcommand("info", "list every deck section and key with its units, default and range");
  int code = 0;
  std::string message;
  try {
    app.parse(cl.ours_count(), cl.ours.data());
    if (info->parsed()) {
      if (root) nf::print_info();
    } else if (sweep->parsed()) {
      code = nf::sweep_deck(deck_path, overrides, cl.petsc);
    } else if (stability->parsed()) {
      code = nf::stability_deck(nf::Deck::load(deck_path, overrides), std::filesystem::path(deck_path).stem(),
                                cl.petsc);
    } else {
      // A restart writes into its folder, whatever output.dir the deck names.
      if (!restart_dir.empty()) overrides.push_back("output.dir=" + restart_dir);
      const nf::Deck deck = run->parsed()
                                ? nf::Deck::load(deck_path, overrides)
                                : nf::Deck::parse(nf::kDefaultDeckText, nf::kDefaultDeckName, {});
      const std::string stem = std::filesystem::path(run->parsed() ? deck_path : nf::kDefaultDeckName).stem();
      code = nf::run_deck(deck, stem, cl.petsc, restart_dir);
    }
  } catch (const CLI::ParseError& e) {
    // CLI11 prints help, the version or the error itself; once.
    code = root ? app.exit(e) : e.get_exit_code();
    code = code == 0 ? 0 : 2;
  } catch (const nf::DeckError& e) {
    code = 2;
    message = e.what();
  } catch (const nf::StopRequested& e) {
    code = 4;
    message = e.what();  // with the checkpoint and the command that continues the run
  } catch (const nf::BlowUp& e) {
    code = 3;
    message = std::string("the run blew up: ") + e.what();
  } catch (const std::exception& e) {
    code = 1;
    message = e.what();
  }
  code = agree_on_exit(code, message);
  PetscPopErrorHandler();
  PetscFinalize();
  return code;
}
