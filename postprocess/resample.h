#pragma once
// Signals recorded at accepted steps, put on a uniform time grid for spectral fits.
// A grid time that coincides with a recorded one (fixed steps) takes the recorded
// value exactly; otherwise the value is the cubic Lagrange interpolant through the four
// nearest samples (error O(h^4) for smooth signals, h the local step).
#include <vector>

namespace nf {

// Values of (times, values) at t_first + k*dt, k = 0..count-1. times ascending, at
// least 4 of them, and the grid inside [times.front(), times.back()].
std::vector<double> resample_uniform(const std::vector<double>& times, const std::vector<double>& values,
                                     double t_first, double dt, std::size_t count);

}  // namespace nf
