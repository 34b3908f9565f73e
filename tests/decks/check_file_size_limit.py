"""A file-size limit (ulimit -f) stops a run with exit 1 and a message naming the file.

The run is started under RLIMIT_FSIZE with output at a fine interval, so one of its
files outgrows the limit. SIGXFSZ is left at its default (a core-dump kill): the
program ignores it itself at start-up (base/stop_request.cpp), so the write fails with
EFBIG. Asserted: exit code 1 (README: "another failure"), stderr names the file and
says "File too large", no HDF5 error stack, VTK pipeline dump, "terminate called" or
signal; and every file under a final name is complete (run_folder_check.py).

usage: check_file_size_limit.py NEUROFIELD INPUT_DECKS WORK_DIR CASE [LAUNCHER WORDS ...]
  CASE: fields (fields.h5 outgrows it), vtk (a VTK piece), probes (probes.h5, written
  at the end), series (series.pvd).
"""
import os
import pathlib
import re
import resource
import shutil
import subprocess
import sys

import run_folder_check

LIMIT = 64 * 1024  # bytes; above deck.used.yaml and log.txt, below what each case writes
CASES = {
    "fields": ("pc_chain.yaml", ["time.t_end=100", "output.vtk=false", "output.hdf5_every=0"], "fields.h5.part"),
    "vtk": ("amari_front_1d.yaml", ["mesh.cells=[10000]", "mesh.length=[500]", "time.t_end=100",
                                    "output.hdf5=false"], r"step_\d+\.part/step_\d+\.pvti"),
    "probes": ("pc_chain.yaml", ["time.t_end=3", "analysis.t_start=0", "output.vtk=false", "output.hdf5=false"],
               "probes.h5.part"),
    "series": ("pc_chain.yaml", ["time.t_end=100", "output.vtk_every=0.001", "output.hdf5=false"], "series.pvd.part"),
    # Checkpoints every second (0.2 MiB each, under the 1 MiB limit of this case) until
    # fields.h5 outgrows the limit: the last complete checkpoint is kept, and the run
    # continues from it once the limit is lifted.
    "checkpoint": ("pc_chain.yaml", ["time.t_end=40", "analysis.t_start=1", "output.vtk=false",
                                     "output.hdf5_every=0", "output.checkpoint_every=1"], "fields.h5.part"),
}
CASE_LIMITS = {"checkpoint": 1 << 20}
# Noise a clear failure must not print: HDF5's error stack, VTK's pipeline dump, a
# C++ terminate, a signal, MPI's abort banner.
NOISE = ["HDF5-DIAG", "#000:", "vtkExecutive", "ERROR: In ", "terminate called", "Segmentation", "core dumped",
         "MPI_ABORT", "Signal:", "Traceback"]


def limit_file_size():
    limit = CASE_LIMITS.get(sys.argv[4], LIMIT)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def continue_from_checkpoint(command, out):
    """The problems of a restart from the kept checkpoint, without the limit."""
    if not (out / "checkpoint.h5").exists():
        return ["no checkpoint.h5 was kept"]
    restart = [w for w in command if not w.startswith("output.dir=")] + ["--restart", str(out)]
    done = subprocess.run(restart, capture_output=True, text=True, timeout=240)
    if done.returncode != 0:
        return [f"the restart from the kept checkpoint exited {done.returncode}: {done.stderr}"]
    if not (out / "summary.json").exists():
        return ["the restart wrote no summary.json"]
    return run_folder_check.problems(out)


def main():
    neurofield, input_decks, work, case = sys.argv[1:5]
    launcher = sys.argv[5:]
    deck, overrides, file_pattern = CASES[case]
    work = pathlib.Path(work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    out = work / "out"
    # PMIx's shared-memory store (MPI start-up) writes files beyond the limit; its hash
    # store keeps to memory, so the limit meets the run's own files only.
    env = dict(os.environ, PMIX_MCA_gds="hash")
    command = launcher + [neurofield, "run", str(pathlib.Path(input_decks) / deck)] + overrides + \
        [f"output.dir={out}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, env=env,
                          preexec_fn=limit_file_size)
    err = done.stderr
    problems = []
    if done.returncode != 1:
        problems.append(f"exit code {done.returncode}, expected 1 (a failure other than a bad deck)")
    message = [line for line in err.splitlines() if line.startswith("neurofield: ") and "note:" not in line]
    if not message or not re.search(file_pattern + r": File too large", message[-1]):
        problems.append(f"the last message does not name {file_pattern} and say 'File too large': {message}")
    if len(message) != 1:
        problems.append(f"{len(message)} failure messages, expected 1")
    for noise in NOISE:
        if noise in err:
            problems.append(f"stderr holds {noise!r}")
    log = (out / "log.txt").read_text() if (out / "log.txt").exists() else ""
    if "\nFAILED: cannot write " not in log and "\nFAILED: HDF5: cannot write" not in log:
        problems.append("log.txt does not end in FAILED with the message")
    if (out / "summary.json").exists():
        problems.append("summary.json was published for a failed run")
    problems += run_folder_check.problems(out)
    if case == "checkpoint" and not problems:
        problems += continue_from_checkpoint(command, out)
    if problems:
        sys.exit(f"the run under a {CASE_LIMITS.get(case, LIMIT)}-byte file-size limit ({case}) is wrong:\n  - " + "\n  - ".join(problems) +
                 f"\n---- stderr ----\n{err}")
    print(f"{case}: exit 1, {message[-1]}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
