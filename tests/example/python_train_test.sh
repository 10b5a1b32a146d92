#!/usr/bin/env bash
# The PyTorch example (examples/python/train.py) under mpirun with 4 processes (DDP over
# gloo): an uninterrupted run; a run killed with SIGKILL (every process) after a checkpoint
# and launched again, which resumes from the saved config and the last checkpoint and ends
# with exactly the uninterrupted run's metrics; only rank 0 prints.
#   python_train_test.sh PYTHON WORK_DIR
set -uo pipefail
python=$1
work=$2
here="$(cd "$(dirname "$0")/../.." && pwd)"
[ -x "$python" ] || { echo "no Python with the package at $python (make python): skipped"; exit 77; }
command -v mpirun >/dev/null || { echo "mpirun is not installed (openmpi-bin): skipped"; exit 77; }
"$python" -c "import torch" 2>/dev/null || { echo "python3-torch is not installed: skipped"; exit 77; }
rm -rf "$work"
mkdir -p "$work"
cp "$here/examples/python/hparams.cfg" "$work/hparams.cfg"
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
port=$((29600 + RANDOM % 300))

# launch NAME OUTPUT_DIR [ARGS...]: 4 processes, one output directory per rank.
launch() {
  local name=$1 out=$2
  shift 2
  mpirun --allow-run-as-root --oversubscribe -n 4 --mca btl self,tcp -x MASTER_PORT=$port \
    --output-filename "$out" "$python" "$here/examples/python/train.py" "$work" \
    run.name="$name" run.epochs=10 "$@"
}
stdout_of() { cat "$1"/1/rank.$2/stdout 2>/dev/null; }

launch whole "$work/out-whole" > "$work/whole.log" 2>&1 || fail "uninterrupted run failed: $(tail -5 "$work/whole.log")"
grep -q "No existing config found." "$work/out-whole/1/rank.0/stdout" || fail "no new-run message"
[ "$(grep -c '^epoch ' "$work/out-whole/1/rank.0/stdout")" = 10 ] || fail "rank 0 did not print 10 epochs"
for r in 1 2 3; do
  [ -z "$(stdout_of "$work/out-whole" $r)" ] || fail "rank $r printed: $(stdout_of "$work/out-whole" $r | head -2)"
done
accuracy=$(tail -1 "$work/logs-whole/metrics.csv" | cut -d, -f4)
"$python" -c "import sys; sys.exit(0 if float('$accuracy') >= 0.85 else 1)" ||
  fail "validation accuracy $accuracy < 0.85"

# Killed with SIGKILL (mpirun and every rank) once checkpoint 4 exists, then launched again.
setsid bash -c "$(declare -f launch); python=$python work=$work here=$here port=$port launch killed '$work/out-killed'" \
  > "$work/killed.log" 2>&1 &
leader=$!
for _ in $(seq 1 600); do
  [ -f "$work/logs-killed/checkpoint-epoch-0004.pt" ] && break
  sleep 0.1
done
[ -f "$work/logs-killed/checkpoint-epoch-0004.pt" ] || fail "no checkpoint 4 before the kill"
kill -9 -- -"$leader" 2>/dev/null
wait "$leader" 2>/dev/null
sleep 0.5
killed_at=$(ls "$work/logs-killed" | grep -c '^checkpoint-epoch-.*\.pt$')
launch killed "$work/out-resumed" > "$work/resumed.log" 2>&1 || fail "resumed run failed: $(tail -5 "$work/resumed.log")"
resumed=$(stdout_of "$work/out-resumed" 0)
grep -q "Found existing" <<<"$resumed" || fail "no resume message: $resumed"
grep -q "Resuming from checkpoint-epoch-" <<<"$resumed" || fail "did not resume from a checkpoint: $resumed"
cmp -s "$work/logs-whole/metrics.csv" "$work/logs-killed/metrics.csv" ||
  fail "metrics differ: $(diff "$work/logs-whole/metrics.csv" "$work/logs-killed/metrics.csv" | head -6)"
for r in 1 2 3; do
  [ -z "$(stdout_of "$work/out-resumed" $r)" ] || fail "rank $r printed on resume"
done

echo "python example: uninterrupted run reached validation accuracy $accuracy; killed with" \
  "SIGKILL after $killed_at checkpoints, resumed: $(grep -o 'Resuming from [^ ]*' <<<"$resumed")," \
  "metrics.csv identical to the uninterrupted run's; $failures failures"
[ "$failures" -eq 0 ]
