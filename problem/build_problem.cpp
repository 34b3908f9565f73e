#include "problem/build_problem.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/registry.h"
#include "problem/analysis_window.h"
#include "solvers/history/history_memory.h"

namespace nf {
namespace {

// One entry per axis of mesh.cells; a single entry applies to every axis.
template <class T>
std::vector<T> per_axis(const Deck& deck, const std::string& key, const std::vector<T>& given, std::size_t axes) {
  if (given.size() == axes) return given;
  if (given.size() == 1) return std::vector<T>(axes, given.front());
  throw deck.error_at(key, fmt::format("{} has {} entries but mesh.cells has {}", key, given.size(), axes),
                      fmt::format("one entry per axis ({}), or one for every axis", axes));
}

// The deck's mesh section as a grid (cells, spacing, boundary); empty for a model
// with its own layout.
GridSpec mesh_grid(const Deck& deck) {
  GridSpec g;
  if (!find_model_type(deck.type_of("model"))->uses_mesh) return g;
  const ParamValues& m = deck.section("mesh");
  for (double c : m.reals("cells")) g.cells.push_back(static_cast<PetscInt>(c));
  const std::vector<double> length = per_axis(deck, "mesh.length", m.reals("length"), g.cells.size());
  for (const auto& b : per_axis(deck, "mesh.boundary", m.choices("boundary"), g.cells.size())) {
    g.boundary.push_back(b == "periodic" ? Boundary::periodic : Boundary::bounded);
    g.wall.push_back(b == "dirichlet" ? Wall::dirichlet : Wall::neumann);
  }
  for (std::size_t a = 0; a < g.cells.size(); ++a) g.spacing.push_back(length[a] / static_cast<double>(g.cells[a]));
  g.cell_params.assign(g.cells.size(), "");
  return g;
}

// initial.amplitudes, axes and positions: one entry per stepped component each, on
// axes of the mesh.
void half_plane_steps(const Deck& deck, const GridSpec& mesh, InitialState& s) {
  const ParamValues& v = deck.section("initial");
  s.amplitudes = v.reals("amplitudes");
  s.positions = v.reals("positions");
  for (double a : v.reals("axes")) s.axes.push_back(static_cast<PetscInt>(a));
  for (const char* key : {"axes", "positions"})
    if (v.reals(key).size() != s.amplitudes.size())
      throw deck.error_at(fmt::format("initial.{}", key),
                          fmt::format("initial.{} has {} entries but initial.amplitudes has {}", key,
                                      v.reals(key).size(), s.amplitudes.size()),
                          "one entry per stepped component");
  for (PetscInt a : s.axes)
    if (a >= static_cast<PetscInt>(mesh.cells.size()))
      throw deck.error_at("initial.axes", fmt::format("initial.axes names axis {}; the mesh has {}", a,
                                                      mesh.cells.size()),
                          fmt::format("0 to {}", mesh.cells.size() - 1));
}

InitialState initial_state(const Deck& deck, const GridSpec& mesh) {
  const ParamValues& v = deck.section("initial");
  InitialState s;
  s.type = deck.type_of("initial");
  if ((s.type == "front" || s.type == "bump" || s.type == "half_plane" || s.type == "travelling_wave") &&
      mesh.cells.empty())
    throw deck.error_at("initial.type", fmt::format("initial.type {} needs a field model (one with a mesh section); "
                                                    "model.type {} has its own layout", s.type, deck.type_of("model")),
                        "rest, mode, random");
  if (v.has("amplitude")) s.amplitude = v.real("amplitude");
  if (v.has("wavenumber")) s.wavenumber = v.real("wavenumber");
  if (v.has("seed")) s.seed = static_cast<std::uint64_t>(v.integer("seed"));
  if (v.has("width")) s.width = v.real("width");
  s.spacing = mesh.spacing;
  if (s.type == "front")
    s.position = v.has("position") ? v.real("position") : initial_front_position(mesh);
  if (s.type == "travelling_wave") s.position = v.real("position");
  if (s.type == "half_plane") half_plane_steps(deck, mesh, s);
  return s;
}

// The model's exact front, or a deck error naming the models that have one.
std::function<double(double)> travelling_wave(const Deck& deck, const Model& model) {
  const auto wave = model.travelling_wave();
  if (!wave)
    throw deck.error_at("initial.type",
                        fmt::format("initial.type travelling_wave: model.type {} (with these parameters) has no exact "
                                    "travelling front", deck.type_of("model")),
                        "nagumo, or fisher_kpp without model.delay; or initial.type front");
  return wave->profile;
}

// The grid does not fit the ranks: an error at the model key that sets the cell count.
DeckError grid_too_small(const Deck& deck, const GridTooSmall& e) {
  if (find_model_type(deck.type_of("model"))->uses_mesh) {
    const std::string axis(1, "xyz"[e.axis]);
    return deck.error_at("mesh.cells",
                         fmt::format("mesh.cells gives {} cell{} along {}, too few for {} ranks (each rank needs at "
                                     "least {} along an axis split between ranks)",
                                     e.cells, e.cells > 1 ? "s" : "", axis, e.ranks, e.per_rank),
                         fmt::format("more cells along {} on {} ranks, or run on at most {} rank{}", axis, e.ranks,
                                     e.max_ranks, e.max_ranks > 1 ? "s" : ""));
  }
  const std::string key = e.param.empty() ? "model" : "model." + e.param;
  const std::string axis(1, "xyz"[e.axis]);
  const std::string what =
      e.param.empty() ? fmt::format("{}.type {}: {}", key, deck.type_of("model"), e.what())
                      : fmt::format("{} = {} gives {} cell{} along {}, too few for {} ranks (each rank needs at "
                                    "least {} along an axis split between ranks)",
                                    key, e.cells, e.cells, e.cells > 1 ? "s" : "", axis, e.ranks, e.per_rank);
  const std::string more =
      e.param.empty() || e.min_cells == 0 ? "more cells" : fmt::format("{} >= {}", key, e.min_cells);
  return deck.error_at(key, what,
                       fmt::format("{} on {} ranks, or run on at most {} rank{}", more, e.ranks, e.max_ranks,
                                   e.max_ranks > 1 ? "s" : ""));
}

}  // namespace

double initial_front_position(const GridSpec& mesh) {
  return mesh.cells.empty() ? 0.0 : 0.1 * static_cast<double>(mesh.cells[0]) * mesh.spacing[0];
}

std::unique_ptr<Problem> build_problem(const Deck& deck, MPI_Comm comm) {
  const ModelType* type = find_model_type(deck.type_of("model"));
  const DriveType* drive = find_drive_type(deck.type_of("input"));
  ModelContext ctx;
  ctx.params = deck.section("model");
  ctx.mesh = mesh_grid(deck);
  ctx.drive = drive->make(deck.section("input"));
  const ParamValues& input = deck.section("input");
  ctx.drive_site = input.has("at") ? input.choice("at") : "";
  try {
    std::unique_ptr<Model> model = type->make(ctx);
    InitialState initial = initial_state(deck, ctx.mesh);
    if (initial.type == "travelling_wave") initial.profile = travelling_wave(deck, *model);
    return std::make_unique<Problem>(comm, std::move(model), std::move(initial));
  } catch (const ParamError& e) {
    throw deck.error_at("model." + e.key, e.what(), e.allowed);
  } catch (const GridTooSmall& e) {
    throw grid_too_small(deck, e);
  } catch (const ConvolutionTooLarge& e) {
    double cells = 1;
    for (PetscInt n : ctx.mesh.cells) cells *= static_cast<double>(n);
    throw deck.error_at("mesh.cells", fmt::format("mesh.cells: {}", e.what()),
                        fmt::format("at most about {:.3g} cells on these nodes (zero padding doubles each bounded "
                                    "axis; periodic axes need none), or more nodes",
                                    cells * kUsableFraction * e.available / e.bytes));
  } catch (const RingsTooLarge& e) {
    throw deck.error_at("model.rings", e.what(),
                        "fewer rings (model.rings = the count; 0, the default, gives one per cell width), a coarser "
                        "mesh, or more nodes");
  } catch (const WaveUnsupported& e) {
    throw deck.error_at("model.delay_method", fmt::format("model.delay_method wave: {}", e.what()),
                        "rings (any kernel), or wave with model.kernel.type exponential on a 1D or 2D mesh");
  } catch (const KernelWrapsAround& e) {
    const std::string axis(1, "xyz"[e.axis]);
    throw deck.error_at("mesh.length", fmt::format("mesh.length along {} = {:g} m is periodic and shorter than twice "
                                                   "the kernel's range: {}", axis, e.length, e.what()),
                        fmt::format("mesh.length >= {:.4g} m along {}, mesh.boundary bounded along {}, or a narrower "
                                    "model.kernel",
                                    2 * e.radius, axis, axis));
  }
}

std::string check_delay_rings(const Deck& deck, const Problem& problem, MPI_Comm comm) {
  const RingSummary r = problem.delay_rings();
  int any = r.couplings;
  MPI_Allreduce(MPI_IN_PLACE, &any, 1, MPI_INT, MPI_MAX, comm);
  if (any == 0) return "";
  const double dt = deck.section("time").real("dt");
  // The record store is sized for span / dt records and the cubic's few beyond.
  const double records = std::ceil(r.max_lag / dt) + 8;
  const double bytes = r.factor_bytes + records * r.record_bytes;
  const NodeMemory node = check_node_memory(comm, bytes);
  const std::string line = fmt::format(
      "delay rings: {} ring{} of width {:g} m, lags {:g} to {:g} s; memory estimate {} per rank ({} of ring "
      "spectra, {:.0f} stored steps of {}), {} on the busiest node ({} rank{}) of {} available",
      r.rings, r.rings > 1 ? "s" : "", r.width, r.min_lag, r.max_lag, format_bytes(bytes),
      format_bytes(r.factor_bytes), records, format_bytes(r.record_bytes), format_bytes(node.node_bytes),
      node.ranks_on_node, node.ranks_on_node > 1 ? "s" : "", format_bytes(node.available_bytes));
  if (!node.fits) {
    // At the key of the larger part: the stored records (the longest lag over the
    // step) or the ring spectra.
    const bool records_dominate = records * r.record_bytes > r.factor_bytes;
    throw deck.error_at(records_dominate ? "model.conduction_velocity" : "model.rings",
                        line + ": more than the node can give",
                        records_dominate ? fmt::format("a longest lag that fits: model.conduction_velocity >= {:.3g} "
                                                       "m/s at this time.dt, a longer time.dt, or more nodes",
                                                       r.velocity * node.node_bytes /
                                                           (kUsableFraction * node.available_bytes))
                                         : "fewer rings (model.rings > 0 sets the count), a coarser mesh, or more "
                                           "nodes");
  }
  return line;
}

void check_wave_courant(const Deck& deck, const Problem& problem) {
  const double rate = problem.wave_courant_rate();
  const ParamValues& time = deck.section("time");
  if (rate == 0 || time.flag("adaptive") || deck.type_of("time") == "cvode") return;
  const MethodInfo& method = method_run(deck);
  const double dt = time.real("dt"), courant = rate * dt, bound = problem.wave_courant_bound(method.order);
  if (courant <= bound) return;
  const std::string what = fmt::format(
      "time.dt = {:g} s gives the wave fields of model.delay_method wave a Courant number v dt / h = {:.4g}, above "
      "{:.4g}, the bound of their scheme under time.method {} (order {})",
      dt, courant, bound, method.name, method.order);
  if (bound == 0)
    throw deck.error_at("time.dt", what + ": it is unstable for them at any step",
                        "time.method rk3 or rk4 (or time.adaptive true)");
  throw deck.error_at("time.dt", what, fmt::format("time.dt <= {:.4g} s, or a coarser mesh", bound / rate));
}

// Diffusion under an explicit method: the step must keep dt rho(L) inside the method's
// real stability interval [-b, 0], rho(L) = D sum_a 4/h_a^2 (order 2 stencil). Adaptive
// steps find their own limit; IMEX and implicit methods have none.
void check_diffusion_limit(const Deck& deck, const Problem& problem) {
  const DiffusionOperator* diffusion = problem.diffusion();
  const ParamValues& time = deck.section("time");
  if (!diffusion || diffusion->empty() || time.flag("adaptive")) return;
  const MethodInfo& method = method_run(deck);
  if (method.implicit_stiff) return;
  const double dt = time.real("dt"), radius = diffusion->spectral_radius();
  const double limit = real_stability_interval(method.order) / radius;
  if (dt <= limit) return;
  throw deck.error_at(
      "time.dt",
      fmt::format("time.dt = {:g} s breaks the diffusion stability limit of time.method {} (explicit, order {}): "
                  "dt <= {:.4g} s for model.diffusion on cells of {:g} m (dt D sum 4/h^2 = {:.4g} > {:.4g})",
                  dt, method.name, method.order, limit, *std::min_element(problem.grid().spec().spacing.begin(),
                                                                        problem.grid().spec().spacing.end()),
                  dt * radius, real_stability_interval(method.order)),
      fmt::format("an IMEX method (time.method arkimex3 with time.integrator petsc, or ark4 with arkode), which "
                  "treats diffusion implicitly, or time.dt <= {:.4g} s",
                  limit));
}

IntegratorSettings integrator_settings(const Deck& deck) {
  check_analysis_window(deck);
  const ParamValues& t = deck.section("time");
  IntegratorSettings s;
  s.t0 = 0;
  s.t_end = t.real("t_end");
  s.dt = t.real("dt");
  s.method = t.choice("method");
  s.adaptive = t.flag("adaptive");
  s.rtol = t.real("rtol");
  s.atol = t.real("atol");
  const ParamValues& out = deck.section("output");
  for (const char* kind : {"vtk", "hdf5"})
    if (out.flag(kind) && out.real(std::string(kind) + "_every") > 0)
      s.output_every.push_back(out.real(std::string(kind) + "_every"));
  const std::string& backend = deck.type_of("time");
  for (const auto& spec : find_integrator_backend(backend)->options) {
    const ParamValues& o = deck.section(backend);
    if (!o.has(spec.name)) continue;
    const bool text = spec.kind == ParamSpec::Kind::choice || spec.kind == ParamSpec::Kind::text;
    s.options[spec.name] = text ? o.choice(spec.name) : fmt::format("{}", o.real(spec.name));
  }
  // The solvers name settings in messages and errors by these deck keys.
  s.names = {"time.t_end", "time.dt", "time.method", "time.adaptive", "time.rtol", "time.atol", "time.integrator",
             backend + "."};
  return s;
}

const MethodInfo& method_run(const Deck& deck) {
  return method_info(*find_integrator_backend(deck.type_of("time")), deck.section("time").choice("method"));
}

std::vector<std::string> run_notes(const Deck& deck) {
  std::vector<std::string> notes = deck.notes();
  const std::string& asked = deck.section("time").choice("method");
  const MethodInfo& run = method_run(deck);
  if (run.name != asked)
    notes.push_back(fmt::format("{}: note: time.method {} is not a method of time.integrator {}: running its "
                                "nearest, {} ({})",
                                deck.location_of("time.method").str(), asked, deck.type_of("time"), run.name,
                                run.doc));
  const ParamValues& t = deck.section("time");
  const ParamValues& out = deck.section("output");
  for (const std::string kind : {"vtk", "hdf5"}) {
    const std::string key = kind + "_every";
    const double every = out.real(key), steps = every / t.real("dt");
    if (out.flag(kind) && every > 0 && !t.flag("adaptive") && std::abs(steps - std::round(steps)) > 1e-9 * steps)
      notes.push_back(fmt::format("{}: note: output.{} = {:g} s is not a multiple of time.dt = {:g} s: steps are "
                                  "shortened to land on each output time",
                                  deck.location_of("output." + key).str(), key, every, t.real("dt")));
  }
  return notes;
}

std::unique_ptr<Integrator> make_integrator(const Deck& deck, const DelaySystem& system) {
  const IntegratorBackend* backend = find_integrator_backend(deck.type_of("time"));
  try {
    return backend->make(system, integrator_settings(deck));
  } catch (const BadSettings& e) {
    if (e.key == kPetscOptionsKey)
      throw DeckError(fmt::format("error: {}\n  (PETSc options come from the command line after --{})", e.what(),
                                  deck.petsc_options().empty() ? ""
                                                               : " and from petsc: at " +
                                                                     deck.location_of("petsc").str()));
    throw deck.error_at(e.key, e.what(), "");
  }
}

}  // namespace nf
