#pragma once
// A parameter sweep over MPI ranks. The world splits into groups of
// sweep.ranks_per_point ranks (MPI_Comm_split); each group runs one point at a time as
// an ordinary distributed run on its own communicator (run_simulation), then takes the
// next undone point from a shared counter (MPI_Fetch_and_op on a window at world rank
// 0), so groups that finish early take more points and no rank only dispatches. World
// rank 0 also computes; it writes the table (problem/sweep_table.h), recording the
// other groups' rows between its own points (the rows that arrived meanwhile, with its
// own, in one rewrite).
//
// A point's run is `neurofield run DECK overrides point-values` with, unless the point
// keeps its folder (sweep.keep_output_every), output.vtk=false output.hdf5=false in a
// scratch folder (points/point_NNNN, removed after the point): it costs its integration
// and its probes, not field I/O. A point whose run fails (blow-up, a step above a delay,
// a bad value) is recorded as failed with the run's message; the sweep goes on. A stop
// signal ends the sweep after the points under way (StopRequested); rerunning the same
// command continues it.
#include <mpi.h>

#include <filesystem>
#include <string>
#include <vector>

#include "problem/sweep_spec.h"

namespace nf {

struct SweepOutcome {
  std::filesystem::path folder;
  std::size_t total = 0;         // points in the sweep
  std::size_t done_before = 0;   // recorded by an earlier run of the same sweep
  std::size_t ran = 0;           // run now (rank 0's count)
  std::size_t failures = 0;      // failed rows in the table
  double wall_seconds = 0;
};

// Collective over `world`. `overrides` apply to every point; `deck_stem` names the
// folder when output.dir is empty. Throws DeckError for a bad spec or a table of
// another sweep (before anything is written), StopRequested after a stop signal.
SweepOutcome run_sweep(const SweepSpec& spec, const std::vector<std::string>& overrides,
                       const std::string& deck_stem, MPI_Comm world);

}  // namespace nf
