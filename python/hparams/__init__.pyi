# Type stubs of the public API (editors complete from these; the values themselves are plain
# Python objects: None, bool, int, float, str, list, tuple, dict, set, range).
from os import PathLike
from typing import Any, Iterable, Iterator, Optional, Union

from . import errors as errors
from .errors import Error as Error

__version__: str

_Path = Union[str, PathLike[str]]
Value = Any

class Config:
    LAST_COMMENT_KEY: str

    class SectionAccessor:
        def __getattr__(self, key: str) -> Value: ...
        def __setattr__(self, key: str, value: Any) -> None: ...
        def __iter__(self) -> Iterator[tuple[str, Value]]: ...

    def __init__(
        self,
        last_source: Optional[Any] = ...,
        interpolation: None = ...,
        kv_sep: str = ...,
        indent_spaces: int = ...,
        compact_form: bool = ...,
    ) -> None: ...
    def read(self, sources: Any) -> bool: ...
    def get(self, section: str, key: str, raise_not_found: bool = ...) -> Value: ...
    def set(
        self,
        section: str,
        key: str,
        value: Any,
        comment: Optional[str] = ...,
        raise_unknown_key: bool = ...,
    ) -> None: ...
    def items(self, section: str) -> Iterator[tuple[str, Value]]: ...
    def update(self, params: Optional[Iterable[str]]) -> None: ...
    def to_dict(self) -> dict[str, dict[str, Value]]: ...
    def to_json(self, indent: Optional[int] = ...) -> str: ...
    def add_section(self, section: str, comment: Optional[str] = ...) -> None: ...
    def save(self, target_file: Optional[_Path] = ..., as_template: bool = ...) -> None: ...
    def save_config(self, logfile: _Path) -> None: ...
    def __iter__(self) -> Iterator[str]: ...
    def __getattr__(self, name: str) -> Any: ...

LocalConfig = Config

class Difference:
    key: str
    cfg: Optional[str]
    saved: Optional[str]

class AppliedOverride:
    section: str
    key: str
    value: str
    added: bool

class RunInfo:
    run_name: str
    project_path: str
    source_file: str
    log_dir: str
    saved_file: str
    snapshot_file: str
    history_file: str
    is_new_run: bool
    is_restored: bool
    is_received: bool
    is_leader: bool
    backup_uri: Optional[str]
    differences: tuple[Difference, ...]
    overrides: tuple[AppliedOverride, ...]

class HParams(Config):
    def __init__(
        self,
        project_path: _Path,
        hparams_filename: str = ...,
        gcs_backup_project: Optional[str] = ...,
        gcs_backup_bucket: Optional[str] = ...,
        name: str = ...,
        *,
        overrides: Optional[Iterable[str]] = ...,
        argv: Union[bool, list[str]] = ...,
        resume: Optional[str] = ...,
        backup: Optional[str] = ...,
        backup_required: bool = ...,
        rank: Optional[int] = ...,
        rank_timeout: float = ...,
        every_rank_prints: bool = ...,
        quiet: bool = ...,
        max_steps: Optional[int] = ...,
        max_bytes: Optional[int] = ...,
    ) -> None: ...
    @staticmethod
    def get_hparams_by_name(name: str) -> HParams: ...
    @staticmethod
    def release(name: str) -> bool: ...
    @staticmethod
    def override_params() -> Optional[list[str]]: ...
    def add_to_global_collections(self, name: str) -> None: ...

def load(path: _Path, *, max_steps: Optional[int] = ..., max_bytes: Optional[int] = ...) -> Config: ...
def evaluate(text: str) -> Value: ...
def run_info(hp: HParams) -> RunInfo: ...
def take_overrides(argv: Optional[list[str]] = ...) -> list[str]: ...
def rank_from_environment() -> Optional[int]: ...
