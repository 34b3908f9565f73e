#pragma once
// The rightmost eigenvalues of a DelaySystem linearised about a state x0:
//   T(l) x = (l I - A0 - sum_k A_k e^{-l tau_k}) x = 0,
// A0 = dF/du, A_k = dF/du(t - tau_k) at x0, assembled here from the system's own
// right-hand side by central differences on basis vectors (exact, up to round-off,
// for a linear system). The solver knows no model.
//
// The matrices are balanced first (a diagonal similarity D^-1 A D, the same for every
// A: det T unchanged) so that non-normal chains keep their eigenvalues computable.
// Method (docs/theory.md, "Linear stability"): the pseudospectral (Chebyshev
// collocation) discretisation of the infinitesimal generator of the delay equation on
// [-tau_max, 0] (Breda, Maset & Vermiglio, SIAM J Sci Comput 27:482 (2005)), a sparse
// real matrix of order n (M+1) whose rightmost eigenvalues converge spectrally to the
// rightmost roots of det T; SLEPc EPS (Krylov-Schur) computes them, -eps_* options
// apply. Each one is checked on T itself: its relative residual
//   ||T(l) x|| / (||x|| (|l| + ||A0|| + sum_k ||A_k|| |e^{-l tau_k}|)),
// x the eigenvector's value at theta = 0; M doubles (up to max_nodes) until every
// reported eigenvalue meets residual_tol. Then, for up to polish_max_states states,
// Newton's method on the bordered system T(l) x = 0, c^H x = 1 refines each eigenpair
// to round-off (dense, redundantly on every rank), so the digits no longer depend on
// the generator's conditioning or on the rank count.
#include <petscdm.h>
#include <petscmat.h>

#include <complex>
#include <string>
#include <vector>

#include "solvers/delay_system.h"

namespace nf {

struct DelaySpectrumSettings {
  int eigenvalues = 10;        // how many rightmost to report (upper half plane, conjugates implied)
  double fd_step = 1e-5;       // central-difference step, relative to max(1, |x0_j|)
  int nodes = 32;              // first Chebyshev collocation order M
  int max_nodes = 256;         // largest M tried
  double residual_tol = 1e-11; // relative residual every reported eigenvalue must meet
  double eps_tol = 1e-13;      // EPS tolerance before -eps_tol
  // Newton on T(l) from each eigenpair (dense, on every rank) up to this many states.
  PetscInt polish_max_states = 1000;
};

struct DelaySpectrum {
  // Rightmost first (ties: larger imaginary part first); Im >= 0 only, the system being real.
  std::vector<std::complex<double>> eigenvalues;  // 1/s
  std::vector<double> residuals;                  // relative residuals on T(l), as above
  int nodes = 0;                                  // the M of the generator that gave them
  PetscInt generator_size = 0;                    // n (M+1)
  PetscInt state_size = 0;                        // n
  std::vector<double> lags;                       // tau_k (s)
  std::string eps_type;                           // the EPS type that ran
  int eps_iterations = 0;
  bool met_tolerance = false;                     // every residual <= residual_tol
  int polished = 0;                               // how many Newton refined on T(l)
};

// The linearisation about x0 (a global vector on s.dm()): A0 and one A_k per lag of s.
// Collective; throws PetscFailure (or std::runtime_error) on failure.
struct DelayLinearisation {
  Mat a0 = nullptr;
  std::vector<Mat> ak;
  std::vector<double> lags;
  DelayLinearisation() = default;
  DelayLinearisation(const DelayLinearisation&) = delete;
  DelayLinearisation& operator=(const DelayLinearisation&) = delete;
  ~DelayLinearisation();
};
void linearise(const DelaySystem& s, Vec x0, double fd_step, DelayLinearisation& out);

// Collective over s.dm()'s communicator. Calls EPSSetFromOptions (options prefix none:
// -eps_*, -st_*, -bv_*, -ds_*, -rg_*), so SLEPc must be initialised.
DelaySpectrum rightmost_delay_spectrum(const DelaySystem& s, Vec x0, const DelaySpectrumSettings& settings);

// ||T(l) x|| / (||x|| (|l| + ||A0|| + sum ||A_k|| |e^{-l tau_k}|)) for x = xr + i xi.
double delay_residual(const DelayLinearisation& lin, std::complex<double> l, Vec xr, Vec xi);

}  // namespace nf
