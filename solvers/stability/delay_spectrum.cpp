#include "solvers/stability/delay_spectrum.h"

#include <slepceps.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>
#include <stdexcept>

#include "base/petsc_error.h"
#include "base/petsc_handles.h"

namespace nf {
namespace {

using cd = std::complex<double>;
using OwnedEPS = Owned<EPS, EPSDestroy>;

// u_local <- the ghosted local form of the global vector g.
void to_local(DM dm, Vec g, Vec local) {
  check_petsc(DMGlobalToLocalBegin(dm, g, INSERT_VALUES, local));
  check_petsc(DMGlobalToLocalEnd(dm, g, INSERT_VALUES, local));
}

// Chebyshev points x_j = cos(pi j/M), j = 0..M, and the differentiation matrix on them
// (Trefethen, "Spectral Methods in MATLAB", SIAM 2000, cheb.m), row-major.
void chebyshev(int m, std::vector<double>& x, std::vector<double>& d) {
  x.resize(m + 1);
  d.assign(static_cast<std::size_t>((m + 1) * (m + 1)), 0.0);
  for (int j = 0; j <= m; ++j) x[j] = std::cos(std::numbers::pi * j / m);
  auto c = [m](int j) { return (j == 0 || j == m ? 2.0 : 1.0) * ((j % 2) ? -1.0 : 1.0); };
  for (int i = 0; i <= m; ++i) {
    double sum = 0;
    for (int j = 0; j <= m; ++j) {
      if (i == j) continue;
      const double v = c(i) / c(j) / (x[i] - x[j]);
      d[i * (m + 1) + j] = v;
      sum += v;
    }
    d[i * (m + 1) + i] = -sum;  // the negative sum trick: rows of D annihilate constants
  }
}

// Lagrange basis on the Chebyshev points at s (barycentric formula, weights (-1)^j,
// halved at the ends).
std::vector<double> lagrange_at(const std::vector<double>& x, double s) {
  const int m = static_cast<int>(x.size()) - 1;
  std::vector<double> l(x.size(), 0.0);
  for (int j = 0; j <= m; ++j)
    if (s == x[j]) {
      l[j] = 1;
      return l;
    }
  double total = 0;
  for (int j = 0; j <= m; ++j) {
    const double w = ((j % 2) ? -1.0 : 1.0) * (j == 0 || j == m ? 0.5 : 1.0);
    l[j] = w / (s - x[j]);
    total += l[j];
  }
  for (double& v : l) v /= total;
  return l;
}

// Row i (global) of the owned rows of a: its column indices and values.
void row_entries(Mat a, PetscInt i, std::vector<PetscInt>& cols, std::vector<double>& vals) {
  PetscInt n = 0;
  const PetscInt* c = nullptr;
  const PetscScalar* v = nullptr;
  check_petsc(MatGetRow(a, i, &n, &c, &v));
  cols.assign(c, c + n);
  vals.assign(v, v + n);
  check_petsc(MatRestoreRow(a, i, &n, &c, &v));
}

// The generator of order n (M+1), row (i, j) at i (M+1) + j: j = 0 holds the
// equation at theta = 0, j >= 1 the derivative of the collocation polynomial.
void assemble_generator(const DelayLinearisation& lin, int m, Mat* g_out) {
  PetscInt lo = 0, hi = 0, n = 0;
  check_petsc(MatGetOwnershipRange(lin.a0, &lo, &hi));
  check_petsc(MatGetSize(lin.a0, &n, nullptr));
  MPI_Comm comm = PetscObjectComm(reinterpret_cast<PetscObject>(lin.a0));
  const PetscInt b = m + 1, local = (hi - lo) * b;
  const double tau_max = lin.lags.empty() ? 0.0 : *std::max_element(lin.lags.begin(), lin.lags.end());
  std::vector<double> x, d;
  std::vector<std::vector<double>> ell;  // per lag: the Lagrange basis at theta = -tau_k
  if (m > 0) {
    chebyshev(m, x, d);
    for (double tau : lin.lags) ell.push_back(lagrange_at(x, 1.0 - 2.0 * tau / tau_max));
  }
  // Row j = 0 of state i couples to the states in the union of A's rows, at every node
  // that the interpolation reaches.
  std::vector<PetscInt> d_nnz(local, m), o_nnz(local, 0);
  std::vector<std::vector<PetscInt>> union_cols(hi - lo);
  std::vector<PetscInt> cols;
  std::vector<double> vals;
  for (PetscInt i = lo; i < hi; ++i) {
    std::set<PetscInt> u;
    row_entries(lin.a0, i, cols, vals);
    u.insert(cols.begin(), cols.end());
    for (Mat a : lin.ak) {
      row_entries(a, i, cols, vals);
      u.insert(cols.begin(), cols.end());
    }
    union_cols[i - lo].assign(u.begin(), u.end());
    PetscInt dn = 0, on = 0;
    for (PetscInt c : u) (c >= lo && c < hi ? dn : on) += b;
    if (m == 0) dn = std::max<PetscInt>(dn, 1);
    d_nnz[(i - lo) * b] = std::min(dn, local);
    o_nnz[(i - lo) * b] = on;
    for (PetscInt j = 1; j < b; ++j) d_nnz[(i - lo) * b + j] = b;
  }
  check_petsc(MatCreateAIJ(comm, local, local, n * b, n * b, 0, d_nnz.data(), 0, o_nnz.data(), g_out));
  Mat g = *g_out;
  check_petsc(MatSetOption(g, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE));
  std::vector<double> row;
  std::vector<PetscInt> row_cols;
  for (PetscInt i = lo; i < hi; ++i) {
    // theta = 0: A0 u(0) + sum_k A_k sum_l ell_kl u(theta_l)
    row_entries(lin.a0, i, cols, vals);
    for (std::size_t e = 0; e < cols.size(); ++e)
      check_petsc(MatSetValue(g, i * b, cols[e] * b, vals[e], ADD_VALUES));
    for (std::size_t k = 0; k < lin.ak.size(); ++k) {
      row_entries(lin.ak[k], i, cols, vals);
      for (std::size_t e = 0; e < cols.size(); ++e)
        for (PetscInt l = 0; l < b; ++l)
          if (ell[k][l] != 0.0) check_petsc(MatSetValue(g, i * b, cols[e] * b + l, vals[e] * ell[k][l], ADD_VALUES));
    }
    // theta_j, j >= 1: u'(theta_j) = (2/tau_max) sum_l D_jl u(theta_l)
    for (PetscInt j = 1; j < b; ++j) {
      row.assign(b, 0.0);
      row_cols.resize(b);
      for (PetscInt l = 0; l < b; ++l) {
        row_cols[l] = i * b + l;
        row[l] = 2.0 / tau_max * d[j * b + l];
      }
      const PetscInt r = i * b + j;
      check_petsc(MatSetValues(g, 1, &r, b, row_cols.data(), row.data(), ADD_VALUES));
    }
  }
  // A row of zeros still needs its diagonal for EPS (m = 0 with A0 = 0 on a row).
  for (PetscInt r = lo * b; r < hi * b; ++r) check_petsc(MatSetValue(g, r, r, 0.0, ADD_VALUES));
  check_petsc(MatAssemblyBegin(g, MAT_FINAL_ASSEMBLY));
  check_petsc(MatAssemblyEnd(g, MAT_FINAL_ASSEMBLY));
}

// x (a vector of A0's layout) <- the theta = 0 values of a generator eigenvector v.
void value_at_zero(Vec v, PetscInt b, Vec x) {
  const PetscScalar* pv = nullptr;
  PetscScalar* px = nullptr;
  PetscInt n = 0;
  check_petsc(VecGetLocalSize(x, &n));
  check_petsc(VecGetArrayRead(v, &pv));
  check_petsc(VecGetArray(x, &px));
  for (PetscInt i = 0; i < n; ++i) px[i] = pv[i * b];
  check_petsc(VecRestoreArray(x, &px));
  check_petsc(VecRestoreArrayRead(v, &pv));
}


// The whole of a distributed matrix, dense and row-major, on every rank.
std::vector<double> dense_everywhere(Mat a) {
  PetscInt n = 0;
  check_petsc(MatGetSize(a, &n, nullptr));
  OwnedIS all;
  check_petsc(ISCreateStride(PETSC_COMM_SELF, n, 0, 1, all.out()));
  Mat* sub = nullptr;
  IS rows = all.get();
  check_petsc(MatCreateSubMatrices(a, 1, &rows, &rows, MAT_INITIAL_MATRIX, &sub));
  std::vector<double> d(static_cast<std::size_t>(n * n), 0.0);
  std::vector<PetscInt> cols;
  std::vector<double> vals;
  for (PetscInt i = 0; i < n; ++i) {
    row_entries(sub[0], i, cols, vals);
    for (std::size_t e = 0; e < cols.size(); ++e) d[i * n + cols[e]] = vals[e];
  }
  check_petsc(MatDestroySubMatrices(1, &sub));
  return d;
}

// The whole of a distributed vector on every rank.
std::vector<double> vector_everywhere(Vec v) {
  VecScatter scatter = nullptr;
  Vec all = nullptr;
  check_petsc(VecScatterCreateToAll(v, &scatter, &all));
  check_petsc(VecScatterBegin(scatter, v, all, INSERT_VALUES, SCATTER_FORWARD));
  check_petsc(VecScatterEnd(scatter, v, all, INSERT_VALUES, SCATTER_FORWARD));
  PetscInt n = 0;
  check_petsc(VecGetSize(all, &n));
  const PetscScalar* a = nullptr;
  check_petsc(VecGetArrayRead(all, &a));
  std::vector<double> out(a, a + n);
  check_petsc(VecRestoreArrayRead(all, &a));
  check_petsc(VecScatterDestroy(&scatter));
  check_petsc(VecDestroy(&all));
  return out;
}

// Solves m z = b in place (m row-major, order n) by Gaussian elimination with partial
// pivoting; false if m is singular to working precision.
bool solve_dense(std::vector<cd>& m, std::vector<cd>& b, std::size_t n) {
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t p = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::abs(m[r * n + c]) > std::abs(m[p * n + c])) p = r;
    if (m[p * n + c] == 0.0) return false;
    if (p != c) {
      for (std::size_t k = 0; k < n; ++k) std::swap(m[p * n + k], m[c * n + k]);
      std::swap(b[p], b[c]);
    }
    for (std::size_t r = c + 1; r < n; ++r) {
      const cd f = m[r * n + c] / m[c * n + c];
      if (f == 0.0) continue;
      for (std::size_t k = c; k < n; ++k) m[r * n + k] -= f * m[c * n + k];
      b[r] -= f * b[c];
    }
  }
  for (std::size_t c = n; c-- > 0;) {
    cd t = b[c];
    for (std::size_t k = c + 1; k < n; ++k) t -= m[c * n + k] * b[k];
    b[c] = t / m[c * n + c];
  }
  return true;
}

// Newton's method on T(l) x = 0, c^H x = 1 (the bordered system, e.g. A. Ruhe, SIAM J
// Numer Anal 10:674 (1973)), from the generator's eigenpair: quadratic convergence to the
// root of det T nearest it, so the result no longer carries the generator's round-off
// (which grows with its norm, ~ M^2/tau_max) and does not depend on the rank count.
// Dense and redundant on every rank. Returns false (l untouched) if it does not converge
// within 20 steps to a step |dl| <= 1e-12 |l| (the last step taken) or if it moves l by more than 1e-6 |l|.
struct DenseLinearisation {
  std::size_t n = 0;
  std::vector<double> a0;
  std::vector<std::vector<double>> ak;
  std::vector<double> lags;
};

double dense_residual(const DenseLinearisation& d, cd l, const std::vector<cd>& x) {
  const std::size_t n = d.n;
  std::vector<cd> e(d.lags.size());
  for (std::size_t k = 0; k < d.lags.size(); ++k) e[k] = std::exp(-l * d.lags[k]);
  double r2 = 0, x2 = 0, n0 = 0;
  std::vector<double> nk(d.lags.size(), 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    cd t = l * x[i];
    double s0 = 0;
    for (std::size_t j = 0; j < n; ++j) {
      cd a = d.a0[i * n + j];
      s0 += std::abs(d.a0[i * n + j]);
      for (std::size_t k = 0; k < d.lags.size(); ++k) a += d.ak[k][i * n + j] * e[k];
      t -= a * x[j];
    }
    n0 = std::max(n0, s0);
    for (std::size_t k = 0; k < d.lags.size(); ++k) {
      double sk = 0;
      for (std::size_t j = 0; j < n; ++j) sk += std::abs(d.ak[k][i * n + j]);
      nk[k] = std::max(nk[k], sk);
    }
    r2 += std::norm(t);
    x2 += std::norm(x[i]);
  }
  double scale = std::abs(l) + n0;
  for (std::size_t k = 0; k < d.lags.size(); ++k) scale += nk[k] * std::abs(e[k]);
  return std::sqrt(r2) / (std::sqrt(x2) * scale);
}

bool newton_polish(const DenseLinearisation& d, cd& l, std::vector<cd>& x) {
  const std::size_t n = d.n;
  const std::vector<cd> c = x;
  cd lam = l;
  std::vector<cd> m((n + 1) * (n + 1)), rhs(n + 1), e(d.lags.size());
  for (int it = 0; it < 20; ++it) {
    for (std::size_t k = 0; k < d.lags.size(); ++k) e[k] = std::exp(-lam * d.lags[k]);
    std::fill(m.begin(), m.end(), cd(0));
    for (std::size_t i = 0; i < n; ++i) {
      cd tprime_x = x[i];  // T'(l) x = x + sum_k tau_k e_k A_k x
      cd tx = lam * x[i];
      for (std::size_t j = 0; j < n; ++j) {
        cd t = -d.a0[i * n + j];
        cd tp = 0;
        for (std::size_t k = 0; k < d.lags.size(); ++k) {
          const double a = d.ak[k][i * n + j];
          if (a == 0) continue;
          t -= a * e[k];
          tp += d.lags[k] * a * e[k];
        }
        if (i == j) t += lam;
        m[i * (n + 1) + j] = t;
        tx += (t - (i == j ? lam : cd(0))) * x[j];
        tprime_x += tp * x[j];
      }
      m[i * (n + 1) + n] = tprime_x;
      rhs[i] = -tx;
    }
    cd cx = 0;
    for (std::size_t j = 0; j < n; ++j) {
      m[n * (n + 1) + j] = std::conj(c[j]);
      cx += std::conj(c[j]) * x[j];
    }
    rhs[n] = 1.0 - cx;
    if (!solve_dense(m, rhs, n + 1)) return false;
    for (std::size_t j = 0; j < n; ++j) x[j] += rhs[j];
    lam += rhs[n];
    if (!std::isfinite(lam.real()) || !std::isfinite(lam.imag())) return false;
    if (std::abs(rhs[n]) <= 1e-12 * std::abs(lam) || std::abs(rhs[n]) == 0.0) {
      if (std::abs(lam - l) > 1e-6 * std::max(1.0, std::abs(l))) return false;
      l = lam;
      return true;
    }
  }
  return false;
}

// Osborne's balancing (E.E. Osborne, J ACM 7:338 (1960); Parlett & Reinsch, Numer Math
// 13:293 (1969), in the max norm) of S = max(|A0|, |A_k|) entrywise: a diagonal D with
// powers of 2 such that every state's largest coupling in and out of it match, applied
// as D^-1 A D to every matrix. det T(l) and so the eigenvalues are unchanged; what
// changes is the conditioning: the open chain's couplings up (1/tau_D) and down (1/tau)
// make its eigenvectors grow like (tau_D/tau)^(L/2) along the chain (1e34 at 64 layers),
// and without the scaling the computed eigenvalues are pseudo-eigenvalues of a
// non-normal matrix, with small residuals and wrong values. Every rank computes D from
// the whole pattern (sequentially, the same everywhere).
void balance(DelayLinearisation& lin) {
  PetscInt n = 0, lo = 0, hi = 0;
  check_petsc(MatGetSize(lin.a0, &n, nullptr));
  check_petsc(MatGetOwnershipRange(lin.a0, &lo, &hi));
  struct Entry {
    PetscInt i, j;
    double a;
  };
  std::vector<Entry> entries;
  std::vector<Mat> all = {lin.a0};
  all.insert(all.end(), lin.ak.begin(), lin.ak.end());
  OwnedIS every;
  check_petsc(ISCreateStride(PETSC_COMM_SELF, n, 0, 1, every.out()));
  std::vector<PetscInt> cols;
  std::vector<double> vals;
  for (Mat a : all) {
    Mat* sub = nullptr;
    IS rows = every.get();
    check_petsc(MatCreateSubMatrices(a, 1, &rows, &rows, MAT_INITIAL_MATRIX, &sub));
    for (PetscInt i = 0; i < n; ++i) {
      row_entries(sub[0], i, cols, vals);
      for (std::size_t e = 0; e < cols.size(); ++e)
        if (cols[e] != i && vals[e] != 0.0) entries.push_back({i, cols[e], std::abs(vals[e])});
    }
    check_petsc(MatDestroySubMatrices(1, &sub));
  }
  std::vector<std::vector<std::pair<PetscInt, double>>> out_of(n), into(n);  // row i: (j, |a_ij|); column i: (k, |a_ki|)
  for (const Entry& e : entries) {
    out_of[e.i].push_back({e.j, e.a});
    into[e.j].push_back({e.i, e.a});
  }
  std::vector<double> d(n, 1.0);
  for (int sweep = 0; sweep < 200; ++sweep) {
    bool changed = false;
    for (PetscInt i = 0; i < n; ++i) {
      double r = 0, c = 0;
      for (auto [j, a] : out_of[i]) r = std::max(r, a * d[j] / d[i]);
      for (auto [k, a] : into[i]) c = std::max(c, a * d[i] / d[k]);
      if (r == 0 || c == 0) continue;
      // d_i *= f divides row i by f and multiplies column i by f: r/f = c f.
      const double f = std::exp2(std::round(0.5 * std::log2(r / c)));
      if (f != 1.0) {
        d[i] *= f;
        changed = true;
      }
    }
    if (!changed) break;
  }
  OwnedVec left, right;
  check_petsc(MatCreateVecs(lin.a0, right.out(), left.out()));
  for (PetscInt i = lo; i < hi; ++i) {
    check_petsc(VecSetValue(left, i, 1.0 / d[i], INSERT_VALUES));
    check_petsc(VecSetValue(right, i, d[i], INSERT_VALUES));
  }
  for (Vec v : {left.get(), right.get()}) {
    check_petsc(VecAssemblyBegin(v));
    check_petsc(VecAssemblyEnd(v));
  }
  for (Mat a : all) check_petsc(MatDiagonalScale(a, left, right));
}

bool rightmost_first(const cd& a, const cd& b) {
  if (a.real() != b.real()) return a.real() > b.real();
  return a.imag() > b.imag();
}

}  // namespace

DelayLinearisation::~DelayLinearisation() {
  if (a0) MatDestroy(&a0);
  for (Mat& a : ak) MatDestroy(&a);
}

void linearise(const DelaySystem& s, Vec x0, double fd_step, DelayLinearisation& out) {
  DM dm = s.dm();
  out.lags = s.lags();
  const std::size_t lags = out.lags.size();
  std::vector<Mat*> targets;
  check_petsc(DMCreateMatrix(dm, &out.a0));
  out.ak.assign(lags, nullptr);
  for (Mat& a : out.ak) check_petsc(DMCreateMatrix(dm, &a));
  for (Mat* a : std::initializer_list<Mat*>{&out.a0}) targets.push_back(a);
  for (Mat& a : out.ak) targets.push_back(&a);
  for (Mat* a : targets) check_petsc(MatSetOption(*a, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE));

  PetscReal x0_max = 0;
  check_petsc(VecNorm(x0, NORM_INFINITY, &x0_max));
  const double h = fd_step * std::max(1.0, static_cast<double>(x0_max));
  PetscInt n = 0, lo = 0, hi = 0;
  check_petsc(VecGetSize(x0, &n));
  check_petsc(VecGetOwnershipRange(x0, &lo, &hi));
  OwnedVec base_local, moved_local, moved, f_plus, f_minus;
  check_petsc(DMCreateLocalVector(dm, base_local.out()));
  check_petsc(DMCreateLocalVector(dm, moved_local.out()));
  check_petsc(VecDuplicate(x0, moved.out()));
  check_petsc(VecDuplicate(x0, f_plus.out()));
  check_petsc(VecDuplicate(x0, f_minus.out()));
  to_local(dm, x0, base_local);
  std::vector<Vec> delayed(lags, base_local.get());

  // F with u(t - tau_k) = x0 + sign h e_j for slot = k + 1, u(t) for slot 0.
  auto evaluate = [&](std::size_t slot, PetscInt j, double sign, Vec f) {
    check_petsc(VecCopy(x0, moved));
    if (j >= lo && j < hi) check_petsc(VecSetValue(moved, j, sign * h, ADD_VALUES));
    check_petsc(VecAssemblyBegin(moved));
    check_petsc(VecAssemblyEnd(moved));
    to_local(dm, moved, moved_local);
    Vec u = slot == 0 ? moved_local.get() : base_local.get();
    for (std::size_t k = 0; k < lags; ++k) delayed[k] = slot == k + 1 ? moved_local.get() : base_local.get();
    check_petsc(s.rhs(0.0, u, delayed, f, RhsPart::all), "the right-hand side at the linearisation point");
  };
  for (PetscInt j = 0; j < n; ++j)
    for (std::size_t slot = 0; slot <= lags; ++slot) {
      evaluate(slot, j, +1, f_plus);
      evaluate(slot, j, -1, f_minus);
      const PetscScalar *fp = nullptr, *fm = nullptr;
      check_petsc(VecGetArrayRead(f_plus, &fp));
      check_petsc(VecGetArrayRead(f_minus, &fm));
      Mat a = *targets[slot];
      for (PetscInt r = lo; r < hi; ++r) {
        const double v = (fp[r - lo] - fm[r - lo]) / (2 * h);
        if (v != 0.0) check_petsc(MatSetValue(a, r, j, v, INSERT_VALUES));
      }
      check_petsc(VecRestoreArrayRead(f_minus, &fm));
      check_petsc(VecRestoreArrayRead(f_plus, &fp));
    }
  for (Mat* a : targets) {
    check_petsc(MatAssemblyBegin(*a, MAT_FINAL_ASSEMBLY));
    check_petsc(MatAssemblyEnd(*a, MAT_FINAL_ASSEMBLY));
  }
}

double delay_residual(const DelayLinearisation& lin, cd l, Vec xr, Vec xi) {
  OwnedVec rr, ri, t;
  check_petsc(VecDuplicate(xr, rr.out()));
  check_petsc(VecDuplicate(xr, ri.out()));
  check_petsc(VecDuplicate(xr, t.out()));
  const double a = l.real(), w = l.imag();
  // r = l x - A0 x - sum_k A_k e^{-l tau_k} x, real and imaginary parts.
  check_petsc(VecAXPBYPCZ(rr, a, -w, 0.0, xr, xi));
  check_petsc(VecAXPBYPCZ(ri, a, w, 0.0, xi, xr));
  check_petsc(MatMult(lin.a0, xr, t));
  check_petsc(VecAXPY(rr, -1.0, t));
  check_petsc(MatMult(lin.a0, xi, t));
  check_petsc(VecAXPY(ri, -1.0, t));
  PetscReal norm = 0;
  check_petsc(MatNorm(lin.a0, NORM_INFINITY, &norm));
  double scale = std::abs(l) + norm;
  OwnedVec y;
  check_petsc(VecDuplicate(xr, y.out()));
  for (std::size_t k = 0; k < lin.ak.size(); ++k) {
    const cd e = std::exp(-l * lin.lags[k]);
    check_petsc(VecAXPBYPCZ(y, e.real(), -e.imag(), 0.0, xr, xi));  // Re(e x)
    check_petsc(MatMult(lin.ak[k], y, t));
    check_petsc(VecAXPY(rr, -1.0, t));
    check_petsc(VecAXPBYPCZ(y, e.real(), e.imag(), 0.0, xi, xr));   // Im(e x)
    check_petsc(MatMult(lin.ak[k], y, t));
    check_petsc(VecAXPY(ri, -1.0, t));
    check_petsc(MatNorm(lin.ak[k], NORM_INFINITY, &norm));
    scale += norm * std::abs(e);
  }
  PetscReal nrr = 0, nri = 0, nxr = 0, nxi = 0;
  check_petsc(VecNorm(rr, NORM_2, &nrr));
  check_petsc(VecNorm(ri, NORM_2, &nri));
  check_petsc(VecNorm(xr, NORM_2, &nxr));
  check_petsc(VecNorm(xi, NORM_2, &nxi));
  const double nx = std::hypot(nxr, nxi);
  return nx == 0 ? INFINITY : std::hypot(nrr, nri) / (nx * scale);
}

DelaySpectrum rightmost_delay_spectrum(const DelaySystem& s, Vec x0, const DelaySpectrumSettings& settings) {
  if (settings.eigenvalues < 1) throw std::invalid_argument("rightmost_delay_spectrum: eigenvalues >= 1");
  DelayLinearisation lin;
  linearise(s, x0, settings.fd_step, lin);
  balance(lin);
  DelaySpectrum out;
  out.lags = lin.lags;
  check_petsc(MatGetSize(lin.a0, &out.state_size, nullptr));
  const bool delayed = !lin.lags.empty();
  int m = delayed ? std::max(2, settings.nodes) : 0;
  const bool polish = out.state_size <= settings.polish_max_states;
  DenseLinearisation dense;
  if (polish) {
    dense.n = static_cast<std::size_t>(out.state_size);
    dense.a0 = dense_everywhere(lin.a0);
    for (Mat a : lin.ak) dense.ak.push_back(dense_everywhere(a));
    dense.lags = lin.lags;
  }
  std::vector<std::vector<cd>> vectors;  // per eigenvalue, x at theta = 0 (polish only)
  OwnedVec xr, xi;
  check_petsc(MatCreateVecs(lin.a0, xr.out(), nullptr));
  check_petsc(VecDuplicate(xr, xi.out()));
  for (;;) {
    OwnedMat g;
    assemble_generator(lin, m, g.out());
    PetscInt size = 0;
    check_petsc(MatGetSize(g, &size, nullptr));
    OwnedEPS eps;
    check_petsc(EPSCreate(PetscObjectComm(reinterpret_cast<PetscObject>(g.get())), eps.out()));
    check_petsc(EPSSetOperators(eps, g, nullptr));
    check_petsc(EPSSetProblemType(eps, EPS_NHEP));
    check_petsc(EPSSetWhichEigenpairs(eps, EPS_LARGEST_REAL));
    // Conjugate pairs count twice; a few more than asked, so that the last reported
    // one is not cut between members of a pair.
    const PetscInt nev = std::min<PetscInt>(2 * settings.eigenvalues + 4, std::max<PetscInt>(1, size - 2));
    check_petsc(EPSSetDimensions(eps, nev, PETSC_DEFAULT, PETSC_DEFAULT));
    check_petsc(EPSSetTolerances(eps, settings.eps_tol, 100000));
    check_petsc(EPSSetFromOptions(eps));
    check_petsc(EPSSolve(eps));
    PetscInt converged = 0, its = 0;
    check_petsc(EPSGetConverged(eps, &converged));
    check_petsc(EPSGetIterationNumber(eps, &its));
    EPSType type = nullptr;
    check_petsc(EPSGetType(eps, &type));
    OwnedVec vr, vi;
    check_petsc(MatCreateVecs(g, vr.out(), nullptr));
    check_petsc(VecDuplicate(vr, vi.out()));
    struct Found {
      cd value;
      PetscInt index;
    };
    std::vector<Found> found;
    for (PetscInt i = 0; i < converged; ++i) {
      PetscScalar kr = 0, ki = 0;
      check_petsc(EPSGetEigenvalue(eps, i, &kr, &ki));
      if (ki < 0) continue;  // the conjugate of the one before
      found.push_back({cd(kr, ki), i});
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const Found& a, const Found& b) { return rightmost_first(a.value, b.value); });
    if (found.size() > static_cast<std::size_t>(settings.eigenvalues)) found.resize(settings.eigenvalues);
    out.eigenvalues.clear();
    out.residuals.clear();
    vectors.clear();
    double worst = 0;
    for (const Found& f : found) {
      check_petsc(EPSGetEigenpair(eps, f.index, nullptr, nullptr, vr, vi));
      value_at_zero(vr, m + 1, xr);
      if (f.value.imag() != 0)
        value_at_zero(vi, m + 1, xi);
      else
        check_petsc(VecSet(xi, 0.0));
      const double r = delay_residual(lin, f.value, xr, xi);
      if (polish) {
        const std::vector<double> re = vector_everywhere(xr), im = vector_everywhere(xi);
        std::vector<cd> v(re.size());
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = cd(re[i], im[i]);
        vectors.push_back(std::move(v));
      }
      out.eigenvalues.push_back(f.value);
      out.residuals.push_back(r);
      worst = std::max(worst, r);
    }
    out.nodes = m;
    out.generator_size = size;
    out.eps_type = type ? type : "";
    out.eps_iterations = static_cast<int>(its);
    out.met_tolerance = !found.empty() && worst <= settings.residual_tol;
    if (out.met_tolerance || !delayed || 2 * m > settings.max_nodes) break;
    m *= 2;
  }
  if (polish) {
    std::vector<std::pair<cd, double>> done;
    for (std::size_t i = 0; i < out.eigenvalues.size(); ++i) {
      cd l = out.eigenvalues[i];
      if (newton_polish(dense, l, vectors[i])) {
        ++out.polished;
        if (l.imag() < 0) l = std::conj(l);
        done.push_back({l, dense_residual(dense, l, vectors[i])});
      } else {
        done.push_back({out.eigenvalues[i], out.residuals[i]});
      }
    }
    std::stable_sort(done.begin(), done.end(), [](const auto& a, const auto& b) { return rightmost_first(a.first, b.first); });
    double worst = 0;
    for (std::size_t i = 0; i < done.size(); ++i) {
      out.eigenvalues[i] = done[i].first;
      out.residuals[i] = done[i].second;
      worst = std::max(worst, done[i].second);
    }
    out.met_tolerance = !done.empty() && worst <= settings.residual_tol;
  }
  return out;
}

}  // namespace nf
