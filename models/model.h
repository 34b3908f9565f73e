#pragma once
// What a model is: physics on the local patch of a grid, nothing else. A model
// declares its grid, its lags, its state at rest, and its right-hand side; it makes
// no integrator, no mesh object and no file.
#include <complex>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "meshes/grid.h"
#include "models/drive.h"
#include "base/parameters.h"
#include "base/rhs_part.h"
#include "solvers/convolution/coupling.h"
#include "solvers/diffusion/diffusion_operator.h"

namespace nf {

// The arrays a right-hand side reads and writes on one rank, for one time t.
struct RhsArgs {
  double t = 0;                                 // s
  const Patch* patch = nullptr;
  const double* u = nullptr;                    // ghosted local state at t
  std::span<const double* const> delayed;       // ghosted u(t - lags()[k]), model's lag order
  double* f = nullptr;                          // owned du/dt
  RhsPart part = RhsPart::all;                  // stiff: no delayed arrays (all null)
  // Owned arrays, one value per cell, one per input slot of couplings(): the summed
  // nonlocal inputs at t (null for the stiff part).
  std::span<const double* const> inputs;
};

// How a pulled front's position departs from a steady speed c when it starts from
// data of compact support (or a step) (M. Bramson, Mem AMS 285 (1983); U. Ebert &
// W. van Saarloos, Physica D 146:1 (2000)):
//   x(t) = c t - log_shift ln t + const + b t^(-1/2) + d t^(-1) + ...,
// log_shift = 3/(2 lambda*) (m), lambda* (1/m) the leading edge's decay rate. The log
// term is universal and removed exactly. b is universal too, but the run times a deck
// can afford (r t ~ 10-100) are far from where it dominates, so with fit_transients b
// and d are fitted beside c: at r t = 15 that leaves c within 0.6%, against 1.3% for
// the log term alone and 5% with the asymptotic b. Both off for a pushed front (a
// bistable one), whose speed converges exponentially.
struct FrontDrift {
  double log_shift = 0;         // m
  bool fit_transients = false;  // fit b t^(-1/2) + d t^(-1) with c
};

// The rightmost root of the model's characteristic equation: the mode that decides
// whether a perturbation of the rest state grows (Re > 0) or decays.
// Excitable media: the levels of component 0 (u) and component 1 (w) whose level sets
// meet at a spiral's tip (postprocess/spiral_tip.h).
struct TipLevels {
  double u = 0;
  double w = 0;
};

struct PredictedMode {
  std::complex<double> rate;                    // lambda (1/s)
  std::string label;                            // which family/mode, e.g. "j = 8"
};

// An exact front u(xi), xi = x - c t (m), crossing front_level() at xi = 0, moving at
// c (m/s). Started from it, the front has no transient: its position is c t + const.
struct TravellingWave {
  std::function<double(double)> profile;
  double speed;  // m/s
};

class Model {
 public:
  virtual ~Model() = default;
  virtual GridSpec grid() const = 0;
  // Lags (s) in the order rhs() reads them from RhsArgs::delayed; duplicates allowed.
  virtual std::vector<double> lags() const = 0;
  // Writes the requested part of du/dt; the stiff part (for IMEX methods) reads no
  // delayed state. A model without a split returns 0 for the stiff part.
  virtual void rhs(const RhsArgs& args) const = 0;
  virtual bool has_stiff_part() const { return false; }
  // Nonlocal couplings (solvers/convolution/coupling.h), evaluated by the solvers and
  // handed to rhs() as RhsArgs::inputs.
  virtual std::vector<Coupling> couplings() const { return {}; }
  // The level of component 0 whose crossing marks a front or a bump edge (a firing
  // threshold), for the front and bump measurements of summary.json; none without.
  virtual std::optional<double> front_level() const { return std::nullopt; }
  // The exact travelling front of a one-component model, for initial.type
  // travelling_wave; none if the model has none.
  virtual std::optional<TravellingWave> travelling_wave() const { return std::nullopt; }
  // The homogeneous steady state, one value per component, that the initial state
  // (problem/initial_state.h) is added to; empty: 0 for every component.
  virtual std::vector<double> rest_state() const { return {}; }
  // Excitable media: the level sets whose intersection is a spiral's tip; with them
  // summary.json reports pulse_speed and pulse_width (1D, from the crossings of
  // front_level()) or spiral_period (2D, 3D, in place of the front and bump keys).
  // None without.
  virtual std::optional<TipLevels> tip_levels() const { return std::nullopt; }
  // The analytical speed (m/s) of a planar front along the first axis, if known.
  virtual std::optional<double> predicted_front_speed() const { return std::nullopt; }
  // The known slow drift of that front's position (FrontDrift), which the speed fit
  // removes before it fits a line.
  virtual FrontDrift front_drift() const { return {}; }
  // The model's diffusion: the solvers add sum_c D_c laplacian(u_c) to f
  // (solvers/diffusion/diffusion_operator.h) as the stiff part of the right-hand side
  // (for IMEX methods), and assemble it as that part's Jacobian; rhs() writes the
  // rest. None without.
  virtual std::optional<DiffusionSpec> diffusion() const { return std::nullopt; }
  // The first time later than `after` where f's explicit dependence on t (its drive,
  // at the delay with which the drive enters) is not smooth, and the order of the
  // derivative of f that jumps there; none for a model without such terms.
  virtual std::optional<Discontinuity> next_forcing_discontinuity(double /*after*/) const { return std::nullopt; }
  // The linear prediction for the free response about rest: the rightmost root over
  // the independent members of the model's characteristic equation (one per Dirichlet
  // mode, or per lattice wavenumber, ...). A model without one has no members. Each
  // member is a root search on its own, so the caller may share the members out.
  virtual std::size_t predicted_mode_count() const { return 0; }
  // The rightmost root of member k < predicted_mode_count().
  virtual PredictedMode predicted_mode(std::size_t) const { throw std::logic_error("the model predicts no modes"); }
};

struct ModelContext {
  ParamValues params;
  GridSpec mesh;                                // the deck's mesh section (cells, spacing, boundary); empty without
  std::shared_ptr<const Drive> drive;
  std::string drive_site;                       // where the drive enters ("bottom", "top", ...)
};

struct ModelType {
  std::string name;
  std::string doc;
  std::string reference;
  std::vector<ParamSpec> params;
  std::vector<std::string> drive_sites;         // allowed input.at values; first is the default
  bool uses_mesh = false;                       // the model lives on the deck's mesh section
  std::function<std::unique_ptr<Model>(const ModelContext&)> make;
};

}  // namespace nf
