#!/usr/bin/env bash
# Checks the GCS test server with Google's own clients, so that it is known to behave like GCS
# for what hparams uses: `gcloud storage` (skipped with a message where the machine has no
# gcloud) and npm @google-cloud/storage. Both also read back an object that hparams uploaded.
# usage: google_clients_test.sh HPARAMS_CLI WORK
set -euo pipefail
cli=$1
work=$2
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck disable=SC1091
. "$work/servers.env"
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# hparams uploads a run's saved copy with the service-account (JWT) credentials.
mkdir -p "$tmp/logs-gclient"
printf '[run]\nname = gclient\n# comment\nlr = 3e-4\nlayers = [64] * 3\nnote = "été ✓"\n' \
  > "$tmp/logs-gclient/hparams-gclient.cfg"
HPARAMS_GCS_ENDPOINT="http://127.0.0.1:$GCS_PORT" GOOGLE_APPLICATION_CREDENTIALS="$CREDS/service-account.json" \
  "$cli" backup "$tmp/logs-gclient" gs://checked/runs > /dev/null
object=runs/gclient/hparams-gclient.cfg
local_copy="$tmp/logs-gclient/hparams-gclient.cfg"

# hparams pull brings it back into another project; an existing different copy is never replaced.
export HPARAMS_GCS_ENDPOINT="http://127.0.0.1:$GCS_PORT" GOOGLE_APPLICATION_CREDENTIALS="$CREDS/authorized-user.json"
"$cli" pull gs://checked/runs/gclient "$tmp/elsewhere" > /dev/null || fail "hparams pull"
cmp "$tmp/elsewhere/logs-gclient/hparams-gclient.cfg" "$local_copy" || fail "pulled copy differs"
"$cli" pull gs://checked/runs/gclient "$tmp/elsewhere" | grep -q "already identical" || fail "second pull"
echo "edited" >> "$tmp/elsewhere/logs-gclient/hparams-gclient.cfg"
if "$cli" pull gs://checked/runs/gclient "$tmp/elsewhere" 2> /dev/null; then fail "pull replaced a local copy"; fi
grep -q "^edited$" "$tmp/elsewhere/logs-gclient/hparams-gclient.cfg" || fail "local copy touched"
if "$cli" pull gs://checked/runs/none "$tmp/elsewhere" 2> /dev/null; then fail "pull of a missing run"; fi
unset HPARAMS_GCS_ENDPOINT GOOGLE_APPLICATION_CREDENTIALS
echo "hparams backup and pull: uploaded, pulled identical, refused to replace an edited local copy"

if command -v gcloud > /dev/null; then
  export CLOUDSDK_CONFIG="$tmp/gcloud" CLOUDSDK_CORE_PROJECT=hparams-test CLOUDSDK_CORE_DISABLE_PROMPTS=1
  export CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE="http://127.0.0.1:$GCS_PORT/"
  export CLOUDSDK_AUTH_ACCESS_TOKEN_FILE="$tmp/token"
  echo static-test-token > "$tmp/token"
  printf 'gcloud check\r\nline 2 \xc3\xa9\n' > "$tmp/g.txt"
  gcloud storage cp "$tmp/g.txt" gs://checked/gcloud/g.txt > /dev/null 2>&1 || fail "gcloud storage cp"
  gcloud storage cat gs://checked/gcloud/g.txt 2>/dev/null | cmp - "$tmp/g.txt" || fail "gcloud storage cat differs"
  md5=$(gcloud storage objects describe gs://checked/gcloud/g.txt --format='value(md5_hash)' 2>/dev/null)
  [ "$md5" = "$(openssl md5 -binary "$tmp/g.txt" | base64)" ] || fail "gcloud md5 $md5"
  gcloud storage ls gs://checked/gcloud/ 2>/dev/null | grep -q "gs://checked/gcloud/g.txt" || fail "gcloud storage ls"
  gcloud storage cat "gs://checked/$object" 2>/dev/null | cmp - "$local_copy" || fail "gcloud read of hparams' upload"
  echo "gcloud storage: cp, cat (hash-validated), objects describe (md5), ls, and hparams' upload read back identical"
else
  echo "gcloud storage: SKIPPED (no gcloud on this machine)"
fi

cd "$here"
node gcs_client_check.js "$GCS_PORT" "$CREDS/authorized-user.json" checked "$object" "$local_copy" \
  "$GCS_EMULATOR_PORT" 2> >(grep -v -e MaxListeners -e trace-warnings >&2)
