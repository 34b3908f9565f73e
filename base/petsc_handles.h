#pragma once
// Owners of the PETSc handles the project creates (see base/owned.h).
#include <petscdm.h>
#include <petscksp.h>
#include <petscts.h>
#include <petscviewer.h>

#include "base/owned.h"

namespace nf {

using OwnedVec = Owned<Vec, VecDestroy>;
using OwnedMat = Owned<Mat, MatDestroy>;
using OwnedDM = Owned<DM, DMDestroy>;
using OwnedTS = Owned<TS, TSDestroy>;
using OwnedKSP = Owned<KSP, KSPDestroy>;
using OwnedViewer = Owned<PetscViewer, PetscViewerDestroy>;
using OwnedScatter = Owned<VecScatter, VecScatterDestroy>;
using OwnedIS = Owned<IS, ISDestroy>;

inline void free_comm(MPI_Comm* c) {
  if (*c != MPI_COMM_NULL) MPI_Comm_free(c);
}
// A communicator this code duplicated or split (never MPI_COMM_WORLD itself).
using OwnedComm = Owned<MPI_Comm, free_comm>;

}  // namespace nf
