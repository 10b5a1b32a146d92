#!/usr/bin/env python3
"""Runs under a real launcher: OpenMPI's mpirun starts `hparams run` in 8 processes.

  launch_test.py HPARAMS_CLI WORK_DIR BACKUP_SERVERS_DIR [TRIALS]

1. One machine, 8 ranks (one file system): one creator, identical values on every rank,
   only rank 0 prints; a resume; a resume with overrides.
2. Two simulated machines x 4 ranks that share no file system: a project directory per
   machine, the machine index (NODE_RANK) and local rank (LOCAL_RANK) set per process from
   OpenMPI's rank, s3rver (started by the backup tests' fixture) as the backup destination.
   Cases: a new run, a resume, an edited cfg on machine 1, a stale logs directory on machine
   1, a stale copy (and a stale launch record) in the store; TRIALS trials each (default 20).
   Every rank must read exactly rank 0's bytes and values.
3. No shared file system and no backup destination: the ranks of machine 1 fail after the
   timeout with an error that says what to do.
Prints a summary line per case; exits non-zero on any failure.
"""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

CLI, WORK, SERVERS = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
TRIALS = int(sys.argv[4]) if len(sys.argv) > 4 else 20
MPIRUN = shutil.which("mpirun")
failures = []

CFG = """[run]
name = job
seed = 7

[train]
lr = 1e-3
widths = [64 * 2 ** i for i in range(4)]
betas = (0.9, 0.999)
"""


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)
    return condition


def servers():
    env = {}
    for line in (SERVERS / "servers.env").read_text().splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    return env


def mpirun(n, script, env, timeout=120):
    """Starts `sh -c script` in n processes; each writes out.RANK / err.RANK / status.RANK."""
    command = [MPIRUN, "--allow-run-as-root", "--oversubscribe", "-n", str(n),
               "--mca", "btl", "self,tcp", "sh", "-c", script]
    result = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True,
                            timeout=timeout)
    return result


RANK_SCRIPT = (
    'r=$OMPI_COMM_WORLD_RANK; {setup} '
    '"$HP" run "$PROJECT" {args} > "$OUT/out.$r" 2> "$OUT/err.$r"; echo $? > "$OUT/status.$r"')


def outputs(out_dir, n):
    return ([(out_dir / f"out.{r}").read_text() for r in range(n)],
            [(out_dir / f"err.{r}").read_text() for r in range(n)],
            [(out_dir / f"status.{r}").read_text().strip() for r in range(n)])


def one_machine():
    project = WORK / "one"
    project.mkdir(parents=True)
    (project / "hparams.cfg").write_text(CFG)
    env = {"HP": CLI, "PROJECT": str(project)}
    for launch, args, expect_created in (("new", "", True), ("resume", "", False),
                                         ("overrides", "train.lr=0.5", False)):
        out_dir = WORK / f"one-{launch}"
        out_dir.mkdir()
        result = mpirun(8, RANK_SCRIPT.format(setup="", args=args), {**env, "OUT": str(out_dir)})
        check(result.returncode == 0, f"one machine, {launch}: mpirun failed: {result.stderr}")
        outs, errs, statuses = outputs(out_dir, 8)
        check(statuses == ["0"] * 8, f"one machine, {launch}: statuses {statuses} {errs}")
        check(len(set(outs)) == 1, f"one machine, {launch}: ranks printed different values")
        creators = sum("No existing config found." in e for e in errs)
        check(creators == (1 if expect_created else 0), f"one machine, {launch}: {creators} creators")
        # Only rank 0 prints the run's messages.
        check(all(e == "" for e in errs[1:]), f"one machine, {launch}: ranks > 0 printed {errs[1:]}")
        check(("Found existing" in errs[0]) != expect_created, f"one machine, {launch}: {errs[0]}")
        if args:
            check("train.lr = 0.5" in outs[0], f"one machine, overrides: {outs[0]}")
    check((project / "logs-job" / "hparams-job.cfg").read_text() == CFG, "one machine: saved copy")
    print("[ launch ] one machine, mpirun -n 8: new run, resume and override launches: one "
          "creator, identical values on 8 ranks, only rank 0 prints")


# LEADER_DELAY holds rank 0 back, so that the other ranks meet the stale state first.
TWO_MACHINES = (
    'r=$OMPI_COMM_WORLD_RANK; export RANK=$r WORLD_SIZE=8 NODE_RANK=$((r / 4)) '
    'LOCAL_RANK=$((r % 4)); if [ $r = 0 ]; then sleep $LEADER_DELAY; fi; '
    'cd "$WORK/machine$NODE_RANK" && '
    '"$HP" run . {args} > "$OUT/out.$r" 2> "$OUT/err.$r"; echo $? > "$OUT/status.$r"')


def two_machines():
    env_servers = servers()
    s3 = {"AWS_ACCESS_KEY_ID": "S3RVER", "AWS_SECRET_ACCESS_KEY": "S3RVER",
          "AWS_ENDPOINT_URL": f"http://127.0.0.1:{env_servers['S3_PORT']}",
          "AWS_DEFAULT_REGION": "us-east-1"}
    counts = {}

    def launch(case, trial, prepare, backup=True, timeout_seconds=120, leader_delay=0):
        base = WORK / f"{case}-{trial}"
        out_dir = base / "out"
        if not base.exists():
            for m in (0, 1):
                (base / f"machine{m}").mkdir(parents=True)
                (base / f"machine{m}" / "hparams.cfg").write_text(CFG)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        out_dir.mkdir(parents=True)
        uri = f"s3://hparams-test/launch-{os.getpid()}-{case}-{trial}"
        prepare(base, uri)
        args = f"--backup {uri} --rank-timeout {timeout_seconds}" if backup else \
            f"--rank-timeout {timeout_seconds}"
        result = mpirun(8, TWO_MACHINES.format(args=args),
                        {**s3, "HP": CLI, "WORK": str(base), "OUT": str(out_dir),
                         "LEADER_DELAY": str(leader_delay)},
                        timeout=timeout_seconds + 120)
        return base, result, outputs(out_dir, 8)

    def agree(case, trial, base, outs, errs, statuses):
        ok = check(statuses == ["0"] * 8, f"{case} {trial}: statuses {statuses}: "
                                          f"{[e for e in errs if e][:2]}")
        ok &= check(len(set(outs)) == 1, f"{case} {trial}: ranks read different values")
        copies = {(base / f"machine{m}" / "logs-job" / "hparams-job.cfg").read_bytes()
                  for m in (0, 1)}
        ok &= check(len(copies) == 1, f"{case} {trial}: the machines hold different copies")
        counts[case] = counts.get(case, 0) + (1 if ok else 0)
        return ok

    def nothing(base, uri):
        pass

    # The store holds another copy under this run (and its launch record), from an earlier
    # launch elsewhere; rank 0 resumes from its own local copy.
    def stale_store(base, uri):
        stale = CFG.replace("lr = 1e-3", "lr = 9.0")
        (base / "stale" / "logs-job").mkdir(parents=True, exist_ok=True)
        (base / "stale" / "hparams.cfg").write_text(stale)
        (base / "stale" / "logs-job" / "hparams-job.cfg").write_text(stale)
        result = subprocess.run([CLI, "run", str(base / "stale"), "--backup", uri],
                                env={**os.environ, **s3, "RANK": "0",
                                     "HPARAMS_LAUNCH_ID": "earlier"},
                                capture_output=True, text=True, check=False)
        check(result.returncode == 0 and "train.lr = 9.0" in result.stdout,
              f"stale store: could not plant the stale copy: {result.stderr}")

    for trial in range(TRIALS):
        # A new run: machine 0's rank 0 creates, machine 1 receives through the store.
        base, result, (outs, errs, statuses) = launch("new", trial, nothing)
        if agree("new", trial, base, outs, errs, statuses):
            check(sum("No existing config found." in e for e in errs) == 1, f"new {trial}: creators")
        # A resume: machine 1's local copy is last launch's: it must wait for this launch's.
        base, result, (outs, errs, statuses) = launch("new", trial, nothing, leader_delay=1)
        agree("resume", trial, base, outs, errs, statuses)
        # An edited cfg on machine 1 changes nothing.
        def edited(base, uri):
            (base / "machine1" / "hparams.cfg").write_text(CFG.replace("lr = 1e-3", "lr = 5.0"))
        base, result, (outs, errs, statuses) = launch("new", trial, edited)
        if agree("edited cfg on machine 1", trial, base, outs, errs, statuses):
            check("train.lr = 0.001" in outs[4], f"edited {trial}: machine 1 used its cfg")
        # A stale logs directory on machine 1 (another copy, an old launch record).
        def stale_logs(base, uri):
            logs = base / "machine1" / "logs-job"
            logs.mkdir(exist_ok=True)
            (logs / "hparams-job.cfg").write_text(CFG.replace("lr = 1e-3", "lr = 7.0"))
            (logs / ".hparams-launch").write_text(
                "hparams-launch 1\nrun job\nlaunch ompi:0\nsha256 " + "0" * 64 +
                "\nsize 1\nwritten 0\n")
        base, result, (outs, errs, statuses) = launch("new", trial, stale_logs, leader_delay=1)
        if agree("stale logs on machine 1", trial, base, outs, errs, statuses):
            check("train.lr = 0.001" in outs[4], f"stale logs {trial}: machine 1 used its copy")
        # A stale copy in the store before a new run on machine 0.
        base, result, (outs, errs, statuses) = launch("new", trial, stale_store, leader_delay=1)
        if agree("stale copy in the store", trial, base, outs, errs, statuses):
            check("train.lr = 0.001" in outs[4], f"stale store {trial}: machine 1 used it")
    for case in ("new", "resume", "edited cfg on machine 1", "stale logs on machine 1",
                 "stale copy in the store"):
        print(f"[ launch ] two machines x 4 ranks, {case}: {counts.get(case, 0)}/{TRIALS} "
              f"trials with identical bytes and values on all 8 ranks")

    # No shared file system and no backup destination: machine 1 waits, then fails clearly.
    base, result, (outs, errs, statuses) = launch("no-store", 0, nothing, backup=False,
                                                  timeout_seconds=2)
    check(statuses[:4] == ["0"] * 4, f"no store: machine 0 statuses {statuses[:4]}")
    check(statuses[4:] == ["5"] * 4, f"no store: machine 1 statuses {statuses[4:]}")
    check("no backup destination is configured" in errs[5], f"no store: {errs[5]}")
    print("[ launch ] two machines without a shared file system or a backup destination: "
          f"machine 1's ranks exit {statuses[4:]} after the timeout: {errs[5].strip()[:160]}...")


def main():
    if MPIRUN is None:
        print("mpirun is not installed (Debian: openmpi-bin)", file=sys.stderr)
        return 1
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    start = time.time()
    one_machine()
    two_machines()
    print(f"[ launch ] {len(failures)} failures in {time.time() - start:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
