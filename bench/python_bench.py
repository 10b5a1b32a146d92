#!/usr/bin/env python3
"""The Python package against the original library, side by side in one run.

    python3 bench/python_bench.py [--original DIR] [--repeat N]

Measures, each in fresh processes of the interpreter running this script:
- `import hparams`: the import alone, median over N processes;
- the resume path on the VDVAE config (tests/conformance/configs/real-vdvae-efficient_vdvae_
  torch_hparams.cfg): HParams(...) finding the saved copy, then to_dict(), median over N
  loads in one process (the registry is cleared between loads).

The original (its folder: --original, or HPARAMS_ORIGINAL) runs with its gcsfs stand-in; it
is skipped when absent. Output: a table, and the ratio original/ours.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VDVAE = REPO / "tests" / "conformance" / "configs" / "real-vdvae-efficient_vdvae_torch_hparams.cfg"

IMPORT = """
import sys, time
sys.path[:0] = {paths!r}
t = time.perf_counter()
import hparams
print(time.perf_counter() - t)
"""

RESUME = """
import contextlib, io, statistics, sys, time
sys.path[:0] = {paths!r}
from hparams import HParams
project, repeat = {project!r}, {repeat}
with contextlib.redirect_stdout(io.StringIO()):
    HParams(project, name="first").to_dict()          # creates the saved copy
    times = []
    for _ in range(repeat):
        HParams._loaded_hparams_objects.clear()
        t = time.perf_counter()
        d = HParams(project, name="bench").to_dict()
        times.append(time.perf_counter() - t)
print(statistics.median(times), sum(len(s) for s in d.values()))
"""


def run(code):
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    return out.stdout.split()


def measure(label, paths, repeat, work):
    imports = [float(run(IMPORT.format(paths=paths))[0]) for _ in range(repeat)]
    project = work / label
    project.mkdir()
    shutil.copyfile(VDVAE, project / "hparams.cfg")
    seconds, keys = run(RESUME.format(paths=paths, project=str(project), repeat=repeat * 10))
    return statistics.median(imports), float(seconds), int(keys)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--original", default=os.environ.get("HPARAMS_ORIGINAL", ""))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows.append(("hparams (this package)",) + measure("ours", [], args.repeat, work))
        original = Path(args.original) if args.original else None
        if original and (original / "hparams" / "hparams.py").is_file():
            paths = [str(original), str(original / "stubs")]
            rows.append(("original",) + measure("original", paths, args.repeat, work))
    print(f"Python {sys.version.split()[0]}, VDVAE config ({VDVAE.name})")
    print(f"{'library':<24} {'import':>10} {'resume + to_dict':>18} {'keys':>6}")
    for name, imported, resumed, keys in rows:
        print(f"{name:<24} {imported * 1e3:>8.2f} ms {resumed * 1e3:>15.3f} ms {keys:>6}")
    if len(rows) == 2:
        print(f"original / ours: import {rows[1][1] / rows[0][1]:.2f}x, "
              f"resume + to_dict {rows[1][2] / rows[0][2]:.1f}x (target: >= 10x)")
    else:
        print("original: not measured (give --original DIR or HPARAMS_ORIGINAL)")


if __name__ == "__main__":
    main()
