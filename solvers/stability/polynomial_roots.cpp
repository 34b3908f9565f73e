#include "solvers/stability/polynomial_roots.h"

#include <petscsys.h>
// petscblaslapack.h relies on petscsys.h being included first.
#include <petscblaslapack.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace nf {

std::vector<std::complex<double>> polynomial_roots(std::vector<double> c) {
  for (double x : c)
    if (!std::isfinite(x)) throw std::invalid_argument("polynomial_roots: a coefficient is not finite");
  while (!c.empty() && c.back() == 0) c.pop_back();
  if (c.empty()) throw std::invalid_argument("polynomial_roots: the zero polynomial");
  const PetscBLASInt n = static_cast<PetscBLASInt>(c.size() - 1);
  if (n == 0) return {};
  // Companion matrix (column-major): first row -c_{n-1..0}/c_n, ones below the diagonal.
  const auto size = static_cast<std::size_t>(n);
  std::vector<double> a(size * size, 0.0), wr(size), wi(size);
  for (PetscBLASInt j = 0; j < n; ++j) a[std::size_t(j) * std::size_t(n)] = -c[std::size_t(n - 1 - j)] / c.back();
  for (PetscBLASInt i = 1; i < n; ++i) a[std::size_t(i) + std::size_t(i - 1) * std::size_t(n)] = 1.0;
  PetscBLASInt ld = 1, lwork = -1, info = 0;
  double unused = 0, query = 0;
  LAPACKgeev_("N", "N", &n, a.data(), &n, wr.data(), wi.data(), &unused, &ld, &unused, &ld, &query, &lwork, &info);
  lwork = static_cast<PetscBLASInt>(query);
  std::vector<double> work(static_cast<std::size_t>(std::max<PetscBLASInt>(lwork, 1)));
  LAPACKgeev_("N", "N", &n, a.data(), &n, wr.data(), wi.data(), &unused, &ld, &unused, &ld, work.data(), &lwork,
              &info);
  if (info != 0) throw std::runtime_error("polynomial_roots: LAPACK dgeev failed with info = " + std::to_string(info));
  std::vector<std::complex<double>> roots(size);
  for (std::size_t k = 0; k < roots.size(); ++k) roots[k] = {wr[k], wi[k]};
  std::sort(roots.begin(), roots.end(), [](auto x, auto y) {
    return x.real() != y.real() ? x.real() > y.real() : x.imag() > y.imag();
  });
  return roots;
}

}  // namespace nf
