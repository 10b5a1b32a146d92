#!/usr/bin/env bash
# Packaging test: install the library, then build and run a consumer through find_package,
# one through add_subdirectory, and one through pkg-config.
set -euo pipefail
src="$1"; work="$2"; cmake="${3:-cmake}"
here="$(cd "$(dirname "$0")" && pwd)"
rm -rf "$work"; mkdir -p "$work"
opts=(-DCMAKE_BUILD_TYPE=Release -DHPARAMS_BUILD_TESTS=OFF -DHPARAMS_BUILD_EXAMPLES=OFF)

"$cmake" -S "$src" -B "$work/lib" "${opts[@]}" -DHPARAMS_BUILD_TOOLS=OFF \
  -DCMAKE_INSTALL_PREFIX="$work/prefix" >/dev/null
"$cmake" --build "$work/lib" -j 2 >/dev/null
"$cmake" --install "$work/lib" >/dev/null

"$cmake" -S "$here/find_package" -B "$work/fp" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
"$cmake" --build "$work/fp" >/dev/null
"$work/fp/consumer"
echo "find_package consumer: ok"

"$cmake" -S "$here/add_subdirectory" -B "$work/as" -DHPARAMS_SOURCE_DIR="$src" "${opts[@]}" \
  -DHPARAMS_BUILD_TOOLS=OFF >/dev/null
"$cmake" --build "$work/as" -j 2 >/dev/null
"$work/as/consumer"
echo "add_subdirectory consumer: ok"

pcdir=$(dirname "$(find "$work/prefix" -name hparams.pc | head -1)")
flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --static --cflags --libs hparams)
# shellcheck disable=SC2086
c++ -std=c++20 "$here/main.cpp" $flags -o "$work/pc-consumer"
"$work/pc-consumer"
echo "pkg-config consumer: ok"
