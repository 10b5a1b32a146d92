#!/usr/bin/env python3
"""The reference semantics of the value language, computed by CPython itself.

Reads one expression per line on stdin and prints, per line, what the value language must
give: repr(value), or `!Kind` for an error. Unknown names and function/type results give
the raw text. Used by tools/gen/difftest.py and to produce expected values for tests.
"""
import ast
import builtins
import signal
import sys

ALLOWED = ("abs all any bin bool chr dict divmod enumerate float hex int len list max min oct "
           "ord pow range reversed round set sorted str sum tuple zip").split()
METHODS = {
    str: set("upper lower split rsplit join replace strip lstrip rstrip startswith endswith "
             "format zfill title capitalize count find".split()),
    list: {"index", "count"}, tuple: {"index", "count"}, range: {"index", "count"},
    dict: {"get", "keys", "values", "items"},
}


def _attr(obj, name):
    # The sandbox's attribute rule: only the listed methods of the listed types exist.
    for kind, names in METHODS.items():
        if type(obj) is kind and name in names:
            return getattr(obj, name)
    raise AttributeError(f"'{type(obj).__name__}' object has no attribute '{name}'")


class _Sandbox(ast.NodeTransformer):
    """Refuses the syntax the value language leaves out; routes attribute access via _attr."""

    def generic_visit(self, node):
        if isinstance(node, (ast.Lambda, ast.JoinedStr, ast.NamedExpr, ast.Starred,
                             ast.Await, ast.Yield, ast.YieldFrom)):
            raise SyntaxError("not in the value language")
        if isinstance(node, ast.Constant) and (
                isinstance(node.value, (bytes, complex)) or node.value is Ellipsis):
            raise SyntaxError("not in the value language")
        if isinstance(node, ast.Dict) and any(k is None for k in node.keys):
            raise SyntaxError("not in the value language")
        if isinstance(node, ast.keyword) and node.arg is None:
            raise SyntaxError("not in the value language")
        return super().generic_visit(node)

    def visit_Attribute(self, node):
        self.generic_visit(node)
        call = ast.Call(func=ast.Name(id="__attr__", ctx=ast.Load()),
                        args=[node.value, ast.Constant(node.attr)], keywords=[])
        return ast.copy_location(call, node)


ENV = {"__builtins__": {name: getattr(builtins, name) for name in ALLOWED}, "__attr__": _attr}


class Slow(Exception):
    pass


def _alarm(signum, frame):
    raise Slow()


def reference(text):
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, 2.0)
    try:
        return _reference(text)
    except Slow:
        return "!Slow"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _reference(text):
    try:
        tree = ast.fix_missing_locations(_Sandbox().visit(ast.parse(text.lstrip(" \t"), mode="eval")))
        value = eval(compile(tree, "<value>", "eval"), dict(ENV))
    except NameError:
        return repr(text)
    except SyntaxError:
        return "!SyntaxError"
    except Slow:
        raise
    except Exception as e:  # noqa: BLE001 - the kind is the result
        return "!" + type(e).__name__
    if callable(value) or isinstance(value, type):
        return repr(text)
    try:
        return repr(value)
    except Exception as e:  # noqa: BLE001
        return "!" + type(e).__name__


if __name__ == "__main__":
    sys.set_int_max_str_digits(4300)
    for line in sys.stdin:
        print(reference(line.rstrip("\n")))
