"""The original library's module path for its config class: ``from hparams.localconfig import
LocalConfig`` keeps working."""

from .._config import LocalConfig

__all__ = ["LocalConfig"]
