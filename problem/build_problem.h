#pragma once
// From a validated deck to a Problem: the registered model with its drive and initial
// state. A parameter combination the model rejects becomes a DeckError at its key.
#include <memory>

#include "io/deck.h"
#include "problem/problem.h"
#include "solvers/integrators/integrator.h"

namespace nf {

std::unique_ptr<Problem> build_problem(const Deck& deck, MPI_Comm comm);
IntegratorSettings integrator_settings(const Deck& deck);
// initial.position's default for a front: a tenth of the first axis (m).
double initial_front_position(const GridSpec& mesh);
// The method that runs: time.method, or the backend's equivalent of another
// backend's name (rk4 on CVODE runs adams).
const MethodInfo& method_run(const Deck& deck);
// The deck's notes, plus one when time.method names another backend's method.
std::vector<std::string> run_notes(const Deck& deck);
// The delay rings of the problem's couplings in one line for the run's log ("" for
// none): ring count and width, lags, and the memory estimate per rank (ring spectra
// and stored records, sized for time.dt). Collective. Throws a DeckError at
// model.rings when the busiest node could not hold them.
std::string check_delay_rings(const Deck& deck, const Problem& problem, MPI_Comm comm);
// The wave couplings' Courant number v dt / h against the bound of their upwind scheme
// under the deck's fixed-step explicit method (wave_courant_bound); a DeckError at
// time.dt above it. Adaptive steps (and CVODE) are left to the error control.
void check_wave_courant(const Deck& deck, const Problem& problem);
// An explicit fixed-step method whose time.dt breaks the diffusion stability limit:
// a DeckError at time.dt with the limit and the fix.
void check_diffusion_limit(const Deck& deck, const Problem& problem);
// The deck's backend and method; settings it rejects become a DeckError at their key.
std::unique_ptr<Integrator> make_integrator(const Deck& deck, const DelaySystem& system);

}  // namespace nf
