"""Runs the original library (its folder in argv[1]) on a project and pickles what it gives.

    python original_driver.py ORIGINAL PROJECT FILENAME OUT.pickle

Run in a subprocess: the original is also a package named `hparams`. It imports gcsfs; the
stand-in in ORIGINAL/stubs takes its place.
"""

import contextlib
import io
import pickle
import sys

original, project, filename, out = sys.argv[1:5]
sys.path[:0] = [original, f"{original}/stubs"]

from hparams import HParams  # noqa: E402  (the original)


def describe(error):
    return (type(error).__module__, type(error).__qualname__,
            [c.__name__ for c in type(error).__mro__], str(error))


result = {}
stdout = io.StringIO()
try:
    with contextlib.redirect_stdout(stdout):
        hp = HParams(project, hparams_filename=filename, name="original")
    result["str"] = str(hp)
    try:
        result["to_dict"] = hp.to_dict()
    except Exception as error:  # the original evaluates lazily: a bad value fails here
        result["error"] = describe(error)
except Exception as error:
    result["error"] = describe(error)
result["stdout"] = stdout.getvalue()


def picklable(value):
    """The value, with what pickle cannot take (a module the original's eval returned, say)
    replaced by a marker naming its type."""
    try:
        pickle.dumps(value)
        return value
    except Exception:
        pass
    if isinstance(value, dict):
        return {k: picklable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(picklable(v) for v in value)
    return ("<unpicklable>", type(value).__name__, repr(value))


with open(out, "wb") as f:
    pickle.dump(picklable(result), f)
