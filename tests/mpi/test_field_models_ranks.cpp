// The Wilson-Cowan and Amari fields do not depend on the rank count: the shipped decks
// (first and second synaptic order) run on every rank of the world communicator (2 or
// more) against the same deck run on rank 0 alone. Only the FFT split differs, so the
// fields agree to the transforms' round-off, 1e-12 of max |u|.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "tests/support/run_deck.h"

namespace nf {
namespace {

void expect_rank_independent(const std::string& deck, const std::vector<std::string>& overrides,
                             const std::string& tag) {
  std::vector<std::string> o = overrides;
  o.insert(o.end(), {"output.vtk=false", "output.hdf5=false"});
  const auto runs = test::run_on_all_and_alone(test::deck_text(deck), o, tag);
  if (!runs.alone) return;
  const test::StateDifference d = test::final_state_difference(runs);
  ASSERT_GT(d.scale, 0.1);  // the ring (or pattern) is there
  EXPECT_LE(d.largest, 1e-12 * d.scale) << tag;
}

TEST(FieldModelRanks, WilsonCowanRing) {
  for (const char* order : {"1", "2"})
    expect_rank_independent("wilson_cowan_2d.yaml",
                            {"mesh.cells=[48,40]", "mesh.length=[96,80]", "time.t_end=6",
                             std::string("model.synapse_order=") + order},
                            std::string("wc_m") + order);
}

TEST(FieldModelRanks, AmariTuringSecondOrder) {
  expect_rank_independent("turing_1d.yaml", {"model.synapse_order=2", "time.t_end=20"}, "turing_m2");
}

}  // namespace
}  // namespace nf
