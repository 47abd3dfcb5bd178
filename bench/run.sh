#!/usr/bin/env bash
# The bench in one command: bench/run.sh [quick|full|USERS[,GROUPS[,BIG_GROUP]]]
# Starts PostgreSQL 15 (the machine's binaries, as the unprivileged user postgres), loads the data
# set through the server's store layer, starts the packaged server against it and runs every
# scenario with its floors; prints one table and appends it to bench/RESULTS.md.
set -euo pipefail

MODE="${1:-quick}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
WORK="${BENCH_WORK:-/tmp/scim-bench-${MODE//,/-}}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_PORT="${BENCH_PG_PORT:-55432}"
PG_DATA="$WORK/pg"
DB_USER=scim
DB_PASS=bench
DB_NAME=scim
JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$DB_NAME"
JAR="$ROOT/target-bench/scim-server.jar"
RESULTS="$HERE/RESULTS.md"
case "$MODE" in
  full) TIME_BOUND="${BENCH_TIMEOUT:-6600}" ;;
  *) TIME_BOUND="${BENCH_TIMEOUT:-2400}" ;;
esac

log() { printf 'bench: %s\n' "$*"; }
# BENCH_NICE=-10 gives the bench (PostgreSQL, server, driver) priority over other work on the machine.
NICE="${BENCH_NICE:-0}"
as_postgres() { nice -n "$NICE" runuser -u postgres -- "$@"; }

mkdir -p "$WORK"
chmod 755 "$WORK"

# The load generator's cross-check (wrk) and the PostgreSQL binaries.
if ! command -v wrk >/dev/null; then
  log "installing wrk from Debian"
  (apt-get update -qq && apt-get install -y -qq wrk) >"$WORK/apt.log" 2>&1 || log "wrk not installed (see $WORK/apt.log); the cross-check is skipped"
fi
if [ ! -x "$PG_BIN/postgres" ]; then
  log "installing PostgreSQL 15 from Debian"
  (apt-get update -qq && apt-get install -y -qq postgresql-15) >>"$WORK/apt.log" 2>&1
fi
id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/false postgres

# The packaged server, built in its own directory (others build in target/ at the same time).
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$JAR" ]; then
  log "building $JAR"
  (cd "$ROOT" && ./mvnw -q -o -Dscim.buildDir=target-bench -DskipTests package)
  # The source the jar was built from: HEAD, and +dirty when src or pom.xml had changes not committed.
  (cd "$ROOT" && echo "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml && [ -z "$(git ls-files --others --exclude-standard src)" ] || echo '+dirty')") >"$ROOT/target-bench/bench-commit"
fi
rm -rf "$WORK/classes"
javac -nowarn -encoding UTF-8 -cp "$JAR" -d "$WORK/classes" "$HERE"/src/*.java
CP="$WORK/classes:$JAR"

# PostgreSQL 15 on loopback, owned by postgres.
if [ "${BENCH_FRESH:-0}" = 1 ]; then
  [ -f "$PG_DATA/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop || true
  rm -rf "$PG_DATA"
fi
if [ ! -f "$PG_DATA/PG_VERSION" ]; then
  log "initdb $PG_DATA"
  mkdir -p "$PG_DATA" && chown postgres:postgres "$PG_DATA" && chmod 700 "$PG_DATA"
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log"
  cat >>"$PG_DATA/postgresql.conf" <<CONF
# bench: loopback only, sized for a 24 GiB machine shared with the server and the load generator
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DATA'
max_connections = 200
shared_buffers = 2GB
effective_cache_size = 8GB
work_mem = 16MB
maintenance_work_mem = 1GB
max_wal_size = 16GB
checkpoint_timeout = 30min
shared_preload_libraries = 'pg_stat_statements'
# plans of slow statements go to pg.log: the profile of a miss on the database side
session_preload_libraries = 'auto_explain'
auto_explain.log_min_duration = '200ms'
CONF
fi
: >"$WORK/pg.log" && chown postgres "$WORK/pg.log"
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/pg.log" -w -t 60 start >/dev/null
stop_pg() { as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true; }
trap stop_pg EXIT
PSQL=("$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1)
PG_VERSION="$("${PSQL[@]}" -At -c 'SHOW server_version' | cut -d' ' -f1)"
log "PostgreSQL $PG_VERSION on 127.0.0.1:$PG_PORT ($PG_DATA)"

# The data set, loaded once per cluster and mode through the server's own store layer.
if [ ! -f "$PG_DATA/bench-loaded-$MODE" ]; then
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB_NAME" -c "DROP ROLE IF EXISTS $DB_USER" \
    -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASS'" -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
  "${PSQL[@]}" -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
  log "loading the $MODE data set"
  timeout "$TIME_BOUND" nice -n "$NICE" java -Xmx4g -cp "$CP" Loader "$JDBC_URL" "$DB_USER" \
    "$DB_PASS" "$MODE" "${BENCH_LOAD_THREADS:-6}" > >(tee "$WORK/load.log") 2>"$WORK/load.err" \
    || { log "loading failed: see $WORK/load.err"; tail -20 "$WORK/load.err"; exit 1; }
  "${PSQL[@]}" -c "CHECKPOINT"
  touch "$PG_DATA/bench-loaded-$MODE"
else
  log "data set already loaded in $PG_DATA (BENCH_FRESH=1 reloads)"
fi

# The floors' connections turn our triggers off (session_replication_role, Settings.connectFloor):
# granted on every run, as a cluster loaded before the grant lacks it.
"${PSQL[@]}" -d "$DB_NAME" -c "GRANT SET ON PARAMETER session_replication_role TO $DB_USER"
# The index pages count their plans with track_planning on (DatabaseCounters): off again here, should
# a run have stopped before it turned it off.
"${PSQL[@]}" -c "ALTER SYSTEM RESET pg_stat_statements.track_planning" -c "SELECT pg_reload_conf()" >/dev/null \
  || log "pg_stat_statements is not loaded in this cluster: the index pages' plan count will be missing"

# The run: server, scenarios, floors, table.
COMMIT="$(cat "$ROOT/target-bench/bench-commit" 2>/dev/null || echo unknown)"
log "running the scenarios (commit $COMMIT); table follows"
BENCH_PG_VERSION="$PG_VERSION" WRK_SCRIPTS="$HERE/wrk" timeout "$TIME_BOUND" \
  nice -n "$NICE" java -Xmx4g -cp "$CP" Bench "$JAR" "$JDBC_URL" "$DB_USER" "$DB_PASS" "$MODE" "$WORK" "$RESULTS" "$COMMIT"
