// The split of a grid over ranks (meshes/grid.h): the least cut area among the splits
// that give every rank at least max(1, stencil width) cells along each split axis, and
// GridTooSmall, with the figures a deck error needs, when there is none.
#include <gtest/gtest.h>

#include <array>

#include "meshes/grid.h"

namespace {

using nf::Boundary;
using Split = std::array<PetscInt, 3>;

nf::GridSpec spec(std::vector<PetscInt> cells, Boundary b = Boundary::bounded, PetscInt stencil = 1) {
  nf::GridSpec s;
  s.cells = cells;
  s.boundary.assign(cells.size(), b);
  s.spacing.assign(cells.size(), 1.0);
  s.component_names = {"u"};
  s.stencil_width = stencil;
  s.cell_params = {"layers"};
  return s;
}

TEST(GridSplit, LeastCutAreaAmongSplitsThatFit) {
  EXPECT_EQ(nf::split_over_ranks(spec({8}), 2), (Split{2, 1, 1}));
  EXPECT_EQ(nf::split_over_ranks(spec({8}), 8), (Split{8, 1, 1}));
  EXPECT_EQ(nf::split_over_ranks(spec({6, 5}), 2), (Split{2, 1, 1}));  // cut 5 faces, not 6
  EXPECT_EQ(nf::split_over_ranks(spec({1, 5}), 2), (Split{1, 2, 1}));  // x cannot be split
  EXPECT_EQ(nf::split_over_ranks(spec({100, 100}), 4), (Split{2, 2, 1}));
  EXPECT_EQ(nf::split_over_ranks(spec({4, 4, 4}), 8), (Split{2, 2, 2}));
  EXPECT_EQ(nf::split_over_ranks(spec({3}, Boundary::periodic, 1), 3), (Split{3, 1, 1}));
}

TEST(GridSplit, FewerCellsThanRanksThrowsWithTheFigures) {
  try {
    nf::split_over_ranks(spec({1}), 2);
    FAIL() << "no GridTooSmall";
  } catch (const nf::GridTooSmall& e) {
    EXPECT_EQ(e.axis, 0);
    EXPECT_EQ(e.param, "layers");
    EXPECT_EQ(e.cells, 1);
    EXPECT_EQ(e.min_cells, 2);
    EXPECT_EQ(e.ranks, 2);
    EXPECT_EQ(e.max_ranks, 1);
  }
  try {
    nf::split_over_ranks(spec({5}), 7);
    FAIL() << "no GridTooSmall";
  } catch (const nf::GridTooSmall& e) {
    EXPECT_EQ(e.min_cells, 7);
    EXPECT_EQ(e.max_ranks, 5);
  }
}

// A stencil of width 2 needs 2 cells per rank along a split (or periodic) axis.
TEST(GridSplit, StencilWidthSetsTheCellsPerRank) {
  EXPECT_EQ(nf::split_over_ranks(spec({4}, Boundary::bounded, 2), 2), (Split{2, 1, 1}));
  try {
    nf::split_over_ranks(spec({3}, Boundary::periodic, 2), 2);
    FAIL() << "no GridTooSmall";
  } catch (const nf::GridTooSmall& e) {
    EXPECT_EQ(e.per_rank, 2);
    EXPECT_EQ(e.min_cells, 4);
  }
  // 2D: no split of 1 x 1 cells over 2 ranks; the 1D figure min_cells is not given.
  EXPECT_THROW(nf::split_over_ranks(spec({1, 1}), 2), nf::GridTooSmall);
}

}  // namespace
