#pragma once
// Cell weights W(o) = cell_weight at integer cell offsets o = (o_x, o_y, o_z) of a
// grid: the kernel is radial, so W depends on |o| per axis only and each is computed
// once, on first use.
#include <array>
#include <vector>

#include "meshes/grid.h"
#include "solvers/convolution/kernel.h"

namespace nf {

class OffsetWeights {
 public:
  // |o_a| <= max_offset[a] along the grid's axes.
  OffsetWeights(const Kernel& w, const GridSpec& grid, const std::array<long, 3>& max_offset);
  double operator()(long ox, long oy, long oz);

 private:
  const Kernel& w_;
  std::array<double, 3> h_{1, 1, 1};
  std::array<long, 3> extent_{1, 1, 1};
  std::vector<double> table_;  // NaN until computed
};

// G_a(o) = -(W(o + e_a) - W(o - e_a)) / (2 h_a) (1/m): the moment kernel of the
// sub-cell Heaviside (firing.h), the cell-weight derivative by central differences
// (W needs the range one beyond o along a).
// On a periodic axis of an even cell count the offset N/2 is its own image -N/2: an
// odd kernel (the moment kernel along that axis) is 0 there (its images cancel).
double moment_weight(OffsetWeights& weight, const GridSpec& grid, int axis, long ox, long oy, long oz);

// The signed cell offset represented by index m of an axis of the (possibly padded)
// transform size `size` with `cells` cells: minimal image when periodic (size =
// cells); when bounded, m < cells is o = m, m > size - cells is m - size, and the
// indices between pair no two cells (kNoOffset).
constexpr long kNoOffset = -(1L << 62);
long axis_offset(long m, long size, long cells, bool periodic);

}  // namespace nf
