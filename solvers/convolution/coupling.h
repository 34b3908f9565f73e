#pragma once
// A nonlocal coupling as a model declares it: the input
//   I_target(x, t) += int w(|x - y|) f(u_c(y, t - d - |x - y|/v)) dy
// from a firing function f of one state component u_c, a kernel w, a constant lag d
// (0: none) and a conduction velocity v (0: instantaneous). A kernel that is not
// radial (one shifted along an axis, say) is given by its cell weights instead. Couplings with the same target are summed into one
// input array, which the model's rhs reads beside its state. The solvers evaluate
// couplings; the model writes only local arithmetic.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "solvers/convolution/kernel.h"

namespace nf {

// Firing-rate functions f(u), dimensionless, in [0, 1] except linear.
enum class FiringKind {
  heaviside,         // H(u - theta), sub-cell: see solvers/convolution/firing.h
  heaviside_cells,   // H(u_j - theta) per cell centre: O(h) front error, pinning of slow fronts
  sigmoid,           // 1 / (1 + exp(-beta (u - theta)))
  piecewise_linear,  // clamp(1/2 + beta (u - theta), 0, 1)
  linear,            // u (a linear field, e.g. the predictive-coding continuum)
};

struct Firing {
  FiringKind kind = FiringKind::heaviside;
  double threshold = 0;   // theta, units of u
  double steepness = 1;   // beta, 1/(units of u): sigmoid and piecewise_linear
};

// How a coupling with a conduction velocity reads its delayed sources (DESIGN: delays):
// rings split the kernel by distance, each ring read from the history at its own lag;
// wave replaces an exponential kernel by the local PDE it is the Green's function of.
enum class DelayMethod { rings, wave };

struct Coupling {
  std::string name;                       // for messages, e.g. "w_EI"
  int source_component = 0;               // u_c: the component the firing function reads
  Firing firing;
  std::shared_ptr<const Kernel> kernel;
  double velocity = 0;                    // v (m/s); 0: instantaneous
  int target = 0;                         // input slot (RhsArgs::inputs) receiving the sum
  DelayMethod delay_method = DelayMethod::rings;  // with velocity > 0
  int rings = 0;                          // ring count for DelayMethod::rings; 0: automatic
  double lag = 0;                         // d (s): constant delay of the source; only with velocity 0
  // W(o_x, o_y, o_z): the weight (the kernel integrated over the cell, units of w times
  // m^d) of a source cell for a target o cells beyond it, o = target - source (cells
  // per axis; minimal image on periodic axes). Replaces `kernel` when set (e.g. a kernel centred off the origin);
  // called only while the coupling is set up. Only with velocity 0.
  std::function<double(long, long, long)> cell_weights = nullptr;
};

// The number of input slots the couplings fill (1 + the largest target; 0 for none).
int input_count(const std::vector<Coupling>& couplings);

}  // namespace nf
