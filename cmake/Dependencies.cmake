# Every dependency comes from Debian 12's packages; see scripts/setup-debian.sh.
find_package(PkgConfig REQUIRED)
find_package(MPI REQUIRED COMPONENTS C CXX)
# PETSc is found through its pkg-config module; it is built against hdf5-openmpi,
# so HDF5 must be that one too (a bare find_package(HDF5) picks the serial library).
pkg_check_modules(PETSC REQUIRED IMPORTED_TARGET PETSc>=3.18)
pkg_check_modules(HDF5MPI REQUIRED IMPORTED_TARGET hdf5-openmpi)
# SLEPc (Debian's libslepc-real-dev) for `neurofield stability`.
pkg_check_modules(SLEPC REQUIRED IMPORTED_TARGET slepc>=3.18)
find_package(SUNDIALS 6.4 REQUIRED COMPONENTS arkode cvode nvecpetsc)
find_package(VTK REQUIRED COMPONENTS CommonCore CommonDataModel IOXML IOParallelXML ParallelMPI ParallelCore)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
# FFTW-MPI for the convolution of neural fields (Debian's libfftw3-mpi-dev).
find_path(FFTW_MPI_INCLUDE_DIR fftw3-mpi.h REQUIRED)
find_library(FFTW_MPI_LIBRARY fftw3_mpi REQUIRED)
find_library(FFTW_LIBRARY fftw3 REQUIRED)
# LAPACK directly: the analysis calls it through petscblaslapack.h.
find_package(LAPACK REQUIRED)

add_library(neurofield_deps INTERFACE)
add_library(neurofield::deps ALIAS neurofield_deps)
target_link_libraries(neurofield_deps INTERFACE
  PkgConfig::SLEPC PkgConfig::PETSC PkgConfig::HDF5MPI MPI::MPI_CXX MPI::MPI_C
  SUNDIALS::arkode SUNDIALS::cvode SUNDIALS::nvecpetsc
  ${VTK_LIBRARIES} yaml-cpp fmt::fmt nlohmann_json::nlohmann_json LAPACK::LAPACK
  ${FFTW_MPI_LIBRARY} ${FFTW_LIBRARY})
target_include_directories(neurofield_deps INTERFACE ${FFTW_MPI_INCLUDE_DIR})
