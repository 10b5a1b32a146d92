#!/usr/bin/env python3
"""The Python package against the original library, side by side in one run.

    python3 bench/python_bench.py [--original DIR] [--repeat N]

Measures, each in fresh processes of the interpreter running this script:
- `import hparams`: the import alone, median over N processes;
- the resume path on the VDVAE config (tests/conformance/configs/real-vdvae-efficient_vdvae_
  torch_hparams.cfg): HParams(...) finding the saved copy, then to_dict(), median over 10 N
  loads in one process (the registry is cleared between loads), in --rounds processes per
  library, alternating ours and the original's so both see the same machine; the figure is the
  median over the rounds (on a shared VM one process can run 1.8x slower than the next).

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


def measure_import(paths):
    return float(run(IMPORT.format(paths=paths))[0])


def measure_resume(label, paths, repeat, work, round_):
    project = work / f"{label}-{round_}"
    project.mkdir()
    shutil.copyfile(VDVAE, project / "hparams.cfg")
    seconds, keys = run(RESUME.format(paths=paths, project=str(project), repeat=repeat * 10))
    return float(seconds), int(keys)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--original", default=os.environ.get("HPARAMS_ORIGINAL", ""))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    libraries = [("hparams (this package)", [])]
    original = Path(args.original) if args.original else None
    if original and (original / "hparams" / "hparams.py").is_file():
        libraries.append(("original", [str(original), str(original / "stubs")]))
    imports = {name: [] for name, _ in libraries}
    resumes = {name: [] for name, _ in libraries}
    keys = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for _ in range(args.repeat):  # alternate the libraries, process by process
            for name, paths in libraries:
                imports[name].append(measure_import(paths))
        for round_ in range(args.rounds):
            for index, (name, paths) in enumerate(libraries):
                seconds, keys[name] = measure_resume(str(index), paths, args.repeat, work, round_)
                resumes[name].append(seconds)
    rows = [(name, statistics.median(imports[name]), statistics.median(resumes[name]), keys[name])
            for name, _ in libraries]
    print(f"Python {sys.version.split()[0]}, VDVAE config ({VDVAE.name})")
    print(f"{'library':<24} {'import':>10} {'resume + to_dict':>18} {'keys':>6}")
    for name, imported, resumed, keys in rows:
        print(f"{name:<24} {imported * 1e3:>8.2f} ms {resumed * 1e3:>15.3f} ms {keys:>6}")
    if len(rows) == 2:
        print(f"original / ours: import {rows[1][1] / rows[0][1]:.2f}x, "
              f"resume + to_dict {rows[1][2] / rows[0][2]:.1f}x (target: >= 10x)")
        ratios = sorted(o / u for u, o in zip(resumes[rows[0][0]], resumes[rows[1][0]]))
        print(f"resume + to_dict ratio per round: {', '.join(f'{r:.1f}x' for r in ratios)}")
    else:
        print("original: not measured (give --original DIR or HPARAMS_ORIGINAL)")


if __name__ == "__main__":
    main()
