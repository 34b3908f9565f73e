#include "tests/support/convolution_fields.h"

namespace nf::test {

GridSpec convolution_grid(std::vector<PetscInt> cells, std::vector<Boundary> boundary, std::vector<double> spacing,
                          int components) {
  GridSpec s;
  s.cells = std::move(cells);
  s.boundary = std::move(boundary);
  s.spacing = std::move(spacing);
  for (int c = 0; c < components; ++c) s.component_names.push_back("u" + std::to_string(c));
  return s;
}

namespace {
std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace

std::vector<double> random_field(const GridSpec& spec, std::uint64_t seed) {
  std::size_t n = 1;
  for (PetscInt c : spec.cells) n *= static_cast<std::size_t>(c);
  std::vector<double> f(n);
  for (std::size_t i = 0; i < n; ++i)
    f[i] = 2.0 * static_cast<double>(splitmix64(seed * 0x100000001b3ULL + i) >> 11) / 9007199254740992.0 - 1.0;
  return f;
}

std::vector<double> owned_part(const Patch& p, const std::vector<double>& global) {
  std::vector<double> owned;
  for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
    for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
      for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i)
        owned.push_back(global[(k * p.global[1] + j) * p.global[0] + i]);
  return owned;
}

std::vector<double> gather_on_rank0(MPI_Comm comm, const Patch& p, const std::vector<double>& owned) {
  std::vector<double> mine(p.global[0] * p.global[1] * p.global[2], 0.0), all;
  std::size_t n = 0;
  for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
    for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j)
      for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i)
        mine[(k * p.global[1] + j) * p.global[0] + i] = owned[n++];
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  if (rank == 0) all.resize(mine.size());
  MPI_Reduce(mine.data(), rank == 0 ? all.data() : nullptr, static_cast<int>(mine.size()), MPI_DOUBLE, MPI_SUM, 0,
             comm);
  return all;
}

}  // namespace nf::test
