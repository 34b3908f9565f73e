#include "bench/bench_support.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "base/petsc_error.h"

namespace nf::bench {

PetscSession::PetscSession(int* argc, char*** argv) {
  if (PetscInitialize(argc, argv, nullptr, nullptr)) throw std::runtime_error("PetscInitialize failed");
}

PetscSession::~PetscSession() { PetscFinalize(); }

GridSpec line_grid(PetscInt cells, double spacing) {
  GridSpec g;
  g.cells = {cells};
  g.boundary = {Boundary::bounded};
  g.spacing = {spacing};
  g.component_names = {"u"};
  return g;
}

GridSpec rectangle_grid(PetscInt nx, PetscInt ny, double spacing) {
  GridSpec g;
  g.cells = {nx, ny};
  g.boundary = {Boundary::bounded, Boundary::bounded};
  g.spacing = {spacing, spacing};
  g.component_names = {"u"};
  return g;
}

StepClock::StepClock(MPI_Comm comm, PetscInt first, PetscInt last) : comm_(comm), first_(first), last_(last) {
  if (!(0 <= first && first < last)) throw std::invalid_argument("StepClock needs 0 <= first < last");
}

void StepClock::observe(const StepState& state) {
  if (state.step != first_ && state.step != last_) return;
  MPI_Barrier(comm_);
  (state.step == first_ ? start_ : stop_) = MPI_Wtime();
}

WindowTiming time_window(const DelaySystem& system, const IntegratorSettings& settings, PetscInt first,
                         PetscInt last) {
  const IntegratorBackend* backend = find_integrator_backend("petsc");
  if (!backend) throw std::runtime_error("no PETSc integrator backend registered");
  std::unique_ptr<Integrator> integrator = backend->make(system, settings);
  Vec u = nullptr;
  check_petsc(DMCreateGlobalVector(system.dm(), &u));
  StepClock clock(PetscObjectComm(reinterpret_cast<PetscObject>(system.dm())), first, last);
  StepObserver* observers[] = {&clock};
  RunStats stats;
  try {
    stats = integrator->run(u, observers);
  } catch (...) {
    VecDestroy(&u);
    throw;
  }
  VecDestroy(&u);
  if (!clock.complete())
    throw std::runtime_error(fmt::format("the run ended after {} steps, before step {}", stats.steps, last));
  return {clock.seconds(), clock.steps(), stats.steps};
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

PetscErrorCode TimedSystem::rhs(double t, Vec u_local, std::span<const Vec> delayed_local, Vec f,
                                RhsPart part) const {
  const double start = MPI_Wtime();
  const PetscErrorCode ierr = inner_.rhs(t, u_local, delayed_local, f, part);
  seconds_ += MPI_Wtime() - start;
  ++calls_;
  return ierr;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace nf::bench
