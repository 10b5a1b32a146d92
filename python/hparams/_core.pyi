# The C++ engine of the package (python/src/module.cpp). Use the hparams module instead.
from typing import Any, Optional, TextIO

__version__: str

_Loaded = tuple[str, str, list[tuple[str, dict[str, str], dict[str, Any]]], list[tuple[str, BaseException]]]

def load(path: bytes, max_steps: int = ..., max_bytes: int = ...) -> _Loaded: ...
def parse(text: str, file: str, max_steps: int = ..., max_bytes: int = ...) -> _Loaded: ...
def evaluate(text: str, raw_name: bool = ..., max_steps: int = ..., max_bytes: int = ...) -> Any: ...
def open_run(
    project: bytes,
    filename: str,
    name: str,
    overrides: list[str],
    resume: str,
    rank: Optional[int],
    rank_timeout: float,
    backup_uri: str,
    gcs_project: str,
    gcs_bucket: str,
    backup_required: bool,
    every_rank_prints: bool,
    out: Optional[TextIO],
    notes: Optional[TextIO],
    max_steps: int,
    max_bytes: int,
) -> tuple[_Loaded, dict[str, Any]]: ...
def to_json(value: Any, indent: int) -> str: ...
def is_override(argument: str) -> bool: ...
def parse_override(argument: str) -> tuple[str, str]: ...
def rank_from_environment() -> Optional[int]: ...
def check_split_overrides(args: list[str]) -> None: ...
def set_backup_helper(path: str) -> None: ...
