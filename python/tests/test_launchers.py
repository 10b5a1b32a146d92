"""The Python package under a real launcher: OpenMPI's mpirun starts 8 Python processes on
one run (rank from OMPI_COMM_WORLD_RANK): one creator, identical values on every rank, only
rank 0 prints; then a resume and a launch with overrides."""

import json
import os
import shutil
import subprocess
import sys

import pytest

MPIRUN = shutil.which("mpirun")
pytestmark = pytest.mark.skipif(MPIRUN is None, reason="mpirun is not installed (openmpi-bin)")

CFG = """[run]
name = mpi
seed = 3

[train]
lr = 1e-3
widths = [32 * 2 ** i for i in range(3)]
betas = (0.9, 0.999)
"""

RANK = r"""
import io, json, os, sys, contextlib
import hparams
out = io.StringIO()
with contextlib.redirect_stdout(out):
    hp = hparams.HParams(sys.argv[1], argv=True)
info = hparams.run_info(hp)
rank = os.environ["OMPI_COMM_WORLD_RANK"]
with open(os.path.join(sys.argv[2], "rank" + rank), "w") as f:
    json.dump({"values": hp.to_json(None), "new": info.is_new_run, "leader": info.is_leader,
               "printed": out.getvalue()}, f)
"""


def launch(project, out, *overrides):
    out.mkdir()
    script = project / "rank.py"
    script.write_text(RANK)
    result = subprocess.run(
        [MPIRUN, "--allow-run-as-root", "--oversubscribe", "-n", "8", "--mca", "btl", "self,tcp",
         sys.executable, str(script), str(project), str(out), *overrides],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert result.returncode == 0, result.stderr
    return [json.loads((out / f"rank{r}").read_text()) for r in range(8)]


def test_eight_python_ranks_under_mpirun(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "hparams.cfg").write_text(CFG)
    ranks = launch(project, tmp_path / "new")
    assert [r["new"] for r in ranks].count(True) == 1 and ranks[0]["new"]
    assert [r["leader"] for r in ranks] == [True] + [False] * 7
    assert len({r["values"] for r in ranks}) == 1
    assert ranks[0]["printed"].startswith("No existing config found.")
    assert all(r["printed"] == "" for r in ranks[1:])   # only rank 0 prints
    assert (project / "logs-mpi" / "hparams-mpi.cfg").read_text() == CFG

    again = launch(project, tmp_path / "resume")
    assert not any(r["new"] for r in again)
    assert len({r["values"] for r in again}) == 1 and again[0]["values"] == ranks[0]["values"]
    assert again[0]["printed"].startswith("Found existing")

    changed = launch(project, tmp_path / "override", "train.lr=0.5")
    values = {r["values"] for r in changed}
    assert len(values) == 1 and json.loads(values.pop())["train"]["lr"] == 0.5
    assert (project / "logs-mpi" / "hparams-mpi.cfg").read_text() == CFG
