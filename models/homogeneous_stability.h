#pragma once
// Linear stability of homogeneous states of neural fields with synaptic response
// order m (F.M. Atay & A. Hutt, SIAM J Appl Math 65:644-666 (2005); N.A. Venkov,
// S. Coombes & P.C. Matthews, Physica D 232:1-15 (2007); docs/theory.md):
//   eta(d/dt) u = int K(x - y) S(u(y, t - |x - y|/c)) dy + I,  eta(d/dt) = (1 + (1/alpha) d/dt)^m.
// About a homogeneous state u0, with gain g = S'(u0), the mode e^{ikx + lambda t} obeys
//   eta(lambda) = g K^(k, lambda),   K^(k, lambda) = int K(z) e^{-lambda |z|/c} e^{-ikz} dz.   (4.1)
// Without delay (c = inf) K^ = w^(k), the kernel's Fourier transform, in any dimension.
// In 1D, for sums of exponentials and wizard hats, K^ is rational in lambda and (4.1)
// is a polynomial equation: its roots are exact, no transcendental search.
// Units: lambda, alpha in 1/s; k in rad/m; sigma in m; c in m/s; g, K^ dimensionless.
#include <array>
#include <complex>
#include <functional>
#include <limits>
#include <vector>

namespace nf {

struct SynapticResponse {
  int order = 1;      // m: 1 (first-order, tau du/dt = -u + ...) or 2 (alpha-type synapse)
  double rate = 1;    // alpha (1/s) = 1/tau
};

// eta(lambda) = (1 + lambda/alpha)^m.
std::complex<double> synaptic_symbol(const SynapticResponse& s, std::complex<double> lambda);

// The rightmost root of eta(lambda) = G for a real G = g w^(k) (no delay):
//   lambda = alpha (G^{1/m} e^{i pi j'/m} - 1), the principal m-th root (j' = 0 for
//   G >= 0, 1 for G < 0), Im lambda >= 0.
std::complex<double> undelayed_rate(const SynapticResponse& s, double gain_times_transform);

// 1D kernel terms with a transform rational in lambda (A = 1 + lambda sigma/c, q = k sigma):
//   exponential (a/2 sigma) e^{-|z|/sigma}:           a A/(A^2 + q^2)
//   wizard_hat  a (1 - |z|/sigma) e^{-|z|/sigma}:     2 a sigma [A/(A^2 + q^2) - (A^2 - q^2)/(A^2 + q^2)^2]
enum class TermShape { exponential, wizard_hat };
struct KernelTerm {
  TermShape shape = TermShape::exponential;
  double a = 1;       // amplitude (exponential: integral; wizard hat: peak, 1/m)
  double sigma = 1;   // m
};

struct DelayedField {
  std::vector<KernelTerm> kernel;
  SynapticResponse synapse;
  double velocity = std::numeric_limits<double>::infinity();  // c (m/s); inf: no delay
};

// K^(k, lambda) of the terms.
std::complex<double> delayed_transform(const DelayedField& f, double k, std::complex<double> lambda);
// Coefficients (ascending powers of lambda) of eta(lambda) D(lambda) - g N(lambda),
// K^ = N/D over the least common denominator of the terms (terms of equal sigma share it).
std::vector<double> characteristic_polynomial(const DelayedField& f, double gain, double k);
// Its roots, rightmost first.
std::vector<std::complex<double>> characteristic_roots(const DelayedField& f, double gain, double k);
std::complex<double> rightmost_rate(const DelayedField& f, double gain, double k);

struct RightmostMode {
  double wavenumber = 0;          // rad/m
  std::complex<double> rate;      // lambda (1/s)
};
// The k in [0, k_max] with the largest Re lambda at gain g: a scan of `samples` points
// refined by golden section to 1e-10 k_max.
RightmostMode rightmost_over_k(const DelayedField& f, double gain, double k_max, int samples = 400);

struct CriticalPoint {
  double gain = 0;                // g_c: the least g > 0 at which some k has Re lambda = 0
  double wavenumber = 0;          // k_c (rad/m)
  double frequency = 0;           // omega_c = |Im lambda| (rad/s) there; 0 for a static (Turing) onset
};
// Per k, the neutral gain g_n(k): the first of the gains 2^{j/4} in [1e-3, 1e6] at which
// Re lambda > 0, bisected against the one before it to 1e-13 relative; g_c is the least
// g_n over a scan of [0, k_max], refined by golden section. Throws std::runtime_error
// when no k in the scan loses stability below 1e6.
CriticalPoint critical_point(const DelayedField& f, double k_max, int samples = 400);

// Two populations (E, I) without delay, each with its own synaptic response: the roots
// of det(diag(eta_E(lambda), eta_I(lambda)) - M) = 0, M the 2x2 coupling matrix
// (row-major; M_ab = d(input of a)/d(u_b) at the state, dimensionless). Rightmost first.
std::vector<std::complex<double>> two_population_roots(const SynapticResponse& e, const SynapticResponse& i,
                                                       const std::array<double, 4>& m);

// The zeros of a continuous F on [lo, hi]: sign changes over `samples` intervals, each
// bisected to 1e-14 (|lo| + |hi|). Ascending.
std::vector<double> zeros_on(const std::function<double(double)>& F, double lo, double hi, int samples = 4000);

}  // namespace nf
