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

from setuptools import Command, Extension, setup
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
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_core",
                        "hparams_backup_helper", "-j", jobs], check=True)
        built = next((build_dir / "python" / "hparams").glob("_core*"))
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)
        # gs:// and s3:// backups run this helper (hparams/__init__.py points the core at it),
        # so that importing hparams loads no network library.
        helper = target.parent / "hparams-backup"
        shutil.copyfile(build_dir / "cli" / "hparams-backup", helper)
        helper.chmod(0o755)


class PlainWheel(Command):
    """bdist_wheel for interpreters without the `wheel` package (an interpreter of its own
    before Debian's on PATH, say): the built package zipped with its .dist-info, as the wheel
    format (PEP 427) describes."""

    description = "build a wheel without the wheel package"
    user_options = [("dist-dir=", "d", "directory for the wheel"),
                     ("bdist-dir=", "b", "ignored"), ("plat-name=", "p", "ignored")]

    def initialize_options(self):
        self.dist_dir = self.bdist_dir = self.plat_name = None

    def finalize_options(self):
        self.dist_dir = self.dist_dir or "dist"

    def egg2dist(self, egg_info, dist_info):
        """What setuptools' dist_info asks of bdist_wheel: the .egg-info as a .dist-info."""
        target = Path(dist_info)
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(egg_info) / "PKG-INFO", target / "METADATA")
        shutil.copyfile(Path(egg_info) / "top_level.txt", target / "top_level.txt")
        shutil.rmtree(egg_info)

    def run(self):
        import base64
        import hashlib
        import sysconfig
        import zipfile

        build = self.get_finalized_command("build")
        self.run_command("build")
        lib = Path(build.build_lib)
        name, version = self.distribution.get_name(), self.distribution.get_version()
        interpreter = f"cp{sys.version_info[0]}{sys.version_info[1]}"
        platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
        tag = f"{interpreter}-{interpreter}-{platform}"
        info = f"{name}-{version}.dist-info"
        files = {str(p.relative_to(lib)): p.read_bytes() for p in sorted(lib.rglob("*"))
                 if p.is_file() and "__pycache__" not in p.parts}
        files[f"{info}/METADATA"] = (
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
            f"Summary: {self.distribution.get_description()}\nLicense: MIT\n"
            f"Requires-Python: {self.distribution.python_requires}\n").encode()
        files[f"{info}/WHEEL"] = (f"Wheel-Version: 1.0\nGenerator: hparams setup.py\n"
                                  f"Root-Is-Purelib: false\nTag: {tag}\n").encode()
        files[f"{info}/top_level.txt"] = b"hparams\n"
        record = []
        for path, data in files.items():
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{path},sha256={digest.decode()},{len(data)}")
        record.append(f"{info}/RECORD,,")
        files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
        Path(self.dist_dir).mkdir(parents=True, exist_ok=True)
        wheel = Path(self.dist_dir) / f"{name}-{version}-{tag}.whl"
        with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, data in files.items():
                archive.writestr(path, data)


commands = {"build_ext": CMakeBuild}
try:
    import wheel  # noqa: F401  (setuptools' bdist_wheel needs it)
except ImportError:
    commands["bdist_wheel"] = PlainWheel

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
    cmdclass=commands,
    zip_safe=False,
)
