"""hparams: the hyper-parameters of deep-learning runs, in one .cfg file of Python values.

The original library's API (``HParams``, ``hp.section.key``, ``get``, ``items``, ``to_dict``,
``set``, ``update``, ``get_hparams_by_name``) on a C++ engine that evaluates every value in a
sandbox, exactly as CPython's ``eval`` would, when the file loads::

    from hparams import HParams

    hp = HParams(".", name="main")          # reads ./hparams.cfg, saves or resumes the run
    lr = hp.optimizer.lr
    hp = HParams.get_hparams_by_name("main")  # anywhere else in the program
"""

import os as _os

from . import _core, errors
from ._config import Config, LocalConfig, evaluate, load
from ._core import __version__
from .errors import Error
from .hparams import (AppliedOverride, Difference, HParams, RunInfo, rank_from_environment,
                      run_info, take_overrides)

# gs:// and s3:// backups run the helper program shipped beside the extension module.
_helper = _os.path.join(_os.path.dirname(__file__), "hparams-backup")
if _os.access(_helper, _os.X_OK):
    _core.set_backup_helper(_helper)
del _helper

__all__ = [
    "HParams",
    "Config",
    "LocalConfig",
    "load",
    "evaluate",
    "run_info",
    "take_overrides",
    "rank_from_environment",
    "RunInfo",
    "Difference",
    "AppliedOverride",
    "Error",
    "errors",
    "__version__",
]
