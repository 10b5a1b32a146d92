#!/usr/bin/env bash
# Starts or stops the backup tests' loopback servers; ctest runs it as a fixture.
#   servers.sh start WORK   s3rver (npm @20minutes/s3rver, checks SigV4 signatures), the GCS
#                           test server with authentication, and one in emulator mode; writes
#                           WORK/servers.env (ports, PIDs, credential files)
#   servers.sh stop WORK    stops them by PID
set -euo pipefail
action=$1
work=$2
here="$(cd "$(dirname "$0")" && pwd)"

wait_for_file() {
  for _ in $(seq 1 200); do [ -s "$1" ] && return 0; sleep 0.05; done
  echo "timed out waiting for $1" >&2
  return 1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

if [ "$action" = stop ]; then
  [ -f "$work/servers.env" ] || exit 0
  # shellcheck disable=SC1091
  . "$work/servers.env"
  for pid in "$S3_PID" "$GCS_PID" "$GCS_EMULATOR_PID"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "$S3_PID" "$GCS_PID" "$GCS_EMULATOR_PID"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -f "$work/servers.env"
  echo "servers stopped"
  exit 0
fi

rm -rf "$work"
mkdir -p "$work/s3" "$work/creds"
[ -d "$here/node_modules/@20minutes/s3rver" ] || { echo "npm packages missing: run make deps-npm" >&2; exit 1; }

# A service account key for the JWT flow; the server checks signatures with its public half.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/creds/sa.pem" 2>/dev/null
openssl pkey -in "$work/creds/sa.pem" -pubout -out "$work/creds/sa.pub"

python3 "$here/gcs_server.py" --port-file "$work/gcs.port" --public-key "$work/creds/sa.pub" \
  --client "test-client.apps.example:client-secret-1:refresh-token-1" \
  --static-token static-test-token > "$work/gcs.log" 2>&1 &
gcs_pid=$!
python3 "$here/gcs_server.py" --port-file "$work/gcs-emulator.port" --emulator \
  > "$work/gcs-emulator.log" 2>&1 &
gcs_emulator_pid=$!

s3_port=$(free_port)
(cd "$here" && exec node -e "require('@20minutes/s3rver/lib/cli').parseAsync(['node', 's3rver', ...process.argv.slice(1)])" -- \
  -d "$work/s3" -a 127.0.0.1 -p "$s3_port" --silent --configure-bucket hparams-test --configure-bucket my-bucket) \
  > "$work/s3.log" 2>&1 &
s3_pid=$!

wait_for_file "$work/gcs.port"
wait_for_file "$work/gcs-emulator.port"
gcs_port=$(cat "$work/gcs.port")
for _ in $(seq 1 200); do
  grep -q "listening" "$work/s3.log" 2>/dev/null && break
  sleep 0.05
done
grep -q "listening" "$work/s3.log" || { cat "$work/s3.log" >&2; exit 1; }

python3 - "$work/creds" "$gcs_port" <<'EOF'
import json, sys
creds, port = sys.argv[1], sys.argv[2]
key = open(f"{creds}/sa.pem").read()
json.dump({"type": "service_account", "project_id": "hparams-test", "private_key_id": "k1",
           "private_key": key, "client_email": "trainer@hparams-test.iam.gserviceaccount.com",
           "client_id": "1", "token_uri": f"http://127.0.0.1:{port}/token"},
          open(f"{creds}/service-account.json", "w"))
json.dump({"type": "authorized_user", "client_id": "test-client.apps.example",
           "client_secret": "client-secret-1", "refresh_token": "refresh-token-1",
           "token_uri": f"http://127.0.0.1:{port}/token"},
          open(f"{creds}/authorized-user.json", "w"))
EOF

cat > "$work/servers.env" <<EOF
S3_PID=$s3_pid
S3_PORT=$s3_port
GCS_PID=$gcs_pid
GCS_PORT=$gcs_port
GCS_EMULATOR_PID=$gcs_emulator_pid
GCS_EMULATOR_PORT=$(cat "$work/gcs-emulator.port")
CREDS=$work/creds
EOF
echo "servers started: s3rver :$s3_port (pid $s3_pid), GCS :$gcs_port (pid $gcs_pid)," \
  "GCS emulator :$(cat "$work/gcs-emulator.port") (pid $gcs_emulator_pid)"
