#include "models/predictive_coding_continuum.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "solvers/stability/complex_roots.h"

namespace nf {
namespace {

using cd = std::complex<double>;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr cd I{0, 1};
// A periodic axis must hold the kernel's offset plus this many widths on either side
// (the Gaussian is below 1e-12 of its peak beyond 7.4 widths).
constexpr double kReachWidths = 7.5;

double inv(double tau) { return std::isinf(tau) ? 0.0 : 1.0 / tau; }

// The standard normal mass in [a, b], accurate in both tails.
double normal_mass(double a, double b) {
  constexpr double r = std::numbers::sqrt2 / 2;
  if (a >= 0) return 0.5 * (std::erfc(a * r) - std::erfc(b * r));
  if (b <= 0) return 0.5 * (std::erfc(-b * r) - std::erfc(-a * r));
  return 0.5 * (std::erf(b * r) - std::erf(a * r));
}

// W(o) of a normalised Gaussian of the displacement target - source, of width `width`
// centred at `centre` (units of the cell size h), for the source cell o cells from
// the target: its mass in [(o - 1/2) h, (o + 1/2) h]. Width 0: the cell that holds
// the centre.
double gaussian_cell_weight(long o, double h, double centre, double width) {
  const double lo = (static_cast<double>(o) - 0.5) * h - centre, hi = lo + h;
  if (width == 0) return (lo <= 0 && 0 < hi) ? 1.0 : 0.0;
  return normal_mass(lo / width, hi / width);
}

// sum_o W(o) e^{-i theta o} over the minimal-image offsets of a periodic axis of n
// cells (-n/2 < o <= n/2), theta = the wavenumber times the cell size: the eigenvalue
// of the discrete convolution (W * s)_i = sum_j W(i - j) s_j on e^{i theta j}.
template <class Weight>
cd grid_symbol(PetscInt n, double theta, const Weight& weight) {
  cd sum = 0;
  for (long o = -(static_cast<long>(n) - 1) / 2; o <= static_cast<long>(n) / 2; ++o)
    sum += weight(o) * std::exp(-I * theta * static_cast<double>(o));
  return sum;
}

class PcContinuum final : public Model {
 public:
  explicit PcContinuum(const ModelContext& ctx)
      : p_(PcContinuumParams::from(ctx.params)), drive_(ctx.drive), at_top_(ctx.drive_site == "top") {
    check_fits();
    cells_xi_ = static_cast<PetscInt>(p_.layers) * p_.cells_per_layer;
    h_xi_ = 1.0 / p_.cells_per_layer;
    for (std::size_t a = 0; a < p_.lateral_cells.size(); ++a)
      h_lateral_.push_back(p_.lateral_length[a] / static_cast<double>(p_.lateral_cells[a]));
    for (PetscInt i = 0; i < cells_xi_; ++i) bottom_mass_.push_back(bottom_mass(i));
    const PetscInt ny = p_.lateral_cells.size() > 0 ? p_.lateral_cells[0] : 1;
    const PetscInt nz = p_.lateral_cells.size() > 1 ? p_.lateral_cells[1] : 1;
    for (PetscInt k = 0; k < nz; ++k)
      for (PetscInt j = 0; j < ny; ++j) profile_.push_back(input_profile(j, k));
  }

  GridSpec grid() const override {
    GridSpec g;
    g.cells = {cells_xi_};
    g.boundary = {p_.periodic ? Boundary::periodic : Boundary::bounded};
    g.spacing = {h_xi_};
    g.cell_params = {""};
    for (std::size_t a = 0; a < p_.lateral_cells.size(); ++a) {
      g.cells.push_back(p_.lateral_cells[a]);
      g.boundary.push_back(p_.lateral_periodic[a] ? Boundary::periodic : Boundary::bounded);
      g.spacing.push_back(h_lateral_[a]);
      g.cell_params.push_back("");
    }
    g.component_names = {"y"};
    g.stencil_width = 1;
    g.cells_per_level = p_.cells_per_layer;
    return g;
  }

  std::vector<double> lags() const override { return {2 * p_.delay}; }

  // (w_ff * y)(t - dT)/tau + (w_fb * y)(t - db)/tau_D, summed into input 0: the sum
  // costs one inverse transform, not two.
  std::vector<Coupling> couplings() const override {
    std::vector<Coupling> c = {coupling("w_ff", p_.spacing, p_.delay, 1 / p_.tau)};
    if (inv(p_.tau_d) != 0) c.push_back(coupling("w_fb", -p_.spacing, p_.feedback_delay, inv(p_.tau_d)));
    return c;
  }

  // Stiff part (implicit in IMEX): the undelayed decay -y/tau_D. The rest is explicit.
  void rhs(const RhsArgs& a) const override {
    const Patch& p = *a.patch;
    const bool explicit_terms = a.part != RhsPart::stiff, stiff_terms = a.part != RhsPart::nonstiff;
    const double r = 1 / p_.tau, rd = inv(p_.tau_d);
    const double* y = a.u;
    const double* y_2dT = explicit_terms ? a.delayed[0] : nullptr;
    const double* coupled = explicit_terms ? a.inputs[0] : nullptr;
    const double drive_late = drive_ && explicit_terms && !at_top_ ? drive_->value(a.t - p_.delay) : 0.0;
    const double drive_now = drive_ && explicit_terms && at_top_ ? drive_->value(a.t) : 0.0;
    const PetscInt top_first = static_cast<PetscInt>(p_.layers - 1) * p_.cells_per_layer;
    const PetscInt ny = p.global[1];
    for (PetscInt k = p.start[2]; k < p.start[2] + p.count[2]; ++k)
      for (PetscInt j = p.start[1]; j < p.start[1] + p.count[1]; ++j) {
        const double profile = profile_[static_cast<std::size_t>(k * ny + j)];
        for (PetscInt i = p.start[0]; i < p.start[0] + p.count[0]; ++i) {
          const PetscInt o = p.owned(i, j, k), g = p.ghosted(i, j, k);
          double f = 0;
          if (explicit_terms) {
            const double below = drive_late * profile * bottom_mass_[static_cast<std::size_t>(i)];
            f += coupled[o] + (below - y_2dT[g]) * r + (i >= top_first ? drive_now * profile : 0.0);
          }
          if (stiff_terms) f -= y[g] * rd;
          a.f[o] = f;
        }
      }
  }

  bool has_stiff_part() const override { return inv(p_.tau_d) != 0; }

  // The drive enters as I(t - dT) at the bottom and as I(t) at the top.
  std::optional<Discontinuity> next_forcing_discontinuity(double after) const override {
    return shifted_discontinuity(drive_.get(), after, at_top_ ? 0.0 : p_.delay);
  }

  // Translation-invariant grids only (periodic along xi, and along every lateral
  // axis unless there is no lateral spread): one member per grid wavenumber pair
  // (q_m = 2 pi m / layers, m = 0..N_xi/2; lateral k_n = 2 pi n / length, n = 0..N/2
  // per axis), (0, 0) excluded (lambda = 0: the neutral uniform state).
  std::size_t predicted_mode_count() const override {
    if (!translation_invariant()) return 0;
    std::size_t n = static_cast<std::size_t>(cells_xi_ / 2 + 1);
    for (std::size_t a = 0; a < lateral_modes().size(); ++a) n *= lateral_modes()[a];
    return n - 1;
  }

  PredictedMode predicted_mode(std::size_t member) const override {
    std::size_t index = member + 1;
    const auto m_count = static_cast<std::size_t>(cells_xi_ / 2 + 1);
    const std::size_t m = index % m_count;
    index /= m_count;
    double lateral_symbol = 1;
    std::string lateral;
    for (std::size_t a = 0; a < lateral_modes().size(); ++a) {
      const std::size_t n = index % lateral_modes()[a];
      index /= lateral_modes()[a];
      const double k = 2 * std::numbers::pi * static_cast<double>(n) / p_.lateral_length[a];
      lateral_symbol *= grid_symbol(p_.lateral_cells[a], k * h_lateral_[a],
                                    [&](long o) { return gaussian_cell_weight(o, h_lateral_[a], 0, p_.lateral_width); })
                            .real();
      lateral += fmt::format(", k_{} = 2 pi {}/{:g} m", "xyz"[a + 1], n, p_.lateral_length[a]);
    }
    const double q = 2 * std::numbers::pi * static_cast<double>(m) / p_.layers;
    const auto along_xi = [&](double centre) {
      return lateral_symbol * grid_symbol(cells_xi_, q * h_xi_, [&](long o) {
               return gaussian_cell_weight(o, h_xi_, centre, p_.kernel_width);
             });
    };
    const PcKernelSymbols w{along_xi(p_.spacing), along_xi(-p_.spacing)};
    return {pc_continuum_root(p_, w), fmt::format("q = 2 pi {}/{}{} (the grid's kernel symbols)", m, p_.layers, lateral)};
  }

 private:
  // rate (1/s) x y read `lag` earlier through a Gaussian w(xi - xi') of the
  // displacement xi - xi' centred at `centre` layers (positive: the source lies below),
  // times the lateral Gaussian; into input 0.
  Coupling coupling(std::string name, double centre, double lag, double rate) const {
    Coupling c;
    c.name = std::move(name);
    c.firing.kind = FiringKind::linear;
    c.lag = lag;
    c.target = 0;
    const double h = h_xi_, sigma = p_.kernel_width, l = p_.lateral_width;
    const std::vector<double> hl = h_lateral_;
    c.cell_weights = [h, sigma, l, hl, centre, rate](long ox, long oy, long oz) {
      double w = rate * gaussian_cell_weight(ox, h, centre, sigma);
      if (hl.size() > 0) w *= gaussian_cell_weight(oy, hl[0], 0, l);
      if (hl.size() > 1) w *= gaussian_cell_weight(oz, hl[1], 0, l);
      return w;
    };
    return c;
  }

  // The mass of w_ff below xi = 0 for cell i: Phi((h - xi_i)/sigma).
  double bottom_mass(PetscInt i) const {
    const double xi = (static_cast<double>(i) + 0.5) * h_xi_;
    return normal_mass(-kInf, (p_.spacing - xi) / p_.kernel_width);
  }

  double input_profile(PetscInt j, PetscInt k) const {
    if (p_.input_width == 0 || h_lateral_.empty()) return 1.0;
    double r2 = 0;
    const PetscInt index[2] = {j, k};
    for (std::size_t a = 0; a < h_lateral_.size(); ++a) {
      const double d = (static_cast<double>(index[a]) + 0.5) * h_lateral_[a] - p_.input_center[a];
      r2 += d * d;
    }
    return std::exp(-r2 / (2 * p_.input_width * p_.input_width));
  }

  bool translation_invariant() const {
    if (!p_.periodic) return false;
    for (bool periodic : p_.lateral_periodic)
      if (!periodic && p_.lateral_width > 0) return false;
    return true;
  }

  // Lateral wavenumber indices per axis: N/2 + 1 on periodic axes with lateral spread;
  // 1 (k = 0 only) without spread, where lateral cells decouple and every lateral
  // pattern has the same spectrum along xi.
  std::vector<std::size_t> lateral_modes() const {
    std::vector<std::size_t> n;
    for (std::size_t a = 0; a < p_.lateral_cells.size(); ++a)
      n.push_back(p_.lateral_width > 0 ? static_cast<std::size_t>(p_.lateral_cells[a] / 2 + 1) : 1);
    return n;
  }

  // Periodic axes must hold the kernels without wrapping them around.
  void check_fits() const {
    const double reach_xi = p_.spacing + kReachWidths * p_.kernel_width;
    if (p_.periodic && 2 * reach_xi > p_.layers)
      throw ParamError("layers",
                       fmt::format("a periodic hierarchy of {} layers is shorter than twice the kernels' reach, "
                                   "h + {} sigma = {:g} layers: the kernels would wrap around",
                                   p_.layers, kReachWidths, reach_xi),
                       fmt::format("model.layers >= {:.0f}, a smaller model.spacing or model.kernel_width, or "
                                   "model.boundary open",
                                   std::ceil(2 * reach_xi)));
    for (std::size_t a = 0; a < p_.lateral_cells.size(); ++a)
      if (p_.lateral_periodic[a] && 2 * kReachWidths * p_.lateral_width > p_.lateral_length[a])
        throw ParamError("lateral_length",
                         fmt::format("the periodic lateral axis {} of {:g} m is shorter than {} lateral widths "
                                     "({:g} m): the lateral kernel would wrap around",
                                     a + 1, p_.lateral_length[a], 2 * kReachWidths, 2 * kReachWidths * p_.lateral_width),
                         fmt::format("model.lateral_length >= {:.3g} m, or a smaller model.lateral_width",
                                     2 * kReachWidths * p_.lateral_width));
  }

  PcContinuumParams p_;
  std::shared_ptr<const Drive> drive_;
  bool at_top_;
  PetscInt cells_xi_ = 0;
  double h_xi_ = 1;                   // layers
  std::vector<double> h_lateral_;     // m
  std::vector<double> bottom_mass_;   // per cell along xi: Phi((h - xi_i)/sigma)
  std::vector<double> profile_;       // per lateral cell (y fastest): the input's lateral profile
};

// Per-axis lists of the lateral keys: one entry per lateral axis, or one for all.
template <class T>
std::vector<T> per_lateral_axis(const std::vector<T>& given, std::size_t axes, const char* key) {
  if (given.size() == axes) return given;
  if (given.size() == 1) return std::vector<T>(axes, given.front());
  throw ParamError(key, fmt::format("model.{} has {} entries for {} lateral axes", key, given.size(), axes),
                   fmt::format("one entry per lateral axis ({}), or one for every axis", axes));
}

}  // namespace

PcContinuumParams PcContinuumParams::from(const ParamValues& v) {
  PcContinuumParams p;
  static_cast<PcParams&>(p) = PcParams::from(v);
  p.spacing = v.real("spacing");
  p.kernel_width = v.real("kernel_width");
  p.cells_per_layer = static_cast<int>(v.integer("cells_per_layer"));
  const auto list = [&v](const char* key) { return v.has(key) ? v.reals(key) : std::vector<double>{}; };
  for (double c : list("lateral_cells")) p.lateral_cells.push_back(static_cast<PetscInt>(c));
  const std::size_t axes = p.lateral_cells.size();
  if (axes > 2) throw ParamError("lateral_cells", "model.lateral_cells has more than 2 entries", "0, 1 or 2 lateral axes");
  if (axes > 0) {
    if (list("lateral_length").empty())
      throw ParamError("lateral_length", "model.lateral_cells is given without model.lateral_length",
                       "the lateral extent (m) per lateral axis");
    p.lateral_length = per_lateral_axis(list("lateral_length"), axes, "lateral_length");
    for (const auto& b : per_lateral_axis(v.choices("lateral_boundary"), axes, "lateral_boundary"))
      p.lateral_periodic.push_back(b == "periodic");
    p.input_center = list("input_center");
    if (p.input_center.empty())
      for (double l : p.lateral_length) p.input_center.push_back(l / 2);
    p.input_center = per_lateral_axis(p.input_center, axes, "input_center");
  }
  p.lateral_width = v.real("lateral_width");
  p.input_width = v.real("input_width");
  return p;
}

PcKernelSymbols pc_continuum_symbols(const PcContinuumParams& p, double q, double k) {
  const double damping = std::exp(-0.5 * (p.kernel_width * p.kernel_width * q * q +
                                          p.lateral_width * p.lateral_width * k * k));
  return {damping * std::exp(-I * q * p.spacing), damping * std::exp(I * q * p.spacing)};
}

cd pc_continuum_function(const PcContinuumParams& p, const PcKernelSymbols& w, cd l) {
  return l - (w.ff * std::exp(-l * p.delay) - std::exp(-2.0 * l * p.delay)) / p.tau -
         (w.fb * std::exp(-l * p.feedback_delay) - 1.0) * inv(p.tau_d);
}

cd pc_continuum_derivative(const PcContinuumParams& p, const PcKernelSymbols& w, cd l) {
  return 1.0 + p.delay / p.tau * w.ff * std::exp(-l * p.delay) - 2 * p.delay / p.tau * std::exp(-2.0 * l * p.delay) +
         p.feedback_delay * inv(p.tau_d) * w.fb * std::exp(-l * p.feedback_delay);
}

cd pc_continuum_root(const PcContinuumParams& p, const PcKernelSymbols& w) {
  const cd root = rightmost_root([&](cd l) { return pc_continuum_function(p, w, l); },
                                 [&](cd l) { return pc_continuum_derivative(p, w, l); }, pc_root_search_box(p, true));
  return {root.real(), std::abs(root.imag())};
}

cd pc_continuum_root(const PcContinuumParams& p, double q, double k) {
  return pc_continuum_root(p, pc_continuum_symbols(p, q, k));
}

ModelType predictive_coding_continuum_type() {
  ModelType t;
  t.name = "predictive_coding_continuum";
  t.doc = "nonlocal continuum of the predictive-coding hierarchy: the layer index a coordinate xi, the layer shifts "
          "Gaussian kernels; optional lateral axes (m)";
  t.reference = "Alamia & VanRullen, PLoS Biol 17(10):e3000487 (2019) (the chain it continues)";
  t.params = pc_hierarchy_params();
  t.params[0].doc = "extent of the hierarchy coordinate xi, in layers";
  const std::vector<ParamSpec> own = {
      real_param("spacing", "layers", 1, 0, kInf, "h: the kernels' offset (w_ff centred h below, w_fb h above)", true),
      real_param("kernel_width", "layers", 0.25, 0, kInf, "sigma: the kernels' Gaussian width along xi", true),
      integer_param("cells_per_layer", 4, 1, 1e6, "grid cells per layer along xi"),
      integer_list_param("lateral_cells", {}, 1, 1e9, "cells per lateral axis (none: a 1D hierarchy; up to 2 axes)"),
      real_list_param("lateral_length", "m", {}, 0, kInf, "extent per lateral axis", true),
      choice_list_param("lateral_boundary", {"bounded", "periodic"}, {"bounded"},
                        "per lateral axis: bounded (nothing beyond) or periodic"),
      real_param("lateral_width", "m", 0, 0, kInf, "l: the kernels' lateral Gaussian width (0: no lateral spread)"),
      real_list_param("input_center", "m", {}, -kInf, kInf,
                      "lateral centre of a localised input, per lateral axis (default: the middle)"),
      real_param("input_width", "m", 0, 0, kInf,
                 "lateral width w of the input, exp(-|x - c|^2/(2 w^2)) (0: uniform across the lateral axes)"),
  };
  t.params.insert(t.params.end(), own.begin(), own.end());
  for (ParamSpec& s : t.params)
    if (s.name == "lateral_cells" || s.name == "lateral_length" || s.name == "input_center") s.optional = true;
  t.drive_sites = {"bottom", "top"};
  t.make = [](const ModelContext& ctx) { return std::make_unique<PcContinuum>(ctx); };
  return t;
}

}  // namespace nf
