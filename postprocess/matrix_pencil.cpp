#include "postprocess/matrix_pencil.h"

#include <petscsys.h>
// petscblaslapack.h relies on petscsys.h being included first.
#include <petscblaslapack.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace nf {
namespace {

static_assert(std::is_same_v<PetscScalar, double> && std::is_same_v<PetscReal, double>,
              "fit_matrix_pencil calls the real double-precision LAPACK routines");

using Complex = std::complex<double>;

// Column-major dense matrix, the LAPACK layout.
struct Dense {
  PetscBLASInt rows = 0, cols = 0;
  std::vector<double> v;
  Dense(PetscBLASInt r, PetscBLASInt c) : rows(r), cols(c), v(std::size_t(r) * std::size_t(c), 0.0) {}
  double& operator()(PetscBLASInt i, PetscBLASInt j) { return v[std::size_t(i) + std::size_t(j) * rows]; }
  double operator()(PetscBLASInt i, PetscBLASInt j) const { return v[std::size_t(i) + std::size_t(j) * rows]; }
};

// Vandermonde rank cut-off of the amplitude least squares: columns closer to dependent than
// this (relative to the largest singular value) are poles that the data cannot separate.
constexpr double kVandermondeRcond = 1e-12;

PetscBLASInt blas_int(std::size_t n) {
  if (n > std::size_t(std::numeric_limits<PetscBLASInt>::max()))
    throw std::invalid_argument("fit_matrix_pencil: matrix dimension " + std::to_string(n) +
                                " exceeds the LAPACK integer range");
  return static_cast<PetscBLASInt>(n);
}

void check_info(PetscBLASInt info, const char* routine) {
  if (info != 0)
    throw std::runtime_error(std::string("fit_matrix_pencil: LAPACK ") + routine +
                             " failed with info = " + std::to_string(info));
}

// Singular values (descending) and the min(m,n) x n matrix V^T of A = U S V^T.
struct RightSvd {
  std::vector<double> s;
  Dense vt;
};

RightSvd right_svd(Dense a) {
  const PetscBLASInt m = a.rows, n = a.cols, k = std::min(m, n), lda = std::max<PetscBLASInt>(1, m);
  RightSvd r{std::vector<double>(std::size_t(k)), Dense(k, n)};
  PetscBLASInt ldu = 1, lwork = -1, info = 0;
  double u_unused = 0, query = 0;
  LAPACKgesvd_("N", "S", &m, &n, a.v.data(), &lda, r.s.data(), &u_unused, &ldu, r.vt.v.data(), &k, &query,
               &lwork, &info);
  check_info(info, "dgesvd (workspace query)");
  lwork = static_cast<PetscBLASInt>(query);
  std::vector<double> work(std::size_t(std::max<PetscBLASInt>(1, lwork)));
  LAPACKgesvd_("N", "S", &m, &n, a.v.data(), &lda, r.s.data(), &u_unused, &ldu, r.vt.v.data(), &k, work.data(),
               &lwork, &info);
  check_info(info, "dgesvd");
  return r;
}

// Minimum-norm least-squares solution X (n x nrhs) of A X = B via the SVD of A (dgelss);
// singular values below rcond * s_max are treated as zero (rcond < 0: machine precision).
Dense least_squares(Dense a, const Dense& b, double rcond) {
  const PetscBLASInt m = a.rows, n = a.cols, nrhs = b.cols;
  const PetscBLASInt lda = std::max<PetscBLASInt>(1, m), ldb = std::max({m, n, PetscBLASInt(1)});
  Dense bx(ldb, nrhs);
  for (PetscBLASInt j = 0; j < nrhs; ++j)
    for (PetscBLASInt i = 0; i < m; ++i) bx(i, j) = b(i, j);
  std::vector<double> s(std::size_t(std::max<PetscBLASInt>(1, std::min(m, n))));
  PetscBLASInt rank = 0, lwork = -1, info = 0;
  double query = 0;
  LAPACKgelss_(&m, &n, &nrhs, a.v.data(), &lda, bx.v.data(), &ldb, s.data(), &rcond, &rank, &query, &lwork, &info);
  check_info(info, "dgelss (workspace query)");
  lwork = static_cast<PetscBLASInt>(query);
  std::vector<double> work(std::size_t(std::max<PetscBLASInt>(1, lwork)));
  LAPACKgelss_(&m, &n, &nrhs, a.v.data(), &lda, bx.v.data(), &ldb, s.data(), &rcond, &rank, work.data(), &lwork,
               &info);
  check_info(info, "dgelss");
  Dense x(n, nrhs);
  for (PetscBLASInt j = 0; j < nrhs; ++j)
    for (PetscBLASInt i = 0; i < n; ++i) x(i, j) = bx(i, j);
  return x;
}

std::vector<Complex> eigenvalues(Dense a) {
  const PetscBLASInt n = a.rows, lda = std::max<PetscBLASInt>(1, n);
  std::vector<double> wr(static_cast<std::size_t>(n)), wi(static_cast<std::size_t>(n));
  PetscBLASInt ldv = 1, lwork = -1, info = 0;
  double v_unused = 0, query = 0;
  LAPACKgeev_("N", "N", &n, a.v.data(), &lda, wr.data(), wi.data(), &v_unused, &ldv, &v_unused, &ldv, &query,
              &lwork, &info);
  check_info(info, "dgeev (workspace query)");
  lwork = static_cast<PetscBLASInt>(query);
  std::vector<double> work(std::size_t(std::max<PetscBLASInt>(1, lwork)));
  LAPACKgeev_("N", "N", &n, a.v.data(), &lda, wr.data(), wi.data(), &v_unused, &ldv, &v_unused, &ldv,
              work.data(), &lwork, &info);
  check_info(info, "dgeev");
  std::vector<Complex> z(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = {wr[i], wi[i]};
  return z;
}

// Returns the pencil parameter L after checking the inputs.
int validated_pencil(const std::vector<std::vector<double>>& channels, double dt, double rel_tol, int max_modes,
                     int pencil) {
  if (channels.empty()) throw std::invalid_argument("fit_matrix_pencil: no channels given");
  const std::size_t samples = channels.front().size();
  for (std::size_t c = 0; c < channels.size(); ++c) {
    if (channels[c].size() != samples)
      throw std::invalid_argument("fit_matrix_pencil: channel " + std::to_string(c) + " has " +
                                  std::to_string(channels[c].size()) + " samples, channel 0 has " +
                                  std::to_string(samples) + "; all channels must have the same length");
    for (double x : channels[c])
      if (!std::isfinite(x))
        throw std::invalid_argument("fit_matrix_pencil: channel " + std::to_string(c) + " has a non-finite sample");
  }
  if (!(dt > 0) || !std::isfinite(dt))
    throw std::invalid_argument("fit_matrix_pencil: dt = " + std::to_string(dt) + " s must be positive and finite");
  if (!(rel_tol > 0 && rel_tol < 1))
    throw std::invalid_argument("fit_matrix_pencil: rel_tol = " + std::to_string(rel_tol) + " must lie in (0, 1)");
  if (max_modes < 1)
    throw std::invalid_argument("fit_matrix_pencil: max_modes = " + std::to_string(max_modes) + " must be >= 1");
  const auto k = static_cast<long long>(samples);
  if (k < 2LL * max_modes)
    throw std::invalid_argument("fit_matrix_pencil: " + std::to_string(k) + " samples per channel cannot resolve " +
                                std::to_string(max_modes) + " modes; need at least 2*max_modes = " +
                                std::to_string(2LL * max_modes) + " (longer window or smaller max_modes)");
  if (pencil == 0) return static_cast<int>(std::clamp<long long>(k / 3, max_modes, k - max_modes));
  if (pencil < max_modes || pencil > k - max_modes)
    throw std::invalid_argument("fit_matrix_pencil: pencil L = " + std::to_string(pencil) + " must satisfy " +
                                "max_modes <= L <= K - max_modes, i.e. [" + std::to_string(max_modes) + ", " +
                                std::to_string(k - max_modes) + "] (0 selects K/3)");
  return pencil;
}

// Y = [Y_0; ...; Y_{C-1}], Y_c[i][j] = x_c[i + j]: one Hankel block per channel, all sharing z_m.
Dense stacked_hankel(const std::vector<std::vector<double>>& channels, int pencil) {
  const std::size_t rows_per_channel = channels.front().size() - std::size_t(pencil);
  Dense y(blas_int(channels.size() * rows_per_channel), blas_int(std::size_t(pencil) + 1));
  for (std::size_t c = 0; c < channels.size(); ++c)
    for (PetscBLASInt j = 0; j < y.cols; ++j)
      for (std::size_t i = 0; i < rows_per_channel; ++i)
        y(PetscBLASInt(c * rows_per_channel + i), j) = channels[c][i + std::size_t(j)];
  return y;
}

int retained_modes(const std::vector<double>& s, double rel_tol, int max_modes) {
  int m = 0;
  while (m < max_modes && m < int(s.size()) && s[std::size_t(m)] > rel_tol * s.front()) ++m;
  return m;
}

// z = eig(V1^+ V2): V' = first M right singular vectors ((L+1) x M), V1 = rows 0..L-1,
// V2 = rows 1..L (Sarkar & Pereira 1995). Noiseless, V' = Z T with Z[j][m] = z_m^j, so
// V1^+ V2 = T^{-1} diag(z) T.
std::vector<Complex> pencil_poles(const Dense& vt, int modes) {
  const PetscBLASInt pencil = vt.cols - 1;
  Dense v1(pencil, modes), v2(pencil, modes);
  for (PetscBLASInt m = 0; m < modes; ++m)
    for (PetscBLASInt j = 0; j < pencil; ++j) {
      v1(j, m) = vt(m, j);
      v2(j, m) = vt(m, j + 1);
    }
  return eigenvalues(least_squares(std::move(v1), v2, -1.0));
}

// Amplitudes a_{c,m} from x_c[k] = sum_m a_{c,m} z_m^k, all channels as right-hand sides.
// Complex system as the real one [Re V, -Im V; Im V, Re V] [Re a; Im a] = [x; 0].
// Column m is divided by exp(shift_m) * norm_m, shift_m = max(0, (K-1) Re log z_m), so a
// growing pole cannot overflow z^k; a = (solution) / (exp(shift_m) * norm_m).
std::vector<std::vector<Complex>> fit_amplitudes(const std::vector<std::vector<double>>& channels,
                                                 const std::vector<Complex>& poles) {
  const PetscBLASInt samples = blas_int(channels.front().size()), modes = blas_int(poles.size());
  const PetscBLASInt nch = blas_int(channels.size());
  Dense a(2 * samples, 2 * modes), b(2 * samples, nch);
  std::vector<double> shift(poles.size()), norm(poles.size());
  for (PetscBLASInt m = 0; m < modes; ++m) {
    const Complex w = std::log(poles[std::size_t(m)]);
    shift[std::size_t(m)] = std::max(0.0, double(samples - 1) * w.real());
    double sum = 0;
    for (PetscBLASInt k = 0; k < samples; ++k) {
      const Complex p = std::exp(double(k) * w - shift[std::size_t(m)]);
      a(k, m) = p.real();
      a(k, modes + m) = -p.imag();
      a(samples + k, m) = p.imag();
      a(samples + k, modes + m) = p.real();
      sum += std::norm(p);
    }
    norm[std::size_t(m)] = std::sqrt(sum);
    for (PetscBLASInt k = 0; k < 2 * samples; ++k) {
      a(k, m) /= norm[std::size_t(m)];
      a(k, modes + m) /= norm[std::size_t(m)];
    }
  }
  for (PetscBLASInt c = 0; c < nch; ++c)
    for (PetscBLASInt k = 0; k < samples; ++k) b(k, c) = channels[std::size_t(c)][std::size_t(k)];
  const Dense x = least_squares(std::move(a), b, kVandermondeRcond);
  std::vector<std::vector<Complex>> amp(poles.size(), std::vector<Complex>(channels.size()));
  for (PetscBLASInt m = 0; m < modes; ++m) {
    const double unscale = std::exp(-shift[std::size_t(m)]) / norm[std::size_t(m)];
    for (PetscBLASInt c = 0; c < nch; ++c)
      amp[std::size_t(m)][std::size_t(c)] = Complex(x(m, c), x(modes + m, c)) * unscale;
  }
  return amp;
}

}  // namespace

std::vector<FittedMode> fit_matrix_pencil(const std::vector<std::vector<double>>& channels, double dt,
                                          double rel_tol, int max_modes, int pencil) {
  const int pencil_l = validated_pencil(channels, dt, rel_tol, max_modes, pencil);
  const RightSvd svd = right_svd(stacked_hankel(channels, pencil_l));
  if (svd.s.empty() || !(svd.s.front() > 0)) return {};
  std::vector<Complex> poles = pencil_poles(svd.vt, retained_modes(svd.s, rel_tol, max_modes));
  // A pole at z = 0 is a one-sample transient with no finite rate.
  std::erase_if(poles, [](Complex z) { return !std::isfinite(std::log(std::abs(z))); });
  if (poles.empty()) return {};
  const auto amplitudes = fit_amplitudes(channels, poles);
  std::vector<FittedMode> modes(poles.size());
  for (std::size_t m = 0; m < poles.size(); ++m) modes[m] = {std::log(poles[m]) / dt, amplitudes[m]};
  std::sort(modes.begin(), modes.end(), [](const FittedMode& p, const FittedMode& q) {
    if (p.rate.real() != q.rate.real()) return p.rate.real() > q.rate.real();
    return p.rate.imag() > q.rate.imag();
  });
  return modes;
}

}  // namespace nf
