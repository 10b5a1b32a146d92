"""The exceptions of the hparams package.

Every error is an :class:`Error` and also an instance of the built-in (or configparser) class
the original library would have raised, so existing ``except`` clauses keep working::

    try:
        hp = HParams(".")
    except SyntaxError as e:          # hparams.errors.SyntaxError is a SyntaxError
        print(e)                      # hparams.cfg:6:8: error: SyntaxError in data.path: ...
        print(e.key, e.line, e.column)

``str(e)`` is the full report: every error of the file, each with ``file:line:col``, the
``section.key`` it concerns, the offending line and a caret. ``e.errors`` lists them one by
one (each an :class:`Error` of its own kind).
"""

import builtins
import os
import sys

__all__ = [
    "Error",
    "SyntaxError",
    "NameError",
    "TypeError",
    "ValueError",
    "ZeroDivisionError",
    "KeyError",
    "IndexError",
    "AttributeError",
    "OverflowError",
    "MemoryError",
    "RecursionError",
    "TimeoutError",
    "ParsingError",
    "MissingSectionHeaderError",
    "DuplicateSectionError",
    "DuplicateOptionError",
    "NotFoundError",
    "NoSectionError",
    "ConfigError",
    "FileError",
    "ConfigFileNotFoundError",
]


class Error(Exception):
    """Base of every hparams error.

    Attributes: ``kind`` (Python's or configparser's name, e.g. ``"SyntaxError"``),
    ``message`` (as Python words it), ``file``, ``line``, ``column`` (1-based, 0 when
    unknown), ``key`` (``section.key`` or ``""``), ``report`` (what ``str()`` gives) and
    ``errors`` (every error found, for a file with several).
    """

    kind = "Error"

    def __init__(self, report="", *, message=None, file="", line=0, column=0, key="",
                 errors=None):
        # The built-in bases (SyntaxError, OSError, configparser's classes) each parse their
        # arguments differently; the report is the one argument they all get.
        BaseException.__init__(self, report)
        self.report = report
        self.message = report if message is None else message
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.errors = [self] if errors is None else errors
        _fill_base_attributes(self)

    def __str__(self):
        return self.report

    def __reduce__(self):
        # Exceptions cross process boundaries (multiprocessing, torch.multiprocessing)
        # pickled; rebuild through our constructor, not the built-in base's.
        return (_restore, (type(self), self.report, self.message, self.file, self.line,
                           self.column, self.key, self.__dict__))


def _restore(cls, report, message, file, line, column, key, state):
    error = cls(report, message=message, file=file, line=line, column=column, key=key)
    error.__dict__.update(state)
    return error


class SyntaxError(Error, builtins.SyntaxError):
    kind = "SyntaxError"


class NameError(Error, builtins.NameError):
    kind = "NameError"


class TypeError(Error, builtins.TypeError):
    kind = "TypeError"


class ValueError(Error, builtins.ValueError):
    kind = "ValueError"


class ZeroDivisionError(Error, builtins.ZeroDivisionError):
    kind = "ZeroDivisionError"


class KeyError(Error, builtins.KeyError):
    kind = "KeyError"


class IndexError(Error, builtins.IndexError):
    kind = "IndexError"


class AttributeError(Error, builtins.AttributeError):
    kind = "AttributeError"


class OverflowError(Error, builtins.OverflowError):
    kind = "OverflowError"


class MemoryError(Error, builtins.MemoryError):
    """A size limit of the sandbox (64 MiB per value, the budgets per value and per file)."""

    kind = "MemoryError"


class RecursionError(Error, builtins.RecursionError):
    """The nesting limit of the sandbox."""

    kind = "RecursionError"


class TimeoutError(Error, builtins.TimeoutError):
    """The step budget of one value, or a rank's wait for rank 0's saved copy."""

    kind = "TimeoutError"


class NotFoundError(Error, builtins.KeyError, builtins.AttributeError, builtins.ValueError):
    """A missing key, section or registered name.

    The original raised ValueError for a missing key and KeyError for an unknown registered
    name; this is both, and an AttributeError too, so that ``hasattr``, ``getattr(hp, key,
    default)`` and ``copy.deepcopy`` work on an HParams object.
    """

    kind = "LookupError"


class ConfigError(Error, builtins.ValueError):
    """Anything else wrong with a configuration or a run (run.name, a strict resume, ...)."""

    kind = "ConfigError"


class FileError(Error, builtins.OSError):
    kind = "IOError"


class ConfigFileNotFoundError(FileError, builtins.FileNotFoundError, builtins.ValueError):
    """The .cfg file does not exist (the original raised ValueError: no [run] section)."""

    kind = "IOError"


_CLASSES = {
    cls.kind: cls
    for cls in (SyntaxError, NameError, TypeError, ValueError, ZeroDivisionError, KeyError,
                IndexError, AttributeError, OverflowError, MemoryError, RecursionError,
                TimeoutError, NotFoundError, ConfigError, FileError)
}

# The subclasses of configparser's errors are made when first needed: importing configparser
# (and re with it) costs more than the rest of the package's import.
_CONFIGPARSER_KINDS = ("ParsingError", "MissingSectionHeaderError", "DuplicateSectionError",
                       "DuplicateOptionError", "NoSectionError")


def __getattr__(name):
    if name not in _CONFIGPARSER_KINDS:
        raise builtins.AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import configparser

    base = NotFoundError if name == "NoSectionError" else Error
    cls = type(name, (base, getattr(configparser, name)),
               {"kind": name, "__module__": __name__, "__qualname__": name,
                "__doc__": f"configparser.{name}, as an hparams error."})
    globals()[name] = cls
    _CLASSES[name] = cls
    return cls


def _class_for(kind):
    if kind in _CONFIGPARSER_KINDS:
        return __getattr__(kind) if kind not in globals() else globals()[kind]
    return _CLASSES.get(kind, Error)


def _no_section(section):
    """configparser's NoSectionError for a section that does not exist (also a KeyError)."""
    return _class_for("NoSectionError")(f"No section: {section!r}", key=str(section))


def _fill_base_attributes(error):
    """Sets what the built-in or configparser base class documents, for handlers that read it."""
    if isinstance(error, builtins.SyntaxError):
        error.msg = error.report
        error.filename = error.file or None
        error.lineno = error.line or None
        error.offset = error.column or None
        error.text = None
    configparser = sys.modules.get("configparser")
    if configparser is not None and isinstance(error, configparser.Error):
        error.source = error.file
        section, _, option = error.key.partition(".")
        if isinstance(error, (configparser.DuplicateSectionError,
                              configparser.DuplicateOptionError)):
            error.section = section
            error.lineno = error.line
        if isinstance(error, configparser.DuplicateOptionError):
            error.option = option
        if isinstance(error, configparser.NoSectionError):
            error.section = section
        if isinstance(error, configparser.ParsingError):
            error.errors = getattr(error, "errors", [])
        if isinstance(error, configparser.MissingSectionHeaderError):
            error.lineno = error.line


def _from_core(errors, report):
    """Builds the exception for an error of the C++ engine (called by hparams._core).

    ``errors`` holds (kind, message, file, line, column, key, one_line) per error found;
    the exception is of the first one's kind and its report lists them all.
    """

    def build(kind, message, file, line, column, key, text):
        cls = _class_for(kind)
        if cls is FileError and file and not os.path.exists(file):
            cls = ConfigFileNotFoundError
        return cls(text, message=message, file=file, line=line, column=column, key=key)

    each = [build(*e) for e in errors]
    first = errors[0]
    if len(each) == 1:
        error = each[0]
        if report != error.report:
            error.report = report
            _fill_base_attributes(error)
        return error
    cls = type(each[0])
    return cls(report, message=first[1], file=first[2], line=first[3], column=first[4],
               key=first[5], errors=each)

