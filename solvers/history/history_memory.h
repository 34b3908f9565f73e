#pragma once
// The delay history's memory against what the machine can give, before the run: a
// store for a tiny step must be refused with its figures, not found by the kernel's
// out-of-memory killer halfway through.
//
// The ranks of a node share its memory, so the demand of a node is its ranks times the
// largest store of any rank (exact for the even split of a DMDA, an upper bound
// otherwise), and what it can give is MemAvailable (Linux /proc/meminfo: free memory
// plus the page cache and reclaimable slabs it can drop), else the free physical pages.
// A store fits when it takes at most kUsableFraction of that, leaving the rest for the
// solver's work vectors and the output.
#include <mpi.h>

#include <string>

#include "solvers/history/history.h"

namespace nf {

inline constexpr double kUsableFraction = 0.9;

struct HistoryMemory {
  HistoryFootprint rank;       // this rank's store
  double node_bytes = 0;       // B: the busiest node, ranks_on_node x the largest store of any rank
  double available_bytes = 0;  // B: the least any node has available
  int ranks_on_node = 1;       // the most on any node
  double max_lag = 0;          // s
  double step = 0;             // s: the step the store is sized for
  bool fits = true;
  bool midpoints = false;      // three vectors per stored step, not two
};

// B the calling process's node can still give.
double available_memory_bytes();

// Any store of rank_bytes per rank against the nodes, as above. Collective on comm.
struct NodeMemory {
  double node_bytes = 0;       // B: the busiest node's demand
  double available_bytes = 0;  // B: the least any node has available
  int ranks_on_node = 1;
  bool fits = true;
};
NodeMemory check_node_memory(MPI_Comm comm, double rank_bytes);
// Collective on comm: one MPI_Comm_split_type and one MPI_Allreduce, so every rank
// reaches the same verdict with the same figures.
HistoryMemory check_history_memory(MPI_Comm comm, const HistoryFootprint& rank, double max_lag, double step,
                                   bool midpoints);
// The smallest step (s) whose store would fit, rounded up to two significant digits.
double step_that_fits(const HistoryMemory& m);
// 1.5 GiB, 144 B, ...
std::string format_bytes(double bytes);
// One line for the run's log: the estimate and what the node has.
std::string describe(const HistoryMemory& m);

}  // namespace nf
