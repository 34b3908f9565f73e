#include "io/deck_schema.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>
#include <limits>
#include <map>
#include <stdexcept>

#include "models/drive.h"
#include "models/registry.h"
#include "solvers/integrators/integrator.h"

namespace nf {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<std::string> model_names() {
  std::vector<std::string> n;
  for (const auto& t : model_types()) n.push_back(t.name);
  return n;
}

std::vector<std::string> drive_names() {
  std::vector<std::string> n;
  for (const auto& t : drive_types()) n.push_back(t.name);
  return n;
}

std::vector<std::string> backend_names() {
  std::vector<std::string> n;
  for (const auto& b : integrator_backends()) n.push_back(b.name);
  return n;
}

SectionSchema model_section(const std::string& type) {
  SectionSchema s{"model", "the physics: a registered model and its parameters", {}, "type"};
  s.keys.push_back(choice_param("type", model_names(), "predictive_coding", "registered model"));
  const ModelType* m = find_model_type(type.empty() ? s.keys.front().default_choice : type);
  if (!m) return s;
  s.keys.insert(s.keys.end(), m->params.begin(), m->params.end());
  s.choice_doc = m->doc;
  s.details = {"reference: " + m->reference, fmt::format("input.at: {}", fmt::join(m->drive_sites, ", "))};
  return s;
}

SectionSchema input_section(const std::string& type, const std::string& model_type) {
  SectionSchema s{"input", "the external drive I(t)", {}, "type"};
  s.keys.push_back(choice_param("type", drive_names(), "none", "drive signal"));
  if (const DriveType* d = find_drive_type(type.empty() ? "none" : type)) {
    s.keys.insert(s.keys.end(), d->params.begin(), d->params.end());
    s.choice_doc = d->doc;
  }
  if (const ModelType* m = find_model_type(model_type); m && !m->drive_sites.empty())
    s.keys.push_back(choice_param("at", m->drive_sites, m->drive_sites.front(), "where the drive enters the model"));
  return s;
}

SectionSchema initial_section(const std::string& type) {
  SectionSchema s{"initial", "the state for t <= 0, added to rest (y = 0)", {}, "type"};
  s.keys.push_back(choice_param("type", {"rest", "mode", "random", "front", "bump", "half_plane", "travelling_wave"},
                                "rest",
                                "rest; mode: A cos(q i) along the first axis; random: A*uniform(-1, 1); front: A "
                                "for x < position; bump: A within width/2 of the domain's centre; half_plane: "
                                "per component c, amplitudes[c] where x along axes[c] < positions[c]; "
                                "travelling_wave: the model's exact front at position"));
  static const std::map<std::string, std::string> docs = {
      {"rest", "the rest state, y = 0"},
      {"mode", "A cos(q x) along the first axis (x at the cells' starts)"},
      {"random", "A * uniform(-1, 1) per cell, the same on any number of ranks"},
      {"front", "u = A for x < position along the first axis, 0 beyond (field models)"},
      {"bump", "u = A within distance width/2 of the domain's centre, 0 elsewhere (field models)"},
      {"half_plane", "component c = amplitudes[c] where x along axis axes[c] < positions[c], 0 beyond; "
                     "a cross-field start when two components step along different axes (field models)"},
      {"travelling_wave", "the model's exact travelling front, centred at position along the first axis "
                          "(nagumo; fisher_kpp without delay: the Ablowitz-Zeppetella wave)"}};
  if (const auto it = docs.find(type.empty() ? "rest" : type); it != docs.end()) s.choice_doc = it->second;
  if (type == "mode") {
    s.keys.push_back(real_param("amplitude", "1", 1.0, -kInf, kInf, "amplitude A"));
    s.keys.push_back(real_param("wavenumber", "rad/m", 0.0, -kInf, kInf,
                                "q, radians per m along a field's first axis, per layer along a hierarchy"));
  } else if (type == "random") {
    s.keys.push_back(real_param("amplitude", "1", 1e-3, -kInf, kInf, "amplitude A"));
    s.keys.push_back(integer_param("seed", 1, 0, 4294967295.0, "seed (the field does not depend on the ranks)"));
  } else if (type == "front") {
    s.keys.push_back(real_param("amplitude", "1", 1.0, -kInf, kInf, "amplitude A behind the front"));
    ParamSpec position = real_param("position", "m", 0, 0, kInf, "front position along the first axis (default: "
                                                                  "a tenth of mesh.length)");
    position.optional = true;
    s.keys.push_back(position);
  } else if (type == "travelling_wave") {
    s.keys.push_back(real_param("position", "m", 0, -kInf, kInf, "where the front crosses its level", true));
  } else if (type == "bump") {
    s.keys.push_back(real_param("amplitude", "1", 1.0, -kInf, kInf, "amplitude A inside"));
    s.keys.push_back(real_param("width", "m", 1.0, 0, kInf, "diameter of the bump", true));
  } else if (type == "half_plane") {
    s.keys.push_back(real_list_param("amplitudes", "1", {1.0}, -kInf, kInf,
                                     "per component, the step added below its position (components beyond: 0)"));
    s.keys.push_back(integer_list_param("axes", {0}, 0, 2, "per component, the axis of its step (0 = x)"));
    ParamSpec positions = real_list_param("positions", "m", {}, 0, kInf, "per component, where its step falls");
    positions.required = true;
    s.keys.push_back(positions);
  }
  return s;
}

// The grid of a field model; a model with its own layout (the chain) has no keys here.
SectionSchema mesh_section(const std::string& model_type) {
  SectionSchema s{"mesh", "the structured grid of a field model: one entry per axis (1 to 3 axes)", {}, {}};
  const ModelType* m = find_model_type(model_type.empty() ? "predictive_coding" : model_type);
  if (!m || !m->uses_mesh) return s;
  ParamSpec cells = integer_list_param("cells", {}, 1, 1e9, "cells per axis, e.g. [8000] or [256, 256]");
  cells.required = true;
  s.keys.push_back(cells);
  ParamSpec length = real_list_param("length", "m", {}, 0, kInf, "domain length per axis", true);
  length.required = true;
  s.keys.push_back(length);
  s.keys.push_back(choice_list_param("boundary", {"bounded", "periodic", "neumann", "dirichlet"}, {"bounded"},
                                     "per axis: bounded (no activity beyond the ends; convolutions zero-padded; "
                                     "no flux for diffusion), periodic, neumann (bounded, no flux: du/dn = 0) or "
                                     "dirichlet (bounded, u = 0 at the walls for diffusion); one entry applies to "
                                     "every axis"));
  return s;
}

SectionSchema time_section(const std::string& integrator) {
  SectionSchema s{"time", "time integration", {}, "integrator"};
  s.keys.push_back(choice_param("integrator", backend_names(), "petsc", "time-integration backend"));
  const IntegratorBackend* backend = find_integrator_backend(integrator.empty() ? "petsc" : integrator);
  s.choice_doc = backend->doc;
  for (const auto& m : backend->methods)
    s.details.push_back(fmt::format("method {:<10} order {}  {}", m.name, m.order, m.doc));
  std::vector<std::string> runs;
  for (const auto& e : backend->equivalents) runs.push_back(e.name + " -> " + e.method);
  if (!runs.empty()) s.details.push_back(fmt::format("other backends' method names run: {}", fmt::join(runs, ", ")));
  if (!backend->options.empty()) s.details.push_back(fmt::format("options: section {}", backend->name));
  s.keys.push_back(choice_param("method", accepted_method_names(*backend), backend->default_method,
                                "integration method of the backend (another backend's name runs the nearest "
                                "method of this one)"));
  s.keys.push_back(real_param("t_end", "s", 1.0, 0, kInf, "end time (the run starts at 0)", true));
  s.keys.push_back(real_param("dt", "s", 1e-3, 0, kInf, "time step (the first one when adaptive); at most the "
                                                        "shortest delay", true));
  s.keys.push_back(bool_param("adaptive", false, "error-controlled steps (rtol, atol), at most the shortest delay"));
  s.keys.push_back(real_param("rtol", "1", 1e-6, 0, 1, "relative tolerance per step (adaptive)", true));
  s.keys.push_back(real_param("atol", "1", 1e-9, 0, kInf, "absolute tolerance per step (adaptive)", true));
  return s;
}

// Knobs of one backend (arkode.*, cvode.*), declared by the backend itself.
SectionSchema backend_section(const std::string& name) {
  const IntegratorBackend* backend = find_integrator_backend(name);
  return {name, "options of time.integrator " + name, backend ? backend->options : std::vector<ParamSpec>{}, ""};
}

SectionSchema output_section() {
  SectionSchema s{"output", "what the run writes", {}, {}};
  s.keys.push_back(text_param("dir", "", "output folder (default: a folder named after the deck, in the "
                                         "current directory)"));
  s.keys.push_back(bool_param("vtk", true, "write series.pvd and vtk/ (ParaView)"));
  s.keys.push_back(real_param("vtk_every", "s", 0.01, 0, kInf, "interval of VTK output (0: every step)"));
  s.keys.push_back(bool_param("hdf5", true, "write fields.h5 and fields.xdmf"));
  s.keys.push_back(real_param("hdf5_every", "s", 0.01, 0, kInf, "interval of HDF5 field output (0: every step)"));
  s.keys.back().default_from = "vtk_every";
  s.keys.push_back(real_param("checkpoint_every", "s", 0, 0, kInf,
                              "interval of checkpoints into checkpoint.h5, to continue with --restart (0: none, "
                              "but one when a stop signal ends the run)"));
  s.keys.push_back(index_lists_param("probes", "cells recorded every step into probes.h5, e.g. [[0], [7]] "
                                               "(default: every cell of grids up to 64 cells; along a hierarchy, the middle cell of every "
                                               "layer, of up to 64 evenly spaced layers)"));
  return s;
}

SectionSchema analysis_section() {
  SectionSchema s{"analysis", "how summary.json is measured from the probes", {}, {}};
  ParamSpec t_start = real_param("t_start", "s", 0, 0, kInf, "start of the fitted window (default: t_end/4)");
  t_start.optional = true;
  s.keys.push_back(t_start);
  // One root search takes a few milliseconds: 256 per rank stay under a second.
  s.keys.push_back(integer_param("predicted_mode_limit", 256, 0, 1e9,
                                 "most root searches per rank for the predicted mode (0: no prediction)"));
  return s;
}

// `neurofield stability` (problem/linear_stability.h); `run` checks it and ignores it.
SectionSchema stability_section() {
  SectionSchema s{"stability", "what `neurofield stability` computes: the rightmost eigenvalues about a state", {}, {}};
  s.keys.push_back(choice_param("state", {"rest"}, "rest",
                                "the state linearised about: rest (the model's rest state; uniform and steady "
                                "states come later)"));
  s.keys.back().choices_note = "uniform and steady states come later";
  s.keys.push_back(integer_param("eigenvalues", 10, 1, 1000,
                                 "how many rightmost eigenvalues to report (one of each conjugate pair)"));
  return s;
}

}  // namespace

const std::vector<std::string>& deck_sections() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n = {"model", "mesh", "input", "initial", "time", "output", "analysis", "stability", "petsc"};
    for (const auto& b : integrator_backends())
      if (!b.options.empty()) n.push_back(b.name);
    return n;
  }();
  return names;
}

SectionSchema section_schema(const std::string& section, const std::string& selected, const std::string& model_type) {
  using Builder = std::function<SectionSchema(const std::string& selected, const std::string& model_type)>;
  static const std::map<std::string, Builder> builders = {
      {"model", [](const std::string& t, const std::string&) { return model_section(t); }},
      {"input", [](const std::string& t, const std::string& m) { return input_section(t, m); }},
      {"initial", [](const std::string& t, const std::string&) { return initial_section(t); }},
      {"mesh", [](const std::string&, const std::string& m) { return mesh_section(m); }},
      {"time", [](const std::string& t, const std::string&) { return time_section(t); }},
      {"output", [](const std::string&, const std::string&) { return output_section(); }},
      {"analysis", [](const std::string&, const std::string&) { return analysis_section(); }},
      {"stability", [](const std::string&, const std::string&) { return stability_section(); }},
  };
  const auto it = builders.find(section);
  if (it != builders.end()) return it->second(selected, model_type);
  if (section == "petsc")
    return {"petsc",
            "one string of PETSc options, e.g. petsc: \"-ts_monitor -ts_rk_type 3bs\"; options after -- on the "
            "command line take precedence; an option no solver object uses is an error",
            {},
            ""};
  if (find_integrator_backend(section)) return backend_section(section);
  throw std::invalid_argument("no deck section '" + section + "' with keys");
}

}  // namespace nf
