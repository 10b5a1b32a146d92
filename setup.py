"""The hparams Python package: the pure-Python layer in python/hparams and the C++ extension
hparams._core, built by CMake (python/CMakeLists.txt) for the interpreter that runs pip.

    python3 -m venv --system-site-packages V && V/bin/pip install --no-build-isolation .

HPARAMS_CMAKE_BUILD_DIR reuses an existing CMake build tree (`make test` passes its own, so the
library is compiled once); by default the build tree is setuptools' build_temp.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
VERSION = re.search(r"project\(hparams VERSION ([0-9.]+)", (ROOT / "CMakeLists.txt").read_text()).group(1)


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = Path(os.environ.get("HPARAMS_CMAKE_BUILD_DIR") or Path(self.build_temp) / "cmake")
        build_dir = build_dir.resolve()
        build_dir.mkdir(parents=True, exist_ok=True)
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir),
            "-DHPARAMS_BUILD_PYTHON=ON",
            f"-DPython_EXECUTABLE={sys.executable}",
        ]
        if not (build_dir / "CMakeCache.txt").exists():
            # A tree of our own: only what the extension needs.
            configure += [
                "-DCMAKE_BUILD_TYPE=Release",
                "-DHPARAMS_BUILD_TESTS=OFF", "-DHPARAMS_BUILD_TOOLS=OFF",
                "-DHPARAMS_BUILD_EXAMPLES=OFF", "-DHPARAMS_INSTALL=OFF",
            ]
        subprocess.run(configure, check=True)
        jobs = os.environ.get("HPARAMS_BUILD_JOBS") or str(os.cpu_count() or 2)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_core", "-j", jobs], check=True)
        built = next((build_dir / "python" / "hparams").glob("_core*"))
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(
    name="hparams",
    version=VERSION,
    description="Hyper-parameters of deep-learning runs: the original hparams API on a sandboxed C++ engine",
    license="MIT",
    python_requires=">=3.8",
    package_dir={"": "python"},
    packages=["hparams", "hparams.localconfig"],
    package_data={"hparams": ["py.typed", "*.pyi"]},
    ext_modules=[CMakeExtension("hparams._core")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
