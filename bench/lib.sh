# Shared plumbing of the benchmark scripts (run.sh, population.sh, hhs.sh): messages, the
# build-and-install step and the throwaway cluster. Source it after setting
#   BENCH       the script's name, for messages and file names ("run", "population", "hhs")
#   SKIP_BUILD, KEEP, PORT, SHARED_BUFFERS, WORK_MEM
# and call bench_build, then bench_cluster "<extra server options>"; run_explain and the jq/awk
# helpers below read the timings. bench_cluster defines pg,
# q and qt, exports PGHOST etc., sets T (the cluster's directory) and installs an EXIT trap that
# stops and removes the cluster (unless KEEP=1), calling bench_on_exit first if the script
# defines it; SERVER_OPTS keeps the server options (run.sh restarts the server with them).

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
PGBIN=$(pg_config --bindir)
T0=$(date +%s)

say() { printf '%s\n' "$*"; }
section() { printf '\n== %s\n' "$*"; }
die() { printf '%s.sh: %s\n' "$BENCH" "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (the server runs as the postgres user via runuser)"

# make && make install from this checkout, retried twice 30 s apart (someone may be mid-edit),
# then the installed extension with a warning; SKIP_BUILD=1 uses the installed one.
bench_build() {
    section "build and install"
    if [ "$SKIP_BUILD" = 1 ]; then
        say "SKIP_BUILD=1: using the installed extension"
    else
        local log="${TMPDIR:-/tmp}/hccraf-$BENCH-build.log" built=0 attempt
        for attempt in 1 2 3; do
            if make -C "$ROOT" -j2 >"$log" 2>&1 && make -C "$ROOT" install >>"$log" 2>&1; then
                built=1; break
            fi
            say "build attempt $attempt failed (someone may be mid-edit); log: $log"
            tail -5 "$log" | sed 's/^/    /'
            [ $attempt -lt 3 ] && sleep 30
        done
        if [ $built = 1 ]; then
            say "built and installed from $ROOT"
        elif [ -f "$(pg_config --pkglibdir)/hccraf.so" ]; then
            say "WARNING: build failed 3 times; measuring the extension that is already installed"
        else
            die "build failed and no installed hccraf.so"
        fi
    fi
    say "hccraf.so: $(ls -l --time-style=+%Y-%m-%dT%H:%M "$(pg_config --pkglibdir)/hccraf.so" | awk '{print $5" bytes, "$6}')"
    say "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
}

pg() { runuser -u postgres -- "$@"; }
q()  { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }      # unaligned, tuples only
qt() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }          # aligned table

bench_cleanup() {
    local rc=$?
    if declare -F bench_on_exit >/dev/null; then bench_on_exit || true; fi
    if [ "$KEEP" = 1 ]; then
        say ""
        say "KEEP=1: cluster left running. Connect: psql -h $T -p $PORT -U postgres postgres"
        say "        stop:  runuser -u postgres -- $PGBIN/pg_ctl -D $T/data -m fast -w stop && rm -rf $T"
    else
        pg "$PGBIN/pg_ctl" -D "$T/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$T"
    fi
    exit $rc
}

# A throwaway cluster (initdb + pg_ctl as postgres, unix socket in its own mktemp directory, no
# TCP, jit off, hccraf preloaded, fsync and autovacuum off) with hccraf and pg_prewarm created.
# $1: more server options.
bench_cluster() {
    section "throwaway cluster"
    T=$(mktemp -d "/tmp/hccraf-$BENCH.XXXXXX")
    chown postgres: "$T"
    chmod 700 "$T"
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
    SERVER_OPTS="-p $PORT -k $T -c listen_addresses='' -c jit=off -c shared_preload_libraries=hccraf \
-c shared_buffers=$SHARED_BUFFERS -c work_mem=$WORK_MEM -c maintenance_work_mem=512MB \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal -c max_wal_senders=0 \
-c checkpoint_timeout=1h -c autovacuum=off $1"
    pg "$PGBIN/initdb" -D "$T/data" -A trust -U postgres --no-sync --locale=C.UTF-8 >"$T/initdb.log" 2>&1 || { cat "$T/initdb.log"; die "initdb failed"; }
    pg "$PGBIN/pg_ctl" -D "$T/data" -l "$T/log" -w -o "$SERVER_OPTS" start >/dev/null || { cat "$T/log"; die "pg_ctl start failed"; }
    say "cluster $T/data, port $PORT, shared_buffers=$SHARED_BUFFERS, work_mem=$WORK_MEM, jit=off, autovacuum=off, fsync=off${1:+, $1}"
    export PGHOST=$T PGPORT=$PORT PGUSER=postgres PGDATABASE=postgres
    q -c "CREATE EXTENSION hccraf" -c "CREATE EXTENSION pg_prewarm"
    say "hccraf $(q -c "SELECT extversion FROM pg_extension WHERE extname = 'hccraf'") on $(q -c 'SHOW server_version'), $(nproc) CPUs"
}

# Timing: the "Execution Time" of EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON), all runs of a
# variant in one session.
# run_explain SETTINGS COUNT QUERY: one session, SETTINGS (SQL), then COUNT x EXPLAIN ANALYZE;
# prints the JSON plans
run_explain() {
    local settings=$1 count=$2 query=$3 i
    {
        echo "$settings"
        for ((i = 0; i < count; i++)); do
            echo "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) $query;"
        done
    } | q
}
exec_times() { jq -r '.[0]["Execution Time"]'; }
workers_launched() { jq -r '[.. | objects | select(has("Workers Launched")) | .["Workers Launched"]] | if length == 0 then "0 (no Gather)" else map(tostring) | join(",") end'; }
plan_shape() { jq -rs '.[0][0].Plan | [.. | objects | select(has("Node Type")) | .["Node Type"]] | join(" -> ")'; }
median() { sort -g | awk '{v[NR] = $1} END {if (NR == 0) {print ""} else if (NR % 2) {print v[(NR + 1) / 2]} else {print (v[NR / 2] + v[NR / 2 + 1]) / 2}}'; }
fmt_list() { awk '{printf "%s%.1f", (NR > 1 ? " " : ""), $1} END {print ""}'; }
