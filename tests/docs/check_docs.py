#!/usr/bin/env python3
"""The manual is tested: every example in the public headers and the README is a program in
docs/examples/, and its output is checked.

1. Text. A header's example (the `//   ` lines of its top comment) is the `// [example]` region
   of docs/examples/<header>.cpp; a README code block is the region (or the whole file) that the
   `<!-- example: FILE -->` line above it names. Every ```cpp, ```python, ```cmake and ```ini
   block of the README needs such a line. `--sync` rewrites headers and README from the files.
2. Output. Each docs/examples/NAME.cpp runs (built as doc_NAME) in a fresh directory holding
   docs/examples/hparams.cfg; its standard output must be NAME.output. Every `// text` comment
   on (or right below) a line that prints must also appear in that output, in order: the
   comments the reader sees are claims the test checks.
3. Sessions. README ```console blocks run in order in one directory (holding
   docs/examples/hparams.cfg and examples/hparams.cfg, with hparams and the example programs on
   PATH): `$ command` lines run with bash (`> ` lines continue the command), the lines below
   are the expected output (stdout and stderr). A line `...` matches any lines; `...` inside
   a line matches any text (times, hosts, numbers of a training run).

Usage: check_docs.py --source DIR --examples-bin DIR --path DIR[:DIR] --work DIR
                     [--servers-env FILE] [--sync]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message, file=sys.stderr)


def dedent(lines):
    width = min((len(l) - len(l.lstrip(" ")) for l in lines if l.strip()), default=0)
    return [l[width:] if l.strip() else "" for l in lines]


def region(path):
    """The `// [example]` ... `// [end example]` lines of a file (dedented), else all of it."""
    lines = path.read_text().splitlines()
    starts = [i for i, l in enumerate(lines) if l.strip() in ("// [example]", "# [example]")]
    if not starts:
        return lines
    end = next(i for i, l in enumerate(lines)
               if l.strip() in ("// [end example]", "# [end example]"))
    return dedent(lines[starts[0] + 1:end])


def header_example(lines):
    """(first, last) line indexes of the example in a header's top comment, or None."""
    top = []
    for i, line in enumerate(lines):
        if not line.startswith("//"):
            break
        top.append(i)
    example = [i for i in top if lines[i].startswith("//   ")]
    if not example:
        return None
    first, last = example[0], example[-1]
    return first, last


def check_headers(source, sync):
    examples = source / "docs" / "examples"
    for header in sorted((source / "include" / "hparams").glob("*.hpp")):
        lines = header.read_text().splitlines()
        span = header_example(lines)
        program = examples / (header.stem + ".cpp")
        if span is None:
            if program.exists():
                fail(f"{header.name} has no example, but {program.name} exists")
            continue
        if not program.exists():
            fail(f"{header.name}: its example is not a tested program ({program} is missing)")
            continue
        want = ["//   " + l if l else "//" for l in region(program)]
        first, last = span
        have = lines[first:last + 1]
        if have != want:
            if sync:
                lines[first:last + 1] = want
                header.write_text("\n".join(lines) + "\n")
                print(f"synced {header.name}")
            else:
                fail(f"{header.name}: the example differs from {program.name}'s region:\n"
                     + "\n".join(want))


FENCE = re.compile(r"^```(\w*)\s*$")
MARK = re.compile(r"^<!-- example: (\S+) -->$")


def readme_blocks(lines):
    """(language, first content line, end line, marker path or None) of each fenced block."""
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m and m.group(1):
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            mark = MARK.match(lines[i - 1]) if i > 0 else None
            yield m.group(1), i + 1, end, mark.group(1) if mark else None
            i = end + 1
        elif m:
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            i = end + 1
        else:
            i += 1


def check_readme(source, sync):
    readme = source / "README.md"
    lines = readme.read_text().splitlines()
    consoles = []
    changed = False
    # From the last block to the first, so that a synced block does not move the ones to come.
    for language, first, end, mark in reversed(list(readme_blocks(lines))):
        if language == "console":
            consoles.insert(0, lines[first:end])
            continue
        if language not in ("cpp", "python", "cmake", "ini", "text"):
            continue
        if mark is None and language == "text":
            continue  # plain text (an error report, a layout) may stand alone
        if mark is None:
            fail(f"README.md:{first}: a ```{language} block without <!-- example: FILE -->")
            continue
        path = source / "docs" / "examples" / mark
        if not path.exists():
            fail(f"README.md:{first}: {mark} does not exist")
            continue
        want = region(path)
        if lines[first:end] != want:
            if sync:
                lines[first:end] = want
                changed = True
            else:
                fail(f"README.md:{first}: the block differs from {mark}")
    if changed:
        readme.write_text("\n".join(lines) + "\n")
        print("synced README.md")
    return consoles


def line_matches(pattern, line):
    if pattern == line:
        return True
    if "..." not in pattern:
        return False
    parts = [re.escape(p) for p in pattern.split("...")]
    return re.fullmatch(".*".join(parts), line, re.S) is not None


def output_matches(expected, actual):
    """Whether actual lines match expected lines, a `...` line standing for any lines."""
    memo = {}

    def match(i, j):
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(expected):
            result = j == len(actual)
        elif expected[i] == "...":
            result = any(match(i + 1, k) for k in range(j, len(actual) + 1))
        else:
            result = j < len(actual) and line_matches(expected[i], actual[j]) and match(i + 1, j + 1)
        memo[(i, j)] = result
        return result

    return match(0, 0)


TRAILING = re.compile(r"^(.*?\S)\s{2,}//\s?(.*)$")  # code, two spaces or more, `// comment`


def split_comment(line):
    """(code, trailing comment): a comment starts after two spaces, so `7 // 2` is code."""
    if line.lstrip().startswith("//"):
        return "", line.lstrip()[2:].strip()
    m = TRAILING.match(line)
    return (m.group(1), m.group(2).strip()) if m else (line, "")


def comment_claims(lines):
    """The `// text` comments at the end of, or right below, a statement that prints."""
    claims = []
    prints = re.compile(r"std::cout|print\(")
    i = 0
    while i < len(lines):
        if not prints.search(split_comment(lines[i])[0]):
            i += 1
            continue
        end = i  # the statement's last line
        while end + 1 < len(lines) and not split_comment(lines[end])[0].rstrip().endswith(
                (";", ")")):
            end += 1
        comment = split_comment(lines[end])[1]
        if comment:
            claims.append(comment)
        elif end + 1 < len(lines) and lines[end + 1].strip().startswith("// "):
            claims.append(lines[end + 1].strip()[3:])
        i = end + 1
    # `// 0.333  (why)`: the text before two spaces and a parenthesis is the claim.
    return [c.split("  (")[0].replace("\\n", "\n") for c in claims]


def run_examples(source, bin_dir, work, env):
    examples = source / "docs" / "examples"
    for program in sorted(examples.glob("*.cpp")):
        expected_file = program.with_suffix(".output")
        if not expected_file.exists():
            fail(f"{program.name} has no .output")
            continue
        binary = bin_dir / ("doc_" + program.stem)
        here = work / ("example-" + program.stem)
        shutil.rmtree(here, ignore_errors=True)
        here.mkdir(parents=True)
        shutil.copy(examples / "hparams.cfg", here / "hparams.cfg")
        result = subprocess.run([str(binary)], cwd=here, env=env, capture_output=True,
                                text=True, timeout=120)
        expected = expected_file.read_text()
        if result.returncode != 0 or result.stdout != expected:
            fail(f"{program.name}: exit {result.returncode}\n--- expected\n{expected}"
                 f"--- got\n{result.stdout}--- stderr\n{result.stderr}")
            continue
        position = 0
        for claim in comment_claims(region(program)):
            found = result.stdout.find(claim, position)
            if found < 0:
                fail(f"{program.name}: the comment '{claim}' is not in the output, in order")
                break
            position = found + len(claim)
        else:
            print(f"ok {program.name}")


def run_consoles(source, consoles, work, env):
    session = work / "session"
    shutil.rmtree(session, ignore_errors=True)
    session.mkdir(parents=True)
    shutil.copy(source / "docs" / "examples" / "hparams.cfg", session / "hparams.cfg")
    (session / "examples").mkdir()  # the example trainer's project, as in the repository
    shutil.copy(source / "examples" / "hparams.cfg", session / "examples" / "hparams.cfg")
    for block in consoles:
        commands = []
        for line in block:
            if line.startswith("$ "):
                commands.append((line[2:], []))
            elif commands and not commands[-1][1] and line.startswith("> "):
                commands[-1] = (commands[-1][0] + "\n" + line[2:], [])  # a continuation line
            elif commands:
                commands[-1][1].append(line)
            else:
                fail(f"console block starts without a command: {line}")
        for command, expected in commands:
            result = subprocess.run(["bash", "-c", "exec 2>&1\n" + command], cwd=session,
                                    env=env, capture_output=True, text=True, timeout=600)
            actual = result.stdout.splitlines()
            if not output_matches(expected, actual):
                fail(f"$ {command}\n--- expected\n" + "\n".join(expected) +
                     "\n--- got\n" + "\n".join(actual))
            else:
                print(f"ok $ {command}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--examples-bin", type=Path)
    parser.add_argument("--path", default="")
    parser.add_argument("--work", type=Path)
    parser.add_argument("--servers-env", type=Path)
    parser.add_argument("--sync", action="store_true")
    args = parser.parse_args()

    check_headers(args.source, args.sync)
    consoles = check_readme(args.source, args.sync)
    if args.sync:
        return 1 if failures else 0

    env = dict(os.environ)
    path = [str(Path(p).resolve()) for p in args.path.split(os.pathsep) if p]
    env["PATH"] = os.pathsep.join(path + [env.get("PATH", "")])
    env["TZ"] = "UTC"
    env["HPARAMS_MESSAGES"] = ""
    if args.servers_env:
        servers = dict(l.split("=", 1) for l in args.servers_env.read_text().splitlines() if "=" in l)
        env.update({"AWS_ACCESS_KEY_ID": "S3RVER", "AWS_SECRET_ACCESS_KEY": "S3RVER",
                    "AWS_ENDPOINT_URL": f"http://127.0.0.1:{servers['S3_PORT']}",
                    "AWS_DEFAULT_REGION": "us-east-1"})
    for name in ("RANK", "SLURM_PROCID", "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "LOCAL_RANK"):
        env.pop(name, None)
    run_examples(args.source.resolve(), args.examples_bin.resolve(), args.work.resolve(), env)
    run_consoles(args.source.resolve(), consoles, args.work.resolve(), env)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
