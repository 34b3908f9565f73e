// Cost of a sweep point beyond its run (docs/performance.md, Sweeps): the 32 points of
// bench/sweep_chain.yaml run by one process in a plain loop (Deck::parse and
// run_simulation per point, the overrides the sweep gives them, no table), then as a
// sweep (run_sweep: the shared counter, the table rewritten after every point, the
// scratch folder removed). Per point it prints the integration alone (the run's own
// stats), the whole run in the loop, and the sweep's point; the differences are the
// run's set-up and analysis, and the sweep's own overhead. Last, the table alone: 32 and
// 1000 rows added one by one (each add rewrites and fsyncs both files).
//   bench_sweep DECK WORK_DIR                  (on 1 rank: loop and sweep)
//   mpiexec -n 2 bench_sweep DECK WORK_DIR     (the sweep only: the loop is a 1-rank figure)
#include <fmt/format.h>
#include <petscsys.h>

#include <chrono>
#include <filesystem>

#include "bench/bench_support.h"
#include "problem/progress.h"
#include "problem/simulation.h"
#include "problem/sweep_run.h"
#include "problem/sweep_table.h"

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

}  // namespace

int main(int argc, char** argv) {
  nf::bench::PetscSession session(&argc, &argv);
  if (argc < 3) {
    fmt::print(stderr, "usage: bench_sweep DECK WORK_DIR\n");
    return 2;
  }
  const std::string deck_path = argv[1];
  const std::filesystem::path work = argv[2];
  int rank = 0, size = 1;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  MPI_Comm_size(PETSC_COMM_WORLD, &size);
  const nf::SweepSpec spec = nf::read_sweep_spec(deck_path);
  const double n = static_cast<double>(spec.points.size());
  nf::set_progress_lines(false);
  if (size == 1) {
    double integration = 0;
    const double t0 = now();
    for (std::size_t p = 0; p < spec.points.size(); ++p) {
      std::vector<std::string> o = spec.point_overrides(p);
      o.insert(o.end(), {"output.vtk=false", "output.hdf5=false", "output.dir=" + (work / "loop").string()});
      const nf::SimulationResult r = nf::run_simulation(nf::Deck::parse(spec.base_text, deck_path, o),
                                                        PETSC_COMM_WORLD, "loop");
      integration += r.stats.wall_seconds;
    }
    const double loop = now() - t0;
    fmt::print("loop   {} points in {:.3f} s: {:.1f} ms a point, of which integration {:.1f} ms, run set-up and "
               "analysis {:.1f} ms\n",
               spec.points.size(), loop, 1e3 * loop / n, 1e3 * integration / n, 1e3 * (loop - integration) / n);
  }
  if (rank == 0) std::filesystem::remove_all(work / fmt::format("sweep_{}", size));
  MPI_Barrier(PETSC_COMM_WORLD);
  const double t0 = MPI_Wtime();
  const nf::SweepOutcome o = nf::run_sweep(spec, {"output.dir=" + (work / fmt::format("sweep_{}", size)).string()},
                                           "sweep", PETSC_COMM_WORLD);
  const double sweep = MPI_Wtime() - t0;
  if (rank == 0)
    fmt::print("sweep  {} points in {:.3f} s on {} rank{}: {:.2f} points/s, {:.1f} ms a point per rank ({} failed)\n",
               o.total, sweep, size, size > 1 ? "s" : "", n / sweep, 1e3 * sweep * size / n, o.failures);
  if (rank == 0)
    for (const std::size_t rows : {std::size_t{32}, std::size_t{1000}}) {
      // The table alone: each add rewrites sweep.h5 and sweep.csv whole (and fsyncs them).
      const std::filesystem::path dir = work / fmt::format("table_{}", rows);
      std::filesystem::remove_all(dir);
      std::filesystem::create_directories(dir);
      nf::SweepTable table(dir, {{"model.delay", "model.tau"}, {"frequency_hz", "growth_rate_per_s"}, "0", "", rows});
      const double start = now();
      double last = start;
      for (std::size_t p = 0; p < rows; ++p) {
        last = now();
        table.add({p, {"0.012", "0.017"}, "ok", "", 0.5, 1, {13.0, -0.36}});
      }
      const double end = now();
      fmt::print("table  {} rows: {:.2f} ms a row on average, {:.2f} ms for the last row\n", rows,
                 1e3 * (end - start) / static_cast<double>(rows), 1e3 * (end - last));
    }
  return 0;
}
