#!/usr/bin/env bash
# Runs launch_test.py when mpirun is installed (exit 77, skipped, otherwise).
command -v mpirun >/dev/null || { echo "mpirun is not installed (openmpi-bin): skipped"; exit 77; }
exec python3 "$(dirname "$0")/launch_test.py" "$@"
