"""The README's Python example (docs/examples/readme_python.py) runs and prints what the README
says; tests/docs/check_docs.py checks that the README shows exactly that file."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def test_readme_python_example(tmp_path):
    shutil.copy(EXAMPLES / "hparams.cfg", tmp_path / "hparams.cfg")
    env = {k: v for k, v in os.environ.items()
           if k not in ("RANK", "SLURM_PROCID", "OMPI_COMM_WORLD_RANK", "PMIX_RANK")}
    result = subprocess.run([sys.executable, str(EXAMPLES / "readme_python.py")], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (EXAMPLES / "readme_python.output").read_text()
    # The comments beside the prints are the README's claims: each is in the output.
    for line in (EXAMPLES / "readme_python.py").read_text().splitlines():
        code, _, comment = line.partition("#")
        if "print(" in code and comment.strip():
            claim = comment.strip().split("  (")[0]
            assert claim in result.stdout, claim
