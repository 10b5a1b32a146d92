#!/usr/bin/env python3
"""Differential test: random value-language expressions, CPython (pyref.py) vs `hparams eval`.

  python3 tools/gen/difftest.py BUILD/cli/hparams [COUNT] [SEED]

Prints each disagreement. Errors compare by kind only. PYTHONHASHSEED=0 makes CPython's set
order of strings reproducible (our str hash is CPython's with that seed).
"""
import os
import random
import subprocess
import sys

R = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)

INTS = ["0", "1", "2", "3", "7", "-1", "-7", "10", "255", "2**63", "2**64", "-2**63", "10**20",
        "0x1F", "0o17", "0b101", "1_000", "True", "False", "12345678901234567890"]
FLOATS = ["0.0", "-0.0", "0.1", "1.5", "2.5", "-2.5", "1e-5", "1e16", "3e-4", "1e308",
          "float('inf')", "float('nan')", "2.675", "0.125", "123456.789", "1e22", ".5", "8."]
STRS = ["''", "'a'", "'abc'", "'a b  c'", "'Hello World'", "'x,y,z'", "\"it's\"", "'é'",
        "'片仮名'", "'ß'", "'  pad  '", "'%s'", "'%d'", "'{}'", "'{:>5}'", "'tab\\t'",
        "'a\\nb'", "'\\x00'", "'\\u2028'", "'ǅ'", "'ﬁ'", "'İ'"]
NAMES = ["adam", "x", "data", "lr"]
SPECS = ["", ">8", "<4", "^7", "08.3f", ".3f", "e", ".2e", "g", ".3g", ",", "_", "x", "#x", "b",
         "o", "%", ".1%", "+", " ", "=+10", "*^9", "010,", ".0f", ".0", ".3", "5d", "X", "#o",
         ",.2f", "z.1f", "c", "n", "s", ".2s", "10.4g", "#g", "E", "G", "F"]
PCT = ["%s", "%r", "%d", "%i", "%5d", "%-5d|", "%05d", "%x", "%X", "%#x", "%o", "%#o", "%e",
       "%.2e", "%f", "%.3f", "%g", "%10.4g", "%+d", "% d", "%c", "%a", "%%", "%.2s", "%5s",
       "%-8r|", "%#.0f", "%.0e"]


def atom(d):
    k = R.random()
    if k < 0.3:
        return R.choice(INTS)
    if k < 0.5:
        return R.choice(FLOATS)
    if k < 0.7:
        return R.choice(STRS)
    if k < 0.75:
        return R.choice(["None", "True", "False"])
    if k < 0.78:
        return R.choice(NAMES)
    return container(d)


def container(d):
    n = R.randint(0, 3)
    items = [expr(d + 1) for _ in range(n)]
    k = R.randint(0, 4)
    if k == 0:
        return "[" + ", ".join(items) + "]"
    if k == 1:
        return "(" + ", ".join(items) + ("," if n == 1 else "") + ")"
    if k == 2 and n:
        return "{" + ", ".join(items) + "}"
    if k == 3:
        return "{" + ", ".join(f"{expr(d + 1)}: {v}" for v in items) + "}"
    return f"range({R.randint(-3, 5)}, {R.randint(-3, 9)}, {R.choice([1, 2, -1, 3])})"


BIN = ["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "<", "<=", "==", "!=",
       ">", ">=", "in", "not in", "is", "and", "or"]
CALLS = ["abs", "all", "any", "bin", "bool", "chr", "dict", "divmod", "enumerate", "float", "hex",
         "int", "len", "list", "max", "min", "oct", "ord", "pow", "range", "reversed", "round",
         "set", "sorted", "str", "sum", "tuple", "zip"]
METHODS = ["upper", "lower", "split", "rsplit", "join", "replace", "strip", "lstrip", "rstrip",
           "startswith", "endswith", "format", "zfill", "title", "capitalize", "count", "find",
           "index", "get", "keys", "values", "items"]


def int_set():
    n = R.randint(0, 12)
    pool = R.choice([range(-20, 40), range(0, 200, 8), range(-5, 6), range(0, 70000, 4096)])
    items = [str(R.choice(pool)) for _ in range(n)]
    if R.random() < 0.2:
        items = [repr(R.choice(["a", "b", "lr", "seed", "x", "é", "adam", "sgd"])) for _ in range(n)]
    k = R.randint(0, 3)
    if k == 0 and n:
        return "{" + ", ".join(items) + "}"
    if k == 1:
        return "set([" + ", ".join(items) + "])"
    if k == 2:
        return "{x for x in [" + ", ".join(items) + "]}"
    return f"set(range({R.randint(-10, 10)}, {R.randint(10, 100)}, {R.randint(1, 9)}))"


def expr(d=0):
    if d > 3:
        return atom(d)
    if R.random() < 0.08:
        return f"({int_set()} {R.choice(['|', '&', '-', '^', '<=', '=='])} {int_set()})"
    if R.random() < 0.05:
        return int_set()
    k = R.random()
    if k < 0.25:
        return atom(d)
    if k < 0.45:
        return f"({expr(d + 1)} {R.choice(BIN)} {expr(d + 1)})"
    if k < 0.5:
        return f"{R.choice(['-', '+', '~', 'not '])}{expr(d + 1)}"
    if k < 0.65:
        f = R.choice(CALLS)
        args = [expr(d + 1) for _ in range(R.choice([0, 1, 1, 1, 2, 2, 3]))]
        if f in ("round",) and R.random() < 0.5:
            args = [R.choice(FLOATS + INTS), str(R.randint(-3, 4))]
        if f in ("sorted", "max", "min") and R.random() < 0.3:
            args.append(R.choice(["reverse=True", "key=len", "key=abs", "default=0", "key=str"]))
        if f == "int" and R.random() < 0.4:
            args = [R.choice(["'42'", "' -7 '", "'0x1f'", "'ff'", "'1_0'", "'０１'", "'z'", "'0b11'"]),
                    str(R.choice([0, 2, 10, 16, 36]))]
        if f == "float" and R.random() < 0.4:
            args = [R.choice(["'1e3'", "' 2.5 '", "'inf'", "'-Infinity'", "'nan'", "'1_0.5'", "'.5'",
                              "'5.'", "'1e'", "'abc'", "'0x10'"])]
        return f"{f}({', '.join(args)})"
    if k < 0.75:
        m = R.choice(METHODS)
        obj = R.choice(STRS) if m not in ("index", "get", "keys", "values", "items") else container(d + 1)
        args = [expr(d + 1) for _ in range(R.choice([0, 1, 1, 2]))]
        return f"{obj}.{m}({', '.join(args)})"
    if k < 0.82:
        spec = R.choice(SPECS)
        return f"'{{:{spec}}}'.format({expr(d + 1)})"
    if k < 0.88:
        fmt = R.choice(PCT)
        return f"'{fmt}' % {expr(d + 1)}"
    if k < 0.94:
        return f"{container(d + 1)}[{R.choice(['0', '-1', '1:', '::-1', '1:3', '::2', '-2:', 'a'])}]"
    v = R.choice(["x", "y"])
    return (f"[{v} {R.choice(['*', '+', '%'])} {R.choice(['2', '1.5', 'x'])} for {v} in "
            f"{container(d + 1)} if {R.choice([v, 'True', v + ' != 0'])}]")


def main():
    binary = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    exprs = []
    while len(exprs) < count:
        e = expr()
        if "\n" not in e:
            exprs.append(e)
    text = "\n".join(exprs) + "\n"
    env = dict(os.environ, PYTHONHASHSEED="0")
    here = os.path.dirname(os.path.abspath(__file__))
    ref = subprocess.run([sys.executable, os.path.join(here, "pyref.py")], input=text,
                         capture_output=True, text=True, env=env, timeout=600).stdout.splitlines()
    ours = subprocess.run([binary, "eval", "--each-line"], input=text, capture_output=True,
                          text=True, timeout=600).stdout.splitlines()
    bad = 0
    for e, r, o in zip(exprs, ref, ours):
        o_cmp = o.split(":")[0] if o.startswith("!") else o
        if " object at 0x" in r or "beyond 64 bits" in o or r in ("!Slow", "!MemoryError"):
            continue  # addresses cannot match; big-int ranges are a documented limit
        if r != o_cmp:
            bad += 1
            print(f"EXPR {e}\n  python: {r}\n  ours:   {o}")
    print(f"{count - bad}/{count} agree")


if __name__ == "__main__":
    main()
