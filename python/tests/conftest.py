"""Shared fixtures: a fresh registry per test, project folders, the conformance data."""

import math
import os
from pathlib import Path

import pytest

import hparams

REPO = Path(__file__).resolve().parents[2]
CONFORMANCE = REPO / "tests" / "conformance"
CONFIGS = CONFORMANCE / "configs"


@pytest.fixture(autouse=True)
def fresh_registry():
    """Every test starts with no registered HParams (the registry is process-wide)."""
    yield
    for name in list(hparams.HParams._loaded_hparams_objects):
        hparams.HParams.release(name)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder (also the working directory) with a writer for its cfg files."""
    monkeypatch.chdir(tmp_path)

    class Project:
        path = tmp_path

        def write(self, text, filename="hparams"):
            (tmp_path / f"{filename}.cfg").write_text(text)
            return tmp_path / f"{filename}.cfg"

    return Project()


def same(a, b):
    """Type-exact equality: same types all the way down, floats bit for bit (by repr, so
    -0.0 and nan count), dicts in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return len(a) == len(b) and all(
            same(ka, kb) and same(va, vb) for (ka, va), (kb, vb) in zip(a.items(), b.items()))
    if isinstance(a, (set, frozenset)):
        # Set order depends on the process's str hashes; compare members type-exactly.
        return len(a) == len(b) and sorted(map(typed_repr, a)) == sorted(map(typed_repr, b))
    return a == b and repr(a) == repr(b)


def typed_repr(v):
    """repr with the type of every element, for order-free comparisons."""
    if isinstance(v, (list, tuple)):
        return f"{type(v).__name__}[{', '.join(map(typed_repr, v))}]"
    if isinstance(v, dict):
        return f"dict{{{', '.join(f'{typed_repr(k)}: {typed_repr(x)}' for k, x in v.items())}}}"
    if isinstance(v, (set, frozenset)):
        return f"{type(v).__name__}{{{', '.join(sorted(map(typed_repr, v)))}}}"
    return f"{type(v).__name__}:{v!r}"


def from_repr(text):
    """A CPython repr read back (test oracle only: the library never calls eval)."""
    return eval(text, {"__builtins__": {}, "inf": math.inf, "nan": math.nan, "range": range,
                       "set": set})


def expected_lines(stem):
    """The .expected file of a conformance config: ("ok", {section.key: repr}) or
    ("error", kind, key)."""
    lines = (CONFIGS / f"{stem}.expected").read_text().splitlines()
    if lines and lines[0].startswith("ERROR "):
        parts = lines[0].split()
        return ("error", parts[1], parts[2] if len(parts) > 2 else None)
    return ("ok", lines)


def conformance_stems():
    return sorted(p.stem for p in CONFIGS.glob("*.cfg"))


@pytest.fixture(scope="session")
def gcs_server(tmp_path_factory):
    """The backup tests' loopback GCS JSON API server (tests/backup/gcs_server.py) in emulator
    mode, stopped by PID at the end of the session."""
    import subprocess
    import sys
    import time

    work = tmp_path_factory.mktemp("gcs")
    port_file = work / "port"
    server = subprocess.Popen([sys.executable, str(REPO / "tests" / "backup" / "gcs_server.py"),
                               "--port-file", str(port_file), "--emulator"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.05)
        yield f"127.0.0.1:{port_file.read_text().strip()}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def gcs_emulator(gcs_server, monkeypatch):
    """STORAGE_EMULATOR_HOST set to the server; returns a reader of its objects."""
    import urllib.parse
    import urllib.request

    monkeypatch.setenv("STORAGE_EMULATOR_HOST", f"http://{gcs_server}")

    def read(bucket, name):
        quoted = urllib.parse.quote(name, safe="")
        url = f"http://{gcs_server}/download/storage/v1/b/{bucket}/o/{quoted}?alt=media"
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read()

    return read
