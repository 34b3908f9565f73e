#include "problem/linear_stability.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <numbers>

#include "base/petsc_error.h"
#include "base/petsc_handles.h"
#include "io/atomic_file.h"
#include "problem/build_problem.h"
#include "problem/predicted_mode.h"
#include "problem/run_folder.h"
#include "problem/simulation.h"

namespace nf {
namespace fs = std::filesystem;
namespace {

double frequency_hz(std::complex<double> l) { return std::abs(l.imag()) / (2 * std::numbers::pi); }

// What the generic linearisation cannot see through yet: nonlocal couplings (their
// delayed inputs come from records, not from delayed states) and wave fields.
void check_supported(const Deck& deck, const Problem& problem) {
  if (!problem.model().couplings().empty() || problem.record_size() > 0 || problem.delay_rings().couplings > 0 || problem.wave_courant_rate() > 0)
    throw deck.error_at("model.type",
                        fmt::format("neurofield stability: model.type {} has nonlocal couplings, which the "
                                    "linearisation does not handle yet",
                                    deck.type_of("model")),
                        "a model whose right-hand side reads only the current and the delayed states of cells "
                        "(predictive_coding; local field models)");
}

nlohmann::json pair(std::complex<double> l) { return nlohmann::json::array({l.real(), l.imag()}); }

}  // namespace

StabilityResult run_stability(const Deck& deck, MPI_Comm comm, const std::string& deck_stem) {
  const auto start = std::chrono::steady_clock::now();
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  const ParamValues& section = deck.section("stability");
  std::unique_ptr<Problem> problem = build_problem(deck, comm);
  check_supported(deck, *problem);
  // stability.state rest (the only one so far): the model's rest state.
  InitialState rest;
  rest.rest = problem->model().rest_state();
  OwnedVec x0;
  check_petsc(DMCreateGlobalVector(problem->dm(), x0.out()));
  rest.fill(problem->grid().patch(), x0);

  DelaySpectrumSettings settings;
  settings.eigenvalues = static_cast<int>(section.integer("eigenvalues"));
  StabilityResult result;
  result.spectrum = rightmost_delay_spectrum(*problem, x0, settings);
  require_petsc_options_used(deck);
  if (result.spectrum.eigenvalues.empty())
    throw std::runtime_error(fmt::format("neurofield stability: the eigensolver ({}) converged to no eigenvalue of "
                                         "the generator (order {}); try -eps_max_it or -eps_ncv",
                                         result.spectrum.eps_type, result.spectrum.generator_size));
  ModePrediction prediction = predict_dominant_mode(
      problem->model(), comm, static_cast<std::size_t>(deck.section("analysis").integer("predicted_mode_limit")));
  result.analytic = prediction.mode;
  result.analytic_note = prediction.note;
  const Model& model = problem->model();
  if (rank == 0 && prediction.mode)
    for (std::size_t k = 0; k < model.predicted_mode_count(); ++k) result.analytic_roots.push_back(model.predicted_mode(k));

  const std::complex<double> top = result.spectrum.eigenvalues.front();
  nlohmann::json& j = result.json;
  j["growth_rate_per_s"] = top.real();
  j["frequency_hz"] = frequency_hz(top);
  j["eigenvalues"] = nlohmann::json::array();
  for (const auto& l : result.spectrum.eigenvalues) j["eigenvalues"].push_back(pair(l));
  // A neutral eigenvalue (the uniform mode of a ring, l = 0) is not asymptotically stable.
  j["stable"] = top.real() < -1e-8 * std::max(1.0, std::abs(top));
  if (result.analytic)
    j["analytic"] = {{"growth_rate_per_s", result.analytic->rate.real()},
                     {"frequency_hz", frequency_hz(result.analytic->rate)}};
  else
    j["analytic"] = nullptr;

  result.output_dir = run_folder_path(deck, deck_stem);
  // The folder as run makes it, but a run's files in it stay: stability.json joins them.
  on_root(comm, "writing stability.json", [&] {
    std::error_code ec;
    fs::create_directories(result.output_dir, ec);
    if (ec || !fs::is_directory(result.output_dir))
      throw deck.error_at("output.dir",
                          fmt::format("output.dir: the folder {} cannot be created: {}", result.output_dir.string(),
                                      ec ? ec.message() : "a file is in the way"),
                          "a folder that exists or can be created, and can be written");
    std::string csv = "member,re_per_s,im_per_s\n";
    for (const auto& m : result.analytic_roots)
      csv += fmt::format("\"{}\",{:.17g},{:.17g}\n", m.label, m.rate.real(), m.rate.imag());
    write_text_atomically(result.output_dir / "analytic_roots.csv", csv);
    write_text_atomically(result.output_dir / "stability.json", j.dump(2) + "\n");
  });
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace nf
