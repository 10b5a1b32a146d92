#!/usr/bin/env bash
# Packaging test, as a user installs and consumes the library:
#  - a static and a shared build, each installed with `cmake --install --prefix` somewhere other
#    than the configured prefix, then moved: find_package (core, and COMPONENTS backup) and
#    pkg-config (static and shared) consumers still build and run from the moved tree;
#  - the shared library: SONAME MAJOR.MINOR, hidden symbols, no network library in the core;
#  - the installed package files name no build or configure-time path and no nlohmann_json;
#  - an add_subdirectory consumer.
set -euo pipefail
src="$1"; work="$2"; cmake="${3:-cmake}"
here="$(cd "$(dirname "$0")" && pwd)"
rm -rf "$work"; mkdir -p "$work"
opts=(-DCMAKE_BUILD_TYPE=Release -DHPARAMS_BUILD_TESTS=OFF -DHPARAMS_BUILD_EXAMPLES=OFF)
version=$(sed -n 's/^project(hparams VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
soversion=${version%.*}
fail() { echo "FAIL: $*" >&2; exit 1; }
# Consumers run without credentials, and never reach a helper through the environment.
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_PROFILE HPARAMS_BACKUP_HELPER
export AWS_SHARED_CREDENTIALS_FILE=/nonexistent HOME="$work"

for kind in static shared; do
  shared=OFF; [[ $kind == shared ]] && shared=ON
  build="$work/$kind-build" installed="$work/$kind-installed" moved="$work/$kind-moved"
  # Configured for one prefix, installed into another (as packagers do), then moved.
  "$cmake" -S "$src" -B "$build" "${opts[@]}" -DBUILD_SHARED_LIBS=$shared \
    -DCMAKE_INSTALL_PREFIX=/opt/configured-prefix >/dev/null
  "$cmake" --build "$build" -j 2 >/dev/null
  "$cmake" --install "$build" --prefix "$installed" >/dev/null
  mv "$installed" "$moved"
  ! grep -rl -e "$build" -e "$installed" -e /opt/configured-prefix -e nlohmann \
      "$moved"/lib*/cmake "$moved"/lib*/pkgconfig 2>/dev/null ||
    fail "$kind: installed package files name a build path, the configured prefix or nlohmann"

  # find_package, core only: the s3:// store goes through the installed helper (found beside
  # the shared library in the moved tree; for the static library the configured prefix is all
  # it knows, so that check is the shared build's).
  "$cmake" -S "$here/find_package" -B "$work/$kind-fp" -DCMAKE_PREFIX_PATH="$moved" >/dev/null
  "$cmake" --build "$work/$kind-fp" >/dev/null
  "$work/$kind-fp/consumer"
  [[ $kind == shared ]] && "$work/$kind-fp/consumer" s3
  echo "$kind find_package consumer: ok"

  # find_package with the backup component: s3:// in-process (no helper reachable).
  "$cmake" -S "$here/backup" -B "$work/$kind-backup" -DCMAKE_PREFIX_PATH="$moved" >/dev/null
  "$cmake" --build "$work/$kind-backup" >/dev/null
  HPARAMS_BACKUP_HELPER=/nonexistent "$work/$kind-backup/consumer"
  echo "$kind find_package COMPONENTS backup consumer: ok"

  # pkg-config from the moved tree: the plain link for either kind, --static for the static one.
  pcdir=$(dirname "$(find "$moved" -name hparams.pc | head -1)")
  export PKG_CONFIG_PATH="$pcdir"
  [[ $(pkg-config --variable=prefix hparams) -ef $moved ]] || fail "$kind: hparams.pc prefix"
  libdir=$(pkg-config --variable=libdir hparams)
  # shellcheck disable=SC2046
  g++ "$here/main.cpp" $(pkg-config --cflags --libs hparams) -Wl,-rpath,"$libdir" \
    -o "$work/$kind-pc"
  "$work/$kind-pc"
  # shellcheck disable=SC2046
  g++ "$here/backup/main.cpp" $(pkg-config --cflags --libs hparams-backup) \
    -Wl,-rpath,"$libdir" -o "$work/$kind-pc-backup"
  HPARAMS_BACKUP_HELPER=/nonexistent "$work/$kind-pc-backup"
  if [[ $kind == static ]]; then
    # shellcheck disable=SC2046
    g++ "$here/main.cpp" $(pkg-config --static --cflags --libs hparams) -o "$work/static-pc-s"
    "$work/static-pc-s"
  fi
  unset PKG_CONFIG_PATH
  echo "$kind pkg-config consumers: ok"

  # The installed CLI finds the installed helper in the moved tree.
  [[ $("$moved/bin/hparams" --version) == *"$version"* ]] || fail "$kind: hparams --version"
  mkdir -p "$work/$kind-run/logs-r" && printf '[run]\nname = r\n' > "$work/$kind-run/logs-r/hparams-r.cfg"
  out=$("$moved/bin/hparams" backup "$work/$kind-run/logs-r" s3://bucket/p 2>&1) && fail "backup without credentials"
  [[ $out == *"no AWS credentials"* ]] || fail "$kind: the CLI did not reach the helper: $out"
  echo "$kind installed CLI and helper: ok"

  if [[ $kind == shared ]]; then
    lib="$libdir/libhparams.so"
    soname=$(readelf -d "$lib" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
    [[ $soname == "libhparams.so.$soversion" ]] || fail "SONAME $soname, not libhparams.so.$soversion"
    # The core needs no network or crypto library; the backup component does.
    ! readelf -d "$lib" | grep -E "NEEDED.*(curl|ssl|crypto)" || fail "the core links a network library"
    readelf -d "$libdir/libhparams-backup.so" | grep -q "NEEDED.*curl" ||
      fail "the backup component does not link libcurl"
    # Hidden visibility: the exported symbols are the public API's (namespace hparams), not the
    # evaluator's internals.
    exported=$(nm -DC --defined-only "$lib" | wc -l)
    internal=$(nm -DC --defined-only "$lib" | grep -cE "hparams::(files::|detail::(Interpreter|Lexer|Ast|Node|Mpz|ReverseSearch|AllocationBudget))" || true)
    echo "shared: SONAME $soname, $exported exported symbols, $internal internal"
    (( internal == 0 )) || fail "internal symbols exported"
  fi
done

"$cmake" -S "$here/add_subdirectory" -B "$work/as" -DHPARAMS_SOURCE_DIR="$src" "${opts[@]}" \
  -DHPARAMS_BUILD_TOOLS=OFF -DHPARAMS_BUILD_BACKUP=OFF >/dev/null
"$cmake" --build "$work/as" -j 2 >/dev/null
"$work/as/consumer"
echo "add_subdirectory consumer: ok"
