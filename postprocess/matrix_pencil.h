#pragma once
// Multichannel matrix pencil: fit x_c(t_first + k dt) = sum_m a_{c,m} z_m^k, z_m = exp(lambda_m dt),
// with the rates lambda_m shared by every channel.
//   Hua & Sarkar, IEEE Trans. ASSP 38:814 (1990) (pencil, bound M <= L <= K - M, L ~ K/3 for noise);
//   Sarkar & Pereira, IEEE Antennas Prop. Mag. 37(1):48 (1995) (SVD truncation, V1^+ V2, amplitudes).
#include <complex>
#include <vector>

namespace nf {

struct FittedMode {
  std::complex<double> rate;                    // lambda (1/s): x_c(t) ~ sum_m a_{c,m} exp(lambda_m (t - t_first))
  std::vector<std::complex<double>> amplitude;  // a_{c,m}, one per channel, at the first sample
};

// channels[c][k] is channel c sampled at t_first + k*dt (s); every channel has the same length K.
//
// Y = [Y_0; ...; Y_{C-1}], Y_c[i][j] = x_c[i + j], i < K - L, j <= L (C(K-L) x (L+1)).
// Y = U S V^T; keep the M singular values s_m > rel_tol * s_max (M <= max_modes); with V' the
// first M right singular vectors, V1 = V' without its last row, V2 = V' without its first row,
// z_m = eig(V1^+ V2) and lambda_m = log(z_m) / dt (principal branch: |Im lambda| < pi/dt, Nyquist).
// Amplitudes: per channel, least squares on the Vandermonde system x_c[k] = sum_m a_{c,m} z_m^k.
//
// pencil = L; 0 selects L = K/3 (Hua & Sarkar's noise-robust choice), clamped to the
// Hua & Sarkar bound max_modes <= L <= K - max_modes. Cost O(C K L^2): pass a smaller L
// (>= max_modes) for long noiseless windows.
// Real channels give complex modes as conjugate pairs; both members are returned.
// Returns the modes sorted by Re(lambda) descending (ties: Im(lambda) descending);
// an identically zero signal returns no modes.
// Throws std::invalid_argument for no channels, unequal or too short channels (K < 2 max_modes),
// non-finite samples, dt <= 0, rel_tol outside (0,1), max_modes < 1 or pencil outside the bound.
std::vector<FittedMode> fit_matrix_pencil(const std::vector<std::vector<double>>& channels, double dt,
                                          double rel_tol = 1e-10, int max_modes = 40, int pencil = 0);

}  // namespace nf
