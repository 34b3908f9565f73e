#pragma once
// Distance-dependent delays of an exponential kernel as local PDEs (DelayMethod::wave;
// docs/theory.md, "Axonal delays: the wave method"). In 1D, with
// w = (a/2 s) e^{-|x|/s} and gamma = v/s (1/s), the delayed convolution
//   psi(x, t) = int w(x - y) f(y, t - |x - y|/v) dy = (a/2) (psi_R + psi_L),
//   d_t psi_R + v d_x psi_R = gamma (f - psi_R),   d_t psi_L - v d_x psi_L = gamma (f - psi_L),
// exactly: psi_R = gamma int_0^inf e^{-gamma s} f(x - v s, t - s) ds, psi_L its mirror.
// psi_R and psi_L are state components of their own, appended after the model's and
// integrated with them. Cell averages, finite volumes: third-order upwind-biased face
// values (kappa = 1/3), q_{i+1/2} = (-q_{i-1} + 5 q_i + 2 q_{i+1})/6 upwind of the
// face, the cell's source its active fraction (firing.h); bounded axes take nothing in
// (face value 0 at the inflow end, linear extrapolation at the outflow end), periodic
// ones wrap. The input handed to the model is the point value at the cell centre,
// q_i - (q_{i+1} - 2 q_i + q_{i-1})/24 (fourth order), like the FFT path's.
//
// In 2D the radial exponential kernel (a/2 pi s^2) e^{-r/s} has no local equivalent.
// Its stand-in is the damped-wave equation with the source-derivative term (Jirsa and
// Haken, PRL 77:960 (1996)), range s, gamma = v/s:
//   phi_tt + 2 gamma phi_t + gamma^2 phi - v^2 lap phi = (gamma^2 + gamma d_t) f,   psi = a phi,
// as two first-order fields phi and chi = phi_t - gamma f ("phi", "chi") on the cell
// centres with the second-order central Laplacian. A field uniform along y obeys
// exactly the 1D equations above (its symbol at k_y = 0 is the 1D kernel's); against
// the radial kernel's symbol (1/s^2) alpha/(alpha^2 + k^2)^{3/2}, alpha = (1 + lambda/gamma)/s,
// the error is documented in docs/theory.md. Bounded axes: beyond the edge the field
// decays as at rest, phi_ghost = e^{-h/s} phi_edge.
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "meshes/grid.h"
#include "solvers/convolution/coupling.h"

namespace nf {

// A wave coupling the method cannot take (a kernel other than exponential, a 3D grid).
class WaveUnsupported : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

inline bool is_wave(const Coupling& c) { return c.velocity > 0 && c.delay_method == DelayMethod::wave; }

// The model's grid with two components per wave coupling appended ("psi_R", "psi_L"
// on a line, "phi", "chi" in 2D; suffixed "_<coupling name>" when there are
// several), the stencil at least 2 wide.
GridSpec with_wave_fields(GridSpec model_grid, const std::vector<Coupling>& couplings);

// The largest Courant number v dt / h for which an explicit Runge-Kutta method of
// order p (stability function: the Taylor polynomial of e^z to order p, exact for the
// methods with p stages) keeps the upwind-biased transport above stable for every
// wavenumber; 0 for p = 1 (forward Euler amplifies its smooth modes at any step).
double wave_courant_bound(int order);
// The same for the telegraph fields on cells h (m per axis), gamma (1/s): v dt / min h,
// over the eigenvalues -gamma +- sqrt(gamma^2 - v^2 L), L in [0, sum_a 4/h_a^2].
double telegraph_courant_bound(int order, const std::vector<double>& h, double gamma, double v);

class WaveCouplings {
 public:
  // grid: with_wave_fields(...) of the model's grid; first_component: the first
  // appended component (the model's component count). Couplings not is_wave are
  // ignored. Throws WaveUnsupported.
  WaveCouplings(const Grid& grid, const std::vector<Coupling>& couplings, int first_component);

  bool empty() const { return fields_.empty(); }
  // The largest v / h (1/s) over the wave couplings and axes: v dt / h = rate * dt.
  double courant_rate() const { return courant_rate_; }
  // The bound on v dt / h of the fields' schemes under an explicit method of `order`
  // (the smallest over the couplings).
  double courant_bound(int order) const;
  // From the ghosted state u at one time: the wave components' du/dt into f (owned,
  // all components), and each coupling's psi added to inputs[target] (owned cells).
  void evaluate(const double* u_ghosted, double* f, std::span<double* const> inputs);
  // The wave components of f set to 0 (the stiff part of an IMEX split).
  void zero_rates(double* f) const;
  // The wave components of u (owned, all components) for a history constant in time:
  // psi_R, psi_L the one-sided exponential convolutions (cell averages) of the source
  // of the ghosted state u_ghosted, by FFT (fft_convolution.h).
  void initialise(const double* u_ghosted, double* u);

 private:
  struct Field {
    Coupling coupling;
    int right = 0, left = 0;       // components psi_R, psi_L
    double amplitude = 0, sigma = 0;  // a (1), s (m)
  };
  void telegraph(const Field& field, const double* u, double* f, double* input) const;
  void initialise_telegraph(const Field& field, double* u);
  void fill(const Field& field, const double* u_ghosted);
  void transport(const Field& field, const double* u, double* f, double* input) const;

  const Grid& grid_;
  std::vector<Field> fields_;
  double courant_rate_ = 0;
  std::vector<double> source_;                 // owned cells: the firing fraction
  std::vector<std::vector<double>> moments_;   // per axis (sub-cell heaviside; unused here)
  std::vector<double*> moment_arrays_;
};

}  // namespace nf
