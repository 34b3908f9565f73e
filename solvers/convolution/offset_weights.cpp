#include "solvers/convolution/offset_weights.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>

#include "solvers/convolution/fft_convolution.h"

namespace nf {

OffsetWeights::OffsetWeights(const Kernel& w, const GridSpec& grid, const std::array<long, 3>& max_offset) : w_(w) {
  if (static_cast<int>(grid.cells.size()) != w.dimension())
    throw std::invalid_argument("the kernel's dimension differs from the grid's");
  for (std::size_t a = 0; a < grid.cells.size(); ++a) {
    h_[a] = grid.spacing[a];
    extent_[a] = max_offset[a] + 1;
  }
  table_.assign(extent_[0] * extent_[1] * extent_[2], std::numeric_limits<double>::quiet_NaN());
}

double OffsetWeights::operator()(long ox, long oy, long oz) {
  const long ax = std::labs(ox), ay = std::labs(oy), az = std::labs(oz);
  double& entry = table_[(az * extent_[1] + ay) * extent_[0] + ax];
  if (std::isnan(entry)) entry = cell_weight(w_, {ax * h_[0], ay * h_[1], az * h_[2]}, h_);
  return entry;
}

double moment_weight(OffsetWeights& weight, const GridSpec& grid, int axis, long ox, long oy, long oz) {
  const auto a = static_cast<std::size_t>(axis);
  const long o[3] = {ox, oy, oz};
  if (grid.boundary[a] == Boundary::periodic && grid.cells[a] % 2 == 0 && std::labs(o[a]) == grid.cells[a] / 2)
    return 0;
  const double h = grid.spacing[a];
  std::array<long, 3> plus{ox, oy, oz}, minus{ox, oy, oz};
  plus[static_cast<std::size_t>(axis)] += 1;
  minus[static_cast<std::size_t>(axis)] -= 1;
  return -(weight(plus[0], plus[1], plus[2]) - weight(minus[0], minus[1], minus[2])) / (2 * h);
}

long axis_offset(long m, long size, long cells, bool periodic) {
  if (periodic) return 2 * m <= size ? m : m - size;
  if (m < cells) return m;
  if (m > size - cells) return m - size;
  return kNoOffset;
}

}  // namespace nf
