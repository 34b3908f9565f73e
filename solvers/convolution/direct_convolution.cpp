#include <stdexcept>

#include "solvers/convolution/fft_convolution.h"
#include "solvers/convolution/offset_weights.h"

namespace nf {

std::vector<double> direct_convolution(const GridSpec& grid, const Kernel& w, const std::vector<double>& source) {
  std::array<long, 3> n{1, 1, 1}, max_offset{0, 0, 0};
  std::array<bool, 3> periodic{false, false, false};
  for (std::size_t a = 0; a < grid.cells.size(); ++a) {
    n[a] = grid.cells[a];
    periodic[a] = grid.boundary[a] == Boundary::periodic;
    max_offset[a] = periodic[a] ? n[a] / 2 : n[a] - 1;
  }
  if (source.size() != static_cast<std::size_t>(n[0] * n[1] * n[2]))
    throw std::invalid_argument("direct_convolution: the source does not hold one value per cell");
  OffsetWeights weight(w, grid, max_offset);
  auto offset = [&](int a, long target, long from) {
    return periodic[a] ? axis_offset(((target - from) % n[a] + n[a]) % n[a], n[a], n[a], true) : target - from;
  };
  std::vector<double> out(source.size(), 0.0);
  for (long k = 0; k < n[2]; ++k)
    for (long j = 0; j < n[1]; ++j)
      for (long i = 0; i < n[0]; ++i) {
        double sum = 0;
        for (long kk = 0; kk < n[2]; ++kk)
          for (long jj = 0; jj < n[1]; ++jj)
            for (long ii = 0; ii < n[0]; ++ii)
              sum += weight(offset(0, i, ii), offset(1, j, jj), offset(2, k, kk)) * source[(kk * n[1] + jj) * n[0] + ii];
        out[(k * n[1] + j) * n[0] + i] = sum;
      }
  return out;
}

}  // namespace nf
