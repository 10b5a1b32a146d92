#!/usr/bin/env bash
# Whole-process startup, side by side (hyperfine): `hparams --version`, `hparams check` of the
# 88-key VDVAE config, and an inih program reading the same file. Prints the ratios the issue
# tracker asks for. Usage: bench/startup.sh BUILD_DIR (a Release build with the benchmarks).
set -euo pipefail
build="$1"
here="$(cd "$(dirname "$0")" && pwd)"
cfg="$here/../tests/conformance/configs/real-vdvae-efficient_vdvae_torch_hparams.cfg"
cli="$build/cli/hparams" inih="$build/bench/inih_check"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "shared libraries loaded: hparams $(ldd "$cli" | wc -l), inih_check $(ldd "$inih" | wc -l)"
hyperfine -N --warmup 50 --runs 500 --export-json "$out/startup.json" \
  "$cli --version" "$cli check $cfg" "$inih $cfg" >&2
python3 - "$out/startup.json" <<'PY'
import json, sys
version, check, inih = json.load(open(sys.argv[1]))["results"]  # in the order run
ms = lambda x: f'{x["mean"] * 1e3:.2f} ms (median {x["median"] * 1e3:.2f}, sd {x["stddev"] * 1e3:.2f})'
print(f"hparams --version:        {ms(version)}   target <= 3 ms")
print(f"hparams check VDVAE:      {ms(check)}")
print(f"inih_check VDVAE:         {ms(inih)}")
print(f"check / inih (whole process): {check['mean'] / inih['mean']:.2f}x   target <= 2x")
PY
