#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: `tests/with_postgres.sh CMD ARGS...`.
#
# The server is a fresh cluster in a temporary folder, listening on 127.0.0.1 only, on a
# free port, with trust authentication (loopback and its own socket folder only). It runs
# as the `postgres` system user when this script runs as root (PostgreSQL refuses root),
# else as the current user. The command sees SEGMENTS_PG_HOST, SEGMENTS_PG_PORT,
# SEGMENTS_PG_USER and SEGMENTS_PG_DBNAME, and SEGMENTS_PG_TEST=1 so that the PostgreSQL
# tests fail instead of skipping when the server is unusable. The server and its folder
# are removed on exit, whatever the command's outcome.
#
# Needs Debian's `postgresql` package; as root it is installed when missing.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

pg_bin_dir() {
    # The newest server installed by Debian's packages (e.g. /usr/lib/postgresql/15/bin).
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

if [ -z "$(pg_bin_dir)" ] || [ ! -x "$(pg_bin_dir)/initdb" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: PostgreSQL is not installed; run: sudo apt-get install -y postgresql" >&2
        exit 1
    fi
    echo "Installing PostgreSQL (Debian package postgresql)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
BIN="$(pg_bin_dir)"

if [ "$(id -u)" -eq 0 ]; then
    run_as_server_user() { runuser -u postgres -- "$@"; }
else
    run_as_server_user() { "$@"; }
fi

PORT="$("${PYTHON:-python3}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
ROOT="$(mktemp -d "${TMPDIR:-/tmp}/segments-pg.XXXXXX")"
DATA="$ROOT/data"
LOG="$ROOT/server.log"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$ROOT"
fi

stop_server() {
    status=$?
    if [ -f "$DATA/postmaster.pid" ]; then
        run_as_server_user "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ "$status" -ne 0 ] && [ -f "$LOG" ]; then
        echo "--- PostgreSQL server log (last lines) ---" >&2
        tail -n 20 "$LOG" >&2 || true
    fi
    rm -rf "$ROOT"
    exit "$status"
}
trap stop_server EXIT
trap 'exit 130' INT TERM

run_as_server_user "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=trust >/dev/null
run_as_server_user "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$ROOT -c fsync=off" \
    start >/dev/null
run_as_server_user "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres segments
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (data: $DATA)"

export SEGMENTS_PG_HOST=127.0.0.1
export SEGMENTS_PG_PORT="$PORT"
export SEGMENTS_PG_USER=postgres
export SEGMENTS_PG_PASSWORD=
export SEGMENTS_PG_DBNAME=segments
export SEGMENTS_PG_TEST=1
"$@"
