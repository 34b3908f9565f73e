#pragma once
// The analysis window of a run, [analysis.t_start, time.t_end], and whether the probe
// signals in it are the model's free response (what its predicted mode describes) or
// a driven one.
#include <string>

#include "io/deck.h"
#include "problem/mode_comparison.h"
#include "solvers/integrators/integrator.h"

namespace nf {

// analysis.t_start, or its default t_end/4 (s).
double analysis_window_start(const Deck& deck);

// A DeckError at analysis.t_start when it is not before time.t_end (an empty window).
void check_analysis_window(const Deck& deck);

// Why the signals after t_start are not a free response, or empty when they are: a
// drive other than none, or an impulse still on at t_start (its Gaussian falls below
// 1e-16 of its peak 8.6 widths after the onset: exp(-8.6^2/2) = 9e-17).
std::string drive_in_window(const Deck& deck, double t_start);

// The step error of the run's method on a rate (problem/mode_comparison.h).
StepError step_error(const Deck& deck, const MethodDescription& method, const RunStats& stats);

}  // namespace nf
