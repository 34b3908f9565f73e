#!/usr/bin/env bash
# Installs what neurofield needs from Debian 12's packages. Idempotent: does nothing
# when everything is already installed. Installing needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache git
  petsc-dev libslepc-real-dev libsundials-dev libvtk9-dev libhdf5-openmpi-dev libfftw3-mpi-dev
  openmpi-bin libopenmpi-dev liblapack-dev
  libyaml-cpp-dev libcli11-dev libfmt-dev nlohmann-json3-dev libgtest-dev libbenchmark-dev
  python3-numpy python3-h5py python3-matplotlib python3-vtk9
  xvfb
  clang-14 libclang-rt-14-dev valgrind  # presets fuzz and valgrind (docs/reliability.md)
)
# Not python3-paraview: on Debian 12 it conflicts with python3-vtk9, which libvtk9-dev
# depends on, so ParaView's Python and the build cannot be installed together (apt
# removes one to install the other). See docs/visualisation.md for ParaView.

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages are installed"
  exit 0
fi

paraview_installed() {
  dpkg-query -W -f='${Status}' python3-paraview 2>/dev/null | grep -q "install ok installed"
}
had_paraview=false
if paraview_installed; then
  had_paraview=true
  cat >&2 <<'WARNING'
setup: WARNING: python3-paraview (ParaView's Python, pvbatch/pvpython scripting) is
setup: installed. It conflicts with python3-vtk9, which the build needs (libvtk9-dev
setup: depends on it), so installing the packages below REMOVES python3-paraview.
setup: The ParaView GUI stays usable without it; see docs/visualisation.md for scripting
setup: ParaView on the machine where the results are viewed.
WARNING
  if [ -t 0 ]; then
    echo "setup: continuing in 10 s; press Ctrl-C to keep python3-paraview" >&2
    sleep 10
  fi
fi

echo "setup: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "setup: installing packages needs root. Run as root:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
if $had_paraview && ! paraview_installed; then
  echo "setup: python3-paraview was removed (it conflicts with python3-vtk9, needed by the build)" >&2
fi
