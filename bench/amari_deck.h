#pragma once
// The Amari field of input_decks/amari_front_1d.yaml (exponential kernel, sigma = 1 m,
// theta = 0.25, tau = 1 s, instantaneous coupling, a front at a tenth of the x axis),
// on a grid and with a firing function chosen by the benchmark, as a validated Deck:
// the benchmarks run the program's own path (build_problem, the PETSc TS backend).
#include <string>
#include <vector>

#include "io/deck.h"

namespace nf::bench {

struct AmariCase {
  std::vector<long> cells;          // per axis
  double length = 100;              // m, every axis
  std::string boundary = "bounded";  // every axis: bounded, periodic
  std::string firing = "heaviside";  // model.firing
  double dt = 0.05;                 // s
  long steps = 5;                   // time.t_end = steps dt
  std::string method = "rk4";
};

Deck amari_deck(const AmariCase& c);

}  // namespace nf::bench
