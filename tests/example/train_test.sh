#!/usr/bin/env bash
# The example trainer end to end: a new run, then a resume; a run stopped after epoch 10 and
# resumed ends with exactly the metrics of an uninterrupted one; overrides reach the copy.
# usage: train_test.sh TRAIN_BINARY EXAMPLES_DIR
set -euo pipefail
train=$1
examples=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir "$work/full" "$work/split" "$work/over"
for d in full split over; do cp "$examples/hparams.cfg" "$work/$d/"; done
logs=logs-spirals-mlp

# Uninterrupted: a new run.
"$train" "$work/full" > "$work/full.out"
grep -q "^No existing config found. New run config file saved in $work/full/$logs/hparams-spirals-mlp.cfg$" "$work/full.out" \
  || fail "no new-run message"
cmp "$examples/hparams.cfg" "$work/full/$logs/hparams-spirals-mlp.cfg" || fail "saved copy differs"
accuracy=$(sed -n 's/^Done: validation accuracy \([0-9.]*\)%.*/\1/p' "$work/full.out")
[ -n "$accuracy" ] || fail "no final accuracy"
# Three noisy spirals are learnable by a 32x32 MLP; a broken network stays near 33%.
awk -v a="$accuracy" 'BEGIN { exit !(a >= 85) }' || fail "validation accuracy $accuracy% < 85%"
[ -f "$work/full/$logs/checkpoint-epoch-0040.bin" ] || fail "no final checkpoint"
[ "$(wc -l < "$work/full/$logs/metrics.csv")" -eq 41 ] || fail "metrics.csv should have 40 rows"

# Second launch: resumes from the saved config and the last checkpoint.
"$train" "$work/full" > "$work/again.out"
grep -q "^Found existing $work/full/$logs/hparams-spirals-mlp.cfg! Resuming run using primary parameters!$" "$work/again.out" \
  || fail "no resume message"
grep -q "^Resuming from checkpoint-epoch-0040.bin (epoch 40 of 40)$" "$work/again.out" || fail "no checkpoint resume"
grep -q "^Training is complete" "$work/again.out" || fail "did not report completion"

# Stopped after epoch 10 (a preempted machine), then resumed: same metrics, bit for bit.
"$train" "$work/split" --stop-after 10 > "$work/split1.out"
grep -q "^Stopped after epoch 10" "$work/split1.out" || fail "did not stop"
"$train" "$work/split" > "$work/split2.out"
grep -q "^Resuming from checkpoint-epoch-0010.bin (epoch 10 of 40)$" "$work/split2.out" || fail "no resume at 10"
cmp <(cut -d, -f1-6 "$work/full/$logs/metrics.csv") <(cut -d, -f1-6 "$work/split/$logs/metrics.csv") \
  || fail "resumed training differs from uninterrupted training"

# Overrides go into the new run's saved copy, edited in place.
"$train" "$work/over" run.name=sgd-run train.optimizer=sgd --train.learning_rate=0.05 > "$work/over.out"
saved="$work/over/logs-sgd-run/hparams-sgd-run.cfg"
grep -q "^optimizer = sgd$" "$saved" || fail "override not saved"
grep -q "^learning_rate = 0.05$" "$saved" || fail "override not saved"
[ "$(diff "$examples/hparams.cfg" "$saved" | grep -c '^>')" -eq 3 ] || fail "more than 3 lines changed"

# A bad value is reported with its place before anything runs.
mkdir "$work/bad" && sed 's/^layers = .*/layers = [32, 32/' "$examples/hparams.cfg" > "$work/bad/hparams.cfg"
if "$train" "$work/bad" > "$work/bad.out" 2> "$work/bad.err"; then fail "bad config accepted"; fi
grep -q "hparams.cfg:[0-9]*:[0-9]*: error: SyntaxError in model.layers" "$work/bad.err" || { cat "$work/bad.err"; fail "error not located"; }
[ ! -e "$work/bad/$logs" ] || fail "a bad config created a run"
echo "example trainer: ok (uninterrupted accuracy $accuracy%, resumed run identical)"
