"""HParams: a run's config, saved on its first launch and restored on every later one.

The original library's class on our engine: the same files (``<project>/<filename>.cfg``,
``logs-<run.name>/hparams-<run.name>.cfg``), the same messages, the same registry of named
objects, with every value evaluated in a sandbox when the file loads.
"""

import os
import sys
import threading

from . import _core
from ._config import Config
from .errors import ConfigError, NotFoundError


class _Record:
    """A small immutable record (dataclasses and typing cost more to import than the rest
    of the package)."""

    __slots__ = ()

    def __init__(self, *args, **kwargs):
        values = dict(zip(self.__slots__, args), **kwargs)
        for field in self.__slots__:
            object.__setattr__(self, field, values[field])

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is read-only")

    def _values(self):
        return tuple(getattr(self, f) for f in self.__slots__)

    def __repr__(self):
        fields = ", ".join(f"{f}={getattr(self, f)!r}" for f in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def __eq__(self, other):
        return type(other) is type(self) and other._values() == self._values()

    def __hash__(self):
        return hash(self._values())

    def __reduce__(self):
        return (type(self), self._values())


class Difference(_Record):
    """A key whose value differs between the cfg file and the saved copy: ``key``
    (section.key), ``cfg`` and ``saved`` (reprs; None where the key is absent)."""

    __slots__ = ("key", "cfg", "saved")


class AppliedOverride(_Record):
    """One override as applied: ``section`` as written ("DEFAULT" for defaults), ``key``,
    ``value`` (the text), ``added`` (the section inherited the key from DEFAULT and now has
    its own)."""

    __slots__ = ("section", "key", "value", "added")


class RunInfo(_Record):
    """What a launch did and where its files are (``hparams.run_info(hp)``): ``run_name``,
    ``project_path``, ``source_file`` (<project>/<filename>.cfg), ``log_dir``
    (<project>/logs-<run.name>: write checkpoints here), ``saved_file``, ``history_file``,
    ``snapshot_file`` (its values as JSON), ``is_new_run`` (this process created the saved
    copy), ``is_restored`` (the saved copy came back from the backup destination),
    ``is_received`` (a rank other than 0 took rank 0's copy from the backup destination),
    ``is_leader`` (rank 0, or no rank: this process decided new or resume), ``backup_uri``,
    ``differences`` (on a resume: the cfg file against the saved copy) and ``overrides``."""

    __slots__ = ("run_name", "project_path", "source_file", "log_dir", "saved_file",
                 "snapshot_file", "history_file", "is_new_run", "is_restored", "is_received",
                 "is_leader", "backup_uri", "differences", "overrides")


def _take_overrides(argv):
    """The overrides among program arguments: sys.argv[1:] (removed from it) for True."""
    if argv is None or argv is False:
        return []
    if argv is True:
        args = sys.argv[1:]
        _core.check_split_overrides(args)
        taken = [a for a in args if _core.is_override(a)]
        sys.argv[1:] = [a for a in args if not _core.is_override(a)]
        return taken
    if isinstance(argv, str):
        raise TypeError("argv must be True or a list of arguments, not a str")
    return [a for a in argv if _core.is_override(a)]


class HParams(Config):
    """A run's hyper-parameters, registered by ``name`` for the rest of the program.

    Reads ``<project_path>/<hparams_filename>.cfg``. The first launch of a ``run.name``
    saves the file to ``<project_path>/logs-<run.name>/hparams-<run.name>.cfg``; every later
    launch resumes from that saved copy. Keyword-only options go beyond the original:

    - ``overrides``: ``section.key=value`` texts (also ``--section.key=value`` or
      ``~~section.key=value``); on a new run they go into the saved copy, on a resume they
      apply to this launch only.
    - ``argv``: True takes the overrides out of ``sys.argv``; a list is read as arguments.
    - ``resume``: ``"warn"`` (the saved copy wins, differences are reported), ``"strict"``
      (a difference between the cfg and the saved copy is an error), or None (strict when
      the cfg says ``[run] resume = strict``).
    - ``backup``: ``gs://``, ``s3://`` or ``file://`` destination of the saved copy (also
      restored from there on a machine without it); ``backup_required`` decides whether a
      failed backup stops the program.
    - ``rank`` (default: RANK, SLURM_PROCID or OMPI_COMM_WORLD_RANK) and ``rank_timeout``:
      a process that is not rank 0 never decides; it waits for rank 0's copy of this launch
      (from the shared file system, or from ``backup`` on another machine). Only rank 0
      prints, unless ``every_rank_prints`` (or HPARAMS_MESSAGES=all).
    - ``quiet``: print nothing. The original's messages go to stdout; other reports
      (differences on resume, overrides) go to stderr.
    - ``max_steps``, ``max_bytes``: the sandbox's budgets per value.

    Example::

        hp = HParams(".", name="main")
        print(hp.run.name, hp.optimizer.lr)
        same = HParams.get_hparams_by_name("main")
    """

    _loaded_hparams_objects = {}
    _registry_lock = threading.Lock()
    _being_created = set()

    def __init__(self, project_path, hparams_filename="hparams", gcs_backup_project=None,
                 gcs_backup_bucket=None, name="hparams", *, overrides=None, argv=False,
                 resume=None, backup=None, backup_required=True, rank=None, rank_timeout=600.0,
                 every_rank_prints=False, quiet=False, max_steps=None, max_bytes=None):
        with HParams._registry_lock:
            if name in HParams._loaded_hparams_objects or name in HParams._being_created:
                raise ConfigError(f"hparams {name} is being loaded a second time")
            HParams._being_created.add(name)
        try:
            super().__init__()
            self._limits = (max_steps or 0, max_bytes or 0)
            texts = [str(o) for o in (overrides or [])] + _take_overrides(argv)
            # The original backs up only when it is given a project (the bucket alone is
            # ignored), and adds gs:// to a bare bucket.
            project = "" if gcs_backup_project is None else str(gcs_backup_project)
            bucket = "" if gcs_backup_project is None or gcs_backup_bucket is None else str(
                gcs_backup_bucket)
            loaded, facts = _core.open_run(
                os.fsencode(os.fspath(project_path)), str(hparams_filename), str(name), texts,
                resume or "", rank, float(rank_timeout), backup or "", project, bucket,
                bool(backup_required), bool(every_rank_prints), None if quiet else sys.stdout,
                None if quiet else sys.stderr, *self._limits)
            self._adopt(loaded)
            self._run_facts = facts
        except BaseException:
            with HParams._registry_lock:
                HParams._being_created.discard(name)
            raise
        with HParams._registry_lock:
            HParams._being_created.discard(name)
            HParams._loaded_hparams_objects[name] = self

    def add_to_global_collections(self, name):
        """Registers this object under ``name`` (the original's helper)."""
        with HParams._registry_lock:
            HParams._loaded_hparams_objects[name] = self

    @staticmethod
    def get_hparams_by_name(name):
        """The object registered under ``name``; NotFoundError (a KeyError) otherwise."""
        with HParams._registry_lock:
            try:
                return HParams._loaded_hparams_objects[name]
            except KeyError:
                known = ", ".join(sorted(map(str, HParams._loaded_hparams_objects)))
                raise NotFoundError(
                    f"no hparams object named {name!r}; "
                    + (f"registered: {known}" if known else "none is registered"),
                    key=str(name)) from None

    @staticmethod
    def release(name):
        """Forgets a registered name (tests, notebooks); False when it was not registered.
        Holders of the object keep it."""
        with HParams._registry_lock:
            return HParams._loaded_hparams_objects.pop(name, None) is not None

    @staticmethod
    def override_params():
        """The original's helper: the positional command-line arguments, or None."""
        import argparse
        import contextlib
        import io

        try:
            with contextlib.redirect_stderr(io.StringIO()):
                parser = argparse.ArgumentParser()
                parser.add_argument("override_params", nargs="+")
                return parser.parse_args().override_params
        except BaseException:
            return None


def take_overrides(argv=None):
    """Takes the overrides (``section.key=value``, ``--section.key=value``,
    ``~~key=value``) out of ``argv`` (default: ``sys.argv``, from index 1) and returns them, in
    order; the program's own arguments stay. Raises ConfigError for an override the shell
    split (``model.lr = 1e-3``)."""
    if argv is None:
        taken = _take_overrides(True)
        return taken
    taken = [a for a in argv if _core.is_override(a)]
    argv[:] = [a for a in argv if not _core.is_override(a)]
    return taken


def run_info(hp):
    """What the launch of ``hp`` did and where its files are (a :class:`RunInfo`)."""
    info = hp.__dict__.get("_run_info")
    if info is None:
        facts = hp.__dict__["_run_facts"]
        info = RunInfo(
            run_name=facts["run_name"],
            project_path=os.fsdecode(facts["project_path"]),
            source_file=os.fsdecode(facts["source_file"]),
            log_dir=os.fsdecode(facts["log_dir"]),
            saved_file=os.fsdecode(facts["saved_file"]),
            snapshot_file=os.fsdecode(facts["snapshot_file"]),
            history_file=os.fsdecode(facts["history_file"]),
            is_new_run=facts["is_new_run"],
            is_restored=facts["is_restored"],
            is_received=facts["is_received"],
            is_leader=facts["is_leader"],
            backup_uri=facts["backup_uri"] or None,
            differences=tuple(Difference(*d) for d in facts["differences"]),
            overrides=tuple(AppliedOverride(*o) for o in facts["overrides"]),
        )
        hp._run_info = info
    return info


def rank_from_environment():
    """This process's rank from RANK, SLURM_PROCID or OMPI_COMM_WORLD_RANK, or None."""
    return _core.rank_from_environment()
