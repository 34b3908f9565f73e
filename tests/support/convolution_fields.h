#pragma once
// Test support for the FFT convolution: grids, seeded random sources defined per
// global cell (so the same on any rank count), owned-cell views and gathers.
#include <cstdint>
#include <vector>

#include "meshes/grid.h"

namespace nf::test {

GridSpec convolution_grid(std::vector<PetscInt> cells, std::vector<Boundary> boundary, std::vector<double> spacing,
                          int components = 1);

// Uniform in [-1, 1) from (seed, global cell index): every cell of the grid, x fastest.
std::vector<double> random_field(const GridSpec& spec, std::uint64_t seed);

// The owned cells of `patch` taken from a field over every cell (x fastest).
std::vector<double> owned_part(const Patch& patch, const std::vector<double>& global);

// Every cell of the grid on rank 0 (empty elsewhere) from each rank's owned cells.
std::vector<double> gather_on_rank0(MPI_Comm comm, const Patch& patch, const std::vector<double>& owned);

}  // namespace nf::test
