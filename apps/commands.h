#pragma once
#include <string>
#include <vector>

#include "io/deck.h"

namespace nf {

// Runs a validated deck on PETSC_COMM_WORLD and prints its summary (rank 0).
// cli_petsc holds argv[0], the PETSc options given after "--" and a null pointer; they take
// precedence over the deck's `petsc:` entry.
int run_deck(const Deck& deck, const std::string& stem, const std::vector<char*>& cli_petsc,
             const std::string& restart_dir = {});
// Runs the deck's sweep: section (problem/sweep_run.h) on PETSC_COMM_WORLD and prints
// where the table went (rank 0). `overrides` apply to every point.
int sweep_deck(const std::string& deck_path, const std::vector<std::string>& overrides,
               const std::vector<char*>& cli_petsc);
// The deck's `petsc:` options, then those after "--" (which take precedence).
void insert_petsc_options(const Deck& deck, const std::vector<char*>& cli_petsc);
// `neurofield stability`: the rightmost eigenvalues about rest (problem/linear_stability.h),
// with the PETSc/SLEPc options after "--" only; prints the summary (rank 0).
int stability_deck(const Deck& deck, const std::string& stem, const std::vector<char*>& cli_petsc);
// Prints every deck section and key from the schema (stdout; the caller picks the rank).
int print_info();

}  // namespace nf
