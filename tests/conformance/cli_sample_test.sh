#!/usr/bin/env bash
# Every 7th case of cases.tsv through the `hparams eval` command line: stdout must be the
# expected repr (exit 0), or for `!Kind` the exit status 1 and `error: Kind:` on stderr.
set -u
cli="$1"
cases="$2"
pass=0
fail=0
n=0
while IFS=$'\t' read -r expr expected; do
  case "$expr" in '#'*|'') continue ;; esac
  n=$((n + 1))
  [ $((n % 7)) -eq 0 ] || continue
  out=$("$cli" eval -- "$expr" 2>/tmp/cli_err.$$)
  status=$?
  if [ "${expected:0:1}" = "!" ]; then
    if [ $status -eq 1 ] && grep -q "^error: ${expected:1}:" /tmp/cli_err.$$; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1)); echo "FAIL: $expr: expected $expected, status $status"
    fi
  elif [ $status -eq 0 ] && [ "$out" = "$expected" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL: $expr: expected $expected, got $out (status $status)"
  fi
done < "$cases"
rm -f /tmp/cli_err.$$
# The deep inputs are larger than a command line: standard input.
printf '1+1+1' | "$cli" eval - | grep -qx 3 && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: stdin"; }
echo "cli sample: $pass passed, $fail failed"
[ $fail -eq 0 ]
