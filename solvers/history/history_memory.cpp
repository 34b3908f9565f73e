#include "solvers/history/history_memory.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>

#include "base/petsc_error.h"

namespace nf {
namespace {

void check_mpi(int err, const char* what) {
  if (err != MPI_SUCCESS) throw PetscFailure(fmt::format("{} failed (MPI error {})", what, err));
}

// MemAvailable in B, or a negative value if the kernel does not report it.
double mem_available_from_proc() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  return -1;
}

int ranks_on_this_node(MPI_Comm comm) {
  MPI_Comm node = MPI_COMM_NULL;
  check_mpi(MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node), "MPI_Comm_split_type");
  int size = 1;
  MPI_Comm_size(node, &size);
  MPI_Comm_free(&node);
  return size;
}

}  // namespace

double available_memory_bytes() {
  const double proc = mem_available_from_proc();
  if (proc >= 0) return proc;
  const long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 0.0;
}

NodeMemory check_node_memory(MPI_Comm comm, double rank_bytes) {
  const int ranks = ranks_on_this_node(comm);
  double local[3] = {ranks * rank_bytes, -available_memory_bytes(), static_cast<double>(ranks)}, global[3];
  check_mpi(MPI_Allreduce(local, global, 3, MPI_DOUBLE, MPI_MAX, comm), "MPI_Allreduce");
  NodeMemory m;
  m.node_bytes = global[0];
  m.available_bytes = -global[1];
  m.ranks_on_node = static_cast<int>(global[2]);
  m.fits = m.node_bytes <= kUsableFraction * m.available_bytes;
  return m;
}

HistoryMemory check_history_memory(MPI_Comm comm, const HistoryFootprint& rank, double max_lag, double step,
                                   bool midpoints) {
  HistoryMemory m;
  m.rank = rank;
  m.max_lag = max_lag;
  m.step = step;
  m.midpoints = midpoints;
  const int ranks = ranks_on_this_node(comm);
  const double available = available_memory_bytes(), node = ranks * rank.bytes;
  // Max over ranks of: the excess over what is usable, the node's demand, minus what it
  // has (the least available), its ranks.
  double local[4] = {node - kUsableFraction * available, node, -available, static_cast<double>(ranks)};
  double global[4];
  check_mpi(MPI_Allreduce(local, global, 4, MPI_DOUBLE, MPI_MAX, comm), "MPI_Allreduce (history memory)");
  m.fits = !(global[0] > 0);  // an infinite or NaN demand does not fit
  m.node_bytes = global[1];
  m.available_bytes = -global[2];
  m.ranks_on_node = static_cast<int>(global[3]);
  return m;
}

double step_that_fits(const HistoryMemory& m) {
  // The store is inversely proportional to the step.
  const double step = m.step * m.node_bytes / (kUsableFraction * m.available_bytes);
  if (!std::isfinite(step) || step <= 0) return step;
  const double unit = std::pow(10.0, std::floor(std::log10(step)) - 1);
  return std::ceil(step / unit) * unit;
}

std::string format_bytes(double bytes) {
  if (!std::isfinite(bytes)) return fmt::format("{} B", bytes);
  constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (bytes >= 1024 && u < 6) {
    bytes /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{:.0f} B", bytes) : fmt::format("{:.3g} {}", bytes, kUnits[u]);
}

std::string describe(const HistoryMemory& m) {
  return fmt::format(
      "delay history (estimate) {} per rank, {} on the busiest node ({} rank{}) of {} available: {:.0f} stored "
      "steps (largest lag {:g} s / step {:g} s, + 3) of {} ({:.0f} values, {} vectors)",
      format_bytes(m.rank.bytes), format_bytes(m.node_bytes), m.ranks_on_node, m.ranks_on_node > 1 ? "s" : "",
      format_bytes(m.available_bytes), m.rank.slots, m.max_lag, m.step, format_bytes(m.rank.bytes_per_slot),
      m.rank.values_per_slot, m.midpoints ? 3 : 2);
}

}  // namespace nf
