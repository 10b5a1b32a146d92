#!/usr/bin/env bash
# Every conformance config through `hparams show` and `hparams show --raw`.
set -u
cli="$1"; dir="$2"
pass=0; fail=0
check() {  # mode file expected-file
  local mode="$1" cfg="$2" exp="$3" out status
  if [ "$mode" = raw ]; then out=$("$cli" show --raw "$cfg" 2>&1); else out=$("$cli" show "$cfg" 2>&1); fi
  status=$?
  local first; first=$(head -1 "$exp")
  if [ "${first:0:6}" = "ERROR " ]; then
    local kind key; kind=$(echo "$first" | awk '{print $2}'); key=$(echo "$first" | awk '{print $3}')
    if [ $status -ne 0 ] && grep -q "$kind" <<<"$out" && { [ -z "$key" ] || grep -qF " in ${key}: " <<<"$out"; }; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1)); echo "FAIL $mode $cfg: expected $first"
    fi
  elif [ $status -eq 0 ] && diff <(sort <<<"$out") <(sort "$exp") >/dev/null; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL $mode $cfg"
  fi
}
for cfg in "$dir"/*.cfg; do
  check show "$cfg" "${cfg%.cfg}.expected"
  check raw "$cfg" "${cfg%.cfg}.raw"
done
echo "cli show: $pass passed, $fail failed"
[ $fail -eq 0 ]
