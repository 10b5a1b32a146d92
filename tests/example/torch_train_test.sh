#!/usr/bin/env bash
# The libtorch example: a new run stopped after epoch 4 with a checkpoint, resumed to the
# end; an uninterrupted run gives the same progress lines (torch::save/torch::load restore
# the model and Adam's state); the cfg's tuple and list of tuples reach the optimizer.
#   torch_train_test.sh TORCH_TRAIN EXAMPLE_DIR WORK_DIR
set -uo pipefail
train=$1
example=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
cp "$example/hparams.cfg" "$work/hparams.cfg"
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
"$train" "$work" run.name=whole run.epochs=8 > "$work/whole.out" 2>&1 || fail "run failed: $(tail -3 "$work/whole.out")"
grep -q "No existing config found." "$work/whole.out" || fail "no new-run message"
[ "$(grep -c '^epoch ' "$work/whole.out")" = 8 ] || fail "not 8 epochs: $(cat "$work/whole.out")"
"$train" "$work" run.name=parts run.epochs=8 --stop-after 4 > "$work/first.out" 2>&1 || fail "first part failed"
grep -q "Stopped after epoch 4 with a checkpoint" "$work/first.out" || fail "did not stop: $(cat "$work/first.out")"
"$train" "$work" run.name=parts > "$work/second.out" 2>&1 || fail "second part failed: $(tail -3 "$work/second.out")"
grep -q "Found existing" "$work/second.out" || fail "no resume message"
grep -q "Resuming from checkpoint-epoch-0004.pt (epoch 4 of 8)" "$work/second.out" || fail "did not resume: $(cat "$work/second.out")"
diff <(grep '^epoch ' "$work/whole.out") <(grep -h '^epoch ' "$work/first.out" "$work/second.out") > "$work/diff" ||
  fail "the resumed run's epochs differ from the uninterrupted run's: $(head -6 "$work/diff")"
# A bad tuple in the cfg is named with its place.
"$train" "$work" run.name=bad "optimizer.betas=(0.9, 'x')" > "$work/bad.out" 2>&1 && fail "a bad betas was accepted"
grep -q "optimizer.betas" "$work/bad.out" || fail "the error does not name optimizer.betas: $(cat "$work/bad.out")"
echo "libtorch example: $(tail -1 "$work/whole.out"); stopped after epoch 4 and resumed to the same 8 epochs; $failures failures"
[ "$failures" -eq 0 ]
