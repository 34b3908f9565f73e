#pragma once
// The terms of a right-hand side f = du/dt that one evaluation asks for: shared by the
// models, which write them, and the integrators, which choose them.
namespace nf {

// Which terms of f to evaluate. IMEX methods treat the stiff part implicitly; it
// must not read delayed states (they are known functions of t, so they belong with
// the explicit part). all = nonstiff + stiff.
enum class RhsPart { all, nonstiff, stiff };

}  // namespace nf
