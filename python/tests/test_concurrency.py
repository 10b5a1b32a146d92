"""Many processes and many threads starting one run: exactly one creates the saved copy, and
all of them load the same values."""

import json
import os
import subprocess
import sys
import threading
import time

import pytest

import hparams
from hparams import HParams

CFG = """\
[run]
name = race
seed = 420
[model]
widths = [64 * 2 ** i for i in range(6)]
betas = (0.9, 0.999)
act = relu
"""

CHILD = r"""
import json, os, sys
gate = int(sys.argv[1])
os.read(gate, 1)  # blocks until the parent closes the pipe: every child starts at once
import hparams
hp = hparams.HParams(sys.argv[2], quiet=True)
print(json.dumps({"new": hparams.run_info(hp).is_new_run, "values": hp.to_json(None),
                  "repr": repr(hp.to_dict())}))
"""

PROCESSES = 16
TRIALS = 20


def test_sixteen_processes_agree_on_one_creator(tmp_path):
    creators, outputs = [], []
    for trial in range(TRIALS):
        project = tmp_path / f"trial{trial}"
        project.mkdir()
        (project / "hparams.cfg").write_text(CFG)
        read, write = os.pipe()
        children = [subprocess.Popen([sys.executable, "-c", CHILD, str(read), str(project)],
                                     pass_fds=(read,), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
                    for _ in range(PROCESSES)]
        os.close(read)
        os.close(write)  # the gate opens
        results = []
        for child in children:
            out, err = child.communicate(timeout=120)
            assert child.returncode == 0, err
            results.append(json.loads(out))
        creators.append(sum(r["new"] for r in results))
        outputs += results
        assert (project / "logs-race" / "hparams-race.cfg").read_text() == CFG
        assert len({(r["values"], r["repr"]) for r in results}) == 1
    print(f"\n[ processes ] {TRIALS} trials x {PROCESSES} processes: creators per trial "
          f"{sorted(set(creators))}, {len(outputs)} processes, "
          f"{len({(r['values'], r['repr']) for r in outputs})} distinct value sets")
    assert creators == [1] * TRIALS


def test_threads_load_concurrently(project):
    project.write(CFG)
    barrier = threading.Barrier(8)
    results, errors = {}, []

    def load(i):
        try:
            barrier.wait()
            hp = HParams(".", name=f"t{i}", quiet=True)
            results[i] = (hparams.run_info(hp).is_new_run, hp.to_json(None))
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=load, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(new for new, _ in results.values()) == 1
    assert len({values for _, values in results.values()}) == 1
    assert sorted(hparams.HParams._loaded_hparams_objects) == [f"t{i}" for i in range(8)]


def test_threads_racing_for_one_name(project):
    project.write(CFG)
    barrier = threading.Barrier(8)
    outcomes = []

    def load():
        barrier.wait()
        try:
            HParams(".", name="shared", quiet=True)
            outcomes.append("created")
        except ValueError as e:
            assert str(e) == "hparams shared is being loaded a second time"
            outcomes.append("refused")

    threads = [threading.Thread(target=load) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["created"] + ["refused"] * 7


def test_gil_is_released_while_loading(project):
    # A file whose evaluation takes a while; a Python thread that timestamps itself keeps
    # running inside that time only if the load does not hold the GIL.
    project.write("[run]\nname = slow\n[x]\n" + "".join(
        f"v{i} = sorted(range({300000 + i}), reverse=True)[0]\n" for i in range(30)))
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(time.monotonic())
            done.wait(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        start = time.monotonic()
        hp = HParams(".", quiet=True)
        end = time.monotonic()
    finally:
        done.set()
        t.join()
    assert hp.x.v0 == 299999
    inside = [tick for tick in ticks if start + 0.02 < tick < end - 0.02]
    assert end - start > 0.1, "the file evaluates too fast to tell"
    assert len(inside) > 10, (end - start, len(inside))
