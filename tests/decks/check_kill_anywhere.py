"""Runs killed by SIGKILL at random moments leave no incomplete file under a final name.

Each round starts a short run (VTK and HDF5 output at a fine interval) into the same
folder and SIGKILLs it after a random delay, drawn from a seeded generator (the seed is
printed; pass it back to replay the same delays): before the run folder exists, while
deck.used.yaml is written or the previous run moves into previous_run/, between steps,
while a VTK step or fields.h5 is committed, or after the run ended. Under a launcher,
the rank processes are killed, all of them or one (mpiexec then ends the others), as
when a node is lost. After each kill every file under a final name in the folder and in
its previous_run/ must be complete (run_folder_check.py). At the end one more run into
the same folder must succeed, with the killed run's files moved into previous_run/.

usage: check_kill_anywhere.py NEUROFIELD INPUT_DECKS WORK_DIR KILLS SEED [LAUNCHER WORDS ...]
  KILLS: how many runs to kill (a run that ends before its kill does not count);
  SEED: an integer, or "random" for a new one (printed).
"""
import collections
import os
import pathlib
import random
import shutil
import signal
import subprocess
import sys
import time

import run_folder_check
from check_stop_signal import rank_processes

# Small decks with every output on, each run lasting about a second on one core, so the
# kills land in every phase: start-up, steps, the commits at the end, after the end.
DECKS = {
    "amari_front_1d.yaml": ["mesh.cells=[400]", "mesh.length=[20]", "time.t_end=6", "output.vtk_every=0.05",
                            "output.hdf5_every=0.05", "output.checkpoint_every=0.5"],
    "pc_chain.yaml": ["time.t_end=1", "analysis.t_start=0", "output.vtk_every=0.005", "output.hdf5_every=0.005",
                      "output.checkpoint_every=0.1"],
}
# Two ranks on two shared cores are slower: a shorter chain run keeps the test short.
LAUNCHED = {"pc_chain.yaml": ["time.t_end=0.3"]}
# Kill times scale with the run's own wall time, measured by a first, complete run of
# each deck. Start-up (MPI, PETSc, the predicted mode) takes about half of it, so a
# third of the kills are drawn uniformly over [0, LATE x wall time] and the rest over
# [EARLY, LATE] x wall time, where the output is written; a few land after the end.
EARLY, LATE = 0.4, 1.1


def phase(out, since):
    """Where the killed run had got to, from the files it wrote (those modified since it started)."""
    def new(path):
        try:
            return path.stat().st_mtime >= since
        except OSError:
            return False
    if new(out / "summary.json"):
        return "after summary.json"
    if new(out / "fields.h5") or new(out / "probes.h5"):
        return "committing"
    if (out / "vtk").is_dir() and any(new(p) for p in (out / "vtk").iterdir()):
        return "stepping"
    if new(out / "deck.used.yaml") or new(out / "deck.used.yaml.part"):
        return "started"
    if new(out / "previous_run"):
        return "moving the earlier run"
    return "before writing"


def kill_run(command, out, delay, rng, launcher, exe_name):
    """Starts command, SIGKILLs it (its ranks, under a launcher) after delay seconds."""
    since = time.time()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    start = time.monotonic()
    time.sleep(delay)
    victims = ranks = []
    if launcher:
        # The ranks appear a little after mpiexec: wait for them (mpiexec itself is
        # never SIGKILLed, it would leave its ranks running).
        while proc.poll() is None and len(victims) < 2 and time.monotonic() - start < 30:
            victims = ranks = rank_processes(proc.pid, exe_name)
            if len(victims) < 2:
                time.sleep(0.01)
        if victims and rng.random() < 0.5:
            victims = [rng.choice(victims)]
    elif proc.poll() is None:
        victims = [proc.pid]
    for pid in victims:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it had just ended
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        sys.exit(f"the launcher did not end after its ranks were killed\n{err}")
    # No rank may outlive the launcher and write into the folder while it is checked.
    deadline = time.monotonic() + 30
    while any(pathlib.Path(f"/proc/{pid}").exists() for pid in ranks):
        if time.monotonic() > deadline:
            sys.exit("a rank outlived its launcher")
        time.sleep(0.05)
    return proc.returncode, err, bool(victims), since


def command_for(launcher, neurofield, input_decks, deck, out):
    shorter = LAUNCHED.get(deck, []) if launcher else []
    return launcher + [neurofield, "run", str(pathlib.Path(input_decks) / deck)] + DECKS[deck] + shorter + \
        [f"output.dir={out}"]


def complete_run(command, out, what, seed):
    """Runs command to its end: it must succeed and leave a complete folder. Returns its wall time."""
    began = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    seconds = time.monotonic() - began
    found = run_folder_check.problems(out)
    if done.returncode != 0 or not (out / "summary.json").exists():
        found.append(f"exit {done.returncode}, summary.json {'present' if (out / 'summary.json').exists() else 'absent'}")
    if found:
        sys.exit(f"{what} (seed {seed}) is wrong:\n  - " + "\n  - ".join(found) + f"\n---- stderr ----\n{done.stderr}")
    return seconds


def main():
    neurofield, input_decks, work, kills_wanted, seed = sys.argv[1:6]
    kills_wanted = int(kills_wanted)
    launcher = sys.argv[6:]
    seed = random.SystemRandom().randrange(2**32) if seed == "random" else int(seed)
    print(f"check_kill_anywhere: seed {seed}, {kills_wanted} kills, "
          f"{'under ' + ' '.join(launcher) if launcher else '1 rank'}", flush=True)
    rng = random.Random(seed)
    work = pathlib.Path(work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    exe_name = os.path.basename(neurofield)
    began = time.monotonic()
    names = list(DECKS)
    # A complete run of each deck first: its wall time scales the delays, and the first
    # kill of each folder then finds an earlier run there to move into previous_run/.
    duration = {}
    for deck in names:
        out = work / deck.removesuffix(".yaml")
        duration[deck] = complete_run(command_for(launcher, neurofield, input_decks, deck, out), out,
                                      f"{deck}: the first, complete run", seed)
        print(f"{deck}: a complete run takes {duration[deck]:.2f} s", flush=True)
    phases = collections.Counter()
    kills = rounds = 0
    while kills < kills_wanted and rounds < 3 * kills_wanted:
        deck = names[rounds % len(names)]
        out = work / deck.removesuffix(".yaml")
        delay = rng.uniform(0 if rng.random() < 1 / 3 else EARLY * duration[deck], LATE * duration[deck])
        rc, err, killed, since = kill_run(command_for(launcher, neurofield, input_decks, deck, out), out, delay, rng,
                                   launcher, exe_name)
        kills += killed
        if not killed:
            # The first run was slower (a loaded machine): scale later delays to this one.
            duration[deck] = min(duration[deck], delay)
        where = phase(out, since) if killed else "ended before the kill"
        phases[where] += 1
        print(f"round {rounds}: {deck}, killed after {delay:.3f} s ({where}), exit {rc}", flush=True)
        found = run_folder_check.problems(out)
        if found:
            sys.exit(f"round {rounds} (seed {seed}, {deck}, killed after {delay:.3f} s): files under a final name "
                     f"are incomplete:\n  - " + "\n  - ".join(found) + f"\n---- stderr ----\n{err}")
        rounds += 1

    # One more run into each folder, to its end: it succeeds and moves the killed run aside.
    for deck in names:
        out = work / deck.removesuffix(".yaml")
        before = set(run_folder_check.final_names(out)) - {"previous_run"}
        complete_run(command_for(launcher, neurofield, input_decks, deck, out), out,
                     f"{deck}: the run after the kills", seed)
        if before and not (out / "previous_run" / "deck.used.yaml").exists() and "deck.used.yaml" in before:
            sys.exit(f"{deck}: the killed run's files ({', '.join(sorted(before))}) were not moved into "
                     f"previous_run/ (seed {seed})")
    print(f"check_kill_anywhere: {kills} kills in {rounds} rounds, {time.monotonic() - began:.1f} s, seed "
          f"{seed}; where the kills landed: " + ", ".join(f"{k} {v}" for k, v in sorted(phases.items())), flush=True)
    if kills < kills_wanted:
        sys.exit(f"only {kills} of {rounds} runs were still running when killed")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
