#!/usr/bin/env bash
# A throw-away PostgreSQL for the test suite: bash .ci/postgres.sh start|stop|status|env
#
# Follows "Building blocks verified on these machines" in ENGINEERING.md: Debian's postgresql,
# initdb + pg_ctl run as the postgres user (no systemd), TCP on 127.0.0.1:54329, the socket in
# the data's own directory, fsync off. `start` is idempotent and prints the BEIAN_DB_* exports,
# so `eval "$(bash .ci/postgres.sh start)"` configures the current shell; progress goes to stderr.
set -euo pipefail

PORT="${BEIAN_PG_PORT:-54329}"
DB_NAME=beian
DB_USER=beian
DB_PASSWORD=beian

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$REPO/.ci/tmp"
ROOT_FILE="$STATE/postgres.root"   # where this checkout's cluster lives (see pick_root)

say() { echo "postgres.sh: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

find_pgbin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

ensure_installed() {
    PGBIN="$(find_pgbin)"
    if [[ -n "$PGBIN" && -x "$PGBIN/pg_ctl" ]]; then
        return
    fi
    [[ $EUID -eq 0 ]] || die "PostgreSQL is not installed; run as root or: apt-get install postgresql"
    say "installing Debian's postgresql"
    # One apt-get update per run of .ci/run (it exports BEIAN_APT_UPDATED once it has updated).
    if [[ -z "${BEIAN_APT_UPDATED:-}" ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
        export BEIAN_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >&2
    PGBIN="$(find_pgbin)"
    [[ -n "$PGBIN" && -x "$PGBIN/pg_ctl" ]] || die "postgresql installed but no pg_ctl under /usr/lib/postgresql"
}

# Run a PostgreSQL binary as the postgres user (as root) or as ourselves (not root).
# `cd /` first: runuser keeps the working directory, which postgres may not be allowed to enter.
as_pg() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

# The cluster lives in .ci/tmp/postgres, unless the postgres user cannot reach that directory
# (e.g. a clone under /root, mode 700): then in /tmp, in a directory named after this checkout.
pick_root() {
    if [[ -f "$ROOT_FILE" ]]; then
        ROOT="$(cat "$ROOT_FILE")"
        return
    fi
    mkdir -p "$STATE"
    ROOT="$STATE/postgres"
    mkdir -p "$ROOT"
    if [[ $EUID -eq 0 ]] && ! (cd / && runuser -u postgres -- test -x "$ROOT"); then
        ROOT="${TMPDIR:-/tmp}/wagtail-beian-pg-$(printf '%s' "$REPO" | md5sum | cut -c1-10)"
        say "the postgres user cannot enter $STATE; using $ROOT instead"
        mkdir -p "$ROOT"
    fi
    echo "$ROOT" >"$ROOT_FILE"
}

set_paths() {
    DATA="$ROOT/data"
    SOCK="$ROOT/sock"
    LOG="$ROOT/postgres.log"
}

is_running() {
    [[ -f "$DATA/PG_VERSION" ]] && as_pg "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

print_env() {
    cat <<EOF
export BEIAN_DB_ENGINE=postgresql
export BEIAN_DB_NAME=$DB_NAME
export BEIAN_DB_USER=$DB_USER
export BEIAN_DB_PASSWORD=$DB_PASSWORD
export BEIAN_DB_HOST=127.0.0.1
export BEIAN_DB_PORT=$PORT
EOF
}

psql_super() {
    as_pg "$PGBIN/psql" -X -q -h "$SOCK" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"
}

cmd_start() {
    ensure_installed
    pick_root
    set_paths
    mkdir -p "$ROOT"
    if [[ $EUID -eq 0 ]]; then
        chown postgres: "$ROOT"
    fi

    if [[ ! -f "$DATA/PG_VERSION" ]]; then
        rm -rf "$DATA"   # a half-made data directory from an interrupted initdb
        say "initdb $DATA"
        as_pg "$PGBIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-host=scram-sha-256 --auth-local=trust >"$ROOT/initdb.log" 2>&1 \
            || { cat "$ROOT/initdb.log" >&2; die "initdb failed"; }
    fi
    as_pg mkdir -p "$SOCK"

    if is_running; then
        say "already running on 127.0.0.1:$PORT ($DATA)"
    else
        if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 2; then
            die "another server already listens on 127.0.0.1:$PORT (another checkout's? stop it with its own .ci/postgres.sh stop)"
        fi
        say "starting on 127.0.0.1:$PORT"
        if ! as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start \
            -o "-p $PORT -k $SOCK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            >&2; then
            tail -n 30 "$LOG" >&2 || true
            die "pg_ctl start failed (log: $LOG)"
        fi
    fi

    # Role and database: create them, or reset the password if they exist.
    psql_super <<SQL
DO \$\$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    ALTER ROLE $DB_USER WITH LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  ELSE
    CREATE ROLE $DB_USER WITH LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  END IF;
END
\$\$;
SQL
    if [[ "$(psql_super -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]]; then
        psql_super -c "CREATE DATABASE $DB_NAME OWNER $DB_USER ENCODING 'UTF8' TEMPLATE template0"
    fi
    say "ready: host=127.0.0.1 port=$PORT user=$DB_USER password=$DB_PASSWORD dbname=$DB_NAME"
    print_env
}

cmd_stop() {
    PGBIN="$(find_pgbin)"
    if [[ -z "$PGBIN" || ! -f "$ROOT_FILE" ]]; then
        say "not running (no cluster for this checkout)"
        return 0
    fi
    pick_root
    set_paths
    if is_running; then
        as_pg "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
    else
        say "not running"
    fi
}

cmd_status() {
    PGBIN="$(find_pgbin)"
    if [[ -n "$PGBIN" && -f "$ROOT_FILE" ]]; then
        pick_root
        set_paths
        if is_running; then
            say "running on 127.0.0.1:$PORT ($DATA)"
            return 0
        fi
    fi
    say "not running"
    return 3
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) print_env ;;
    *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
