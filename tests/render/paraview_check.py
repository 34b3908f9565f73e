#!/usr/bin/python3
"""ctest driver of label `paraview`: postprocess/paraview_scene.py under pvbatch on a
travelling Gaussian, then check_png.py on the screenshot.

    paraview_check.py WORK_DIR

Exit 77 (ctest SKIP_RETURN_CODE) when pvbatch is absent or its Python cannot import
paraview.simple: on Debian 12, python3-paraview cannot be installed beside python3-vtk9,
which the build needs (docs/visualisation.md). PVBATCH=<path> picks another pvbatch.
Without DISPLAY, pvbatch runs under xvfb-run -a (a missing xvfb-run fails the test).
"""
import os
import random
import shutil
import subprocess
import sys

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
SCENE = os.path.join(HERE, "..", "..", "postprocess", "paraview_scene.py")


def run(command, cwd):
    print("+ " + " ".join(command), flush=True)
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=120)
    print(done.stdout, flush=True)
    return done.returncode


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: paraview_check.py WORK_DIR")
    work = os.path.abspath(sys.argv[1])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pvbatch = os.environ.get("PVBATCH") or shutil.which("pvbatch")
    if not pvbatch:
        print("SKIPPED: pvbatch not found (ParaView is not installed; see docs/visualisation.md)")
        return SKIP
    launcher = []
    if not os.environ.get("DISPLAY"):
        xvfb = shutil.which("xvfb-run")
        if not xvfb:
            print("FAILED: DISPLAY is unset and xvfb-run is not installed (package xvfb)")
            return 1
        launcher = [xvfb, "-n", str(100 + random.randrange(900)), "-a", "-s", "-screen 0 1280x1024x24"]
    probe = os.path.join(work, "probe.py")
    with open(probe, "w") as f:
        f.write("import paraview.simple\n")
    if run(launcher + [pvbatch, probe], work) != 0:
        print(f"SKIPPED: {pvbatch} cannot import paraview.simple (package python3-paraview, "
              "which conflicts with python3-vtk9 on Debian 12; see docs/visualisation.md)")
        return SKIP
    python = sys.executable
    if run([python, os.path.join(HERE, "make_gaussian_series.py"), "run"], work) != 0:
        print("FAILED: make_gaussian_series.py")
        return 1
    picture = os.path.join(work, "pictures", "paraview_u.png")
    if run(launcher + [pvbatch, SCENE, "run", "--field", "u", "--time", "0.04", "--size", "640x480",
                       "--out", picture, "--state", os.path.join(work, "scene.pvsm"), "--metadata"], work) != 0:
        print("FAILED: paraview_scene.py")
        return 1
    return run([python, os.path.join(HERE, "check_png.py"), "--expect", "1", "--metadata", picture], work)


if __name__ == "__main__":
    sys.exit(main())
