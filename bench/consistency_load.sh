#!/usr/bin/env bash
# Load test of "one statement, one state": pgbench clients score ranges of a panel while another
# session switches the reference data between two states in a loop, committing each switch.
# Every scoring statement logs its answer; afterwards each answer is compared with the two
# valid ones (the range's total under state A and under state B, computed before the run).
#
#     bench/consistency_load.sh                 # 16 clients, 300 s, with shared_preload_libraries
#     MODE=local DURATION=60 bench/consistency_load.sh
#
# State A is the shipped V28 PY2026 release; state B has normalization factor 1.100 and the CNA
# factor of HCC38 raised by 0.100, changed in one transaction: an image that mixed the two (one
# query on each side of a commit) gives a total that is neither. Half the clients run with
# force_parallel_mode = on, so parallel workers score too. Prints the transactions, errors,
# backend crashes, wrong answers and reference commits; exits 1 unless the last three are 0 and
# there were at least MIN_STATEMENTS statements and MIN_COMMITS commits.
# Needs: postgresql-15, postgresql-contrib (pgbench), hccraf installed (make install). As root.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CLIENTS=${CLIENTS:-16}
DURATION=${DURATION:-300}
MODE=${MODE:-preload}
PORT=${PORT:-55498}
PANEL=${PANEL:-2000}
RANGE=${RANGE:-50}
MIN_STATEMENTS=${MIN_STATEMENTS:-100000}
MIN_COMMITS=${MIN_COMMITS:-300}
PGBIN=$(pg_config --bindir)
say() { printf '%s\n' "$*"; }

T=$(mktemp -d /tmp/hccraf-load.XXXXXX)
chown postgres: "$T"
chmod 700 "$T"
pg() { runuser -u postgres -- "$@"; }
cleanup() {
    local rc=$?
    [ -n "${CHANGER:-}" ] && kill "$CHANGER" 2>/dev/null || true
    pg "$PGBIN/pg_ctl" -D "$T/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$T"
    exit $rc
}
trap cleanup EXIT
PRELOAD=""
[ "$MODE" = preload ] && PRELOAD="-c shared_preload_libraries=hccraf"
pg "$PGBIN/initdb" -D "$T/data" -A trust -U postgres --no-sync >/dev/null
pg "$PGBIN/pg_ctl" -D "$T/data" -l "$T/log" -w -o "-p $PORT -k $T -c listen_addresses='' -c jit=off \
    $PRELOAD -c max_connections=60 -c fsync=off -c synchronous_commit=off -c max_worker_processes=16 \
    -c max_parallel_workers=16" start >/dev/null
export PGHOST=$T PGPORT=$PORT PGUSER=postgres PGDATABASE=postgres
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

q <<SQL
CREATE EXTENSION hccraf;
-- The panel: PANEL made-up persons with 1 to 6 codes of the V28 PY2026 crosswalk each, many with
-- E11.9 (HCC38, the factor state B changes).
CREATE TABLE panel AS
WITH codes AS (SELECT array_agg(DISTINCT icd10_code::text ORDER BY icd10_code::text) AS c
               FROM hccraf.hcc_crosswalk WHERE (model_version, effective_year) = ('V28', 2026))
SELECT i AS id, 65 + i % 30 AS age, CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END AS sex,
       ARRAY['E11.9'] || ARRAY(SELECT codes.c[1 + (i * 131 + k * 977) % cardinality(codes.c)]
                                FROM generate_series(1, i % 6) k) AS dx
FROM codes, generate_series(1, $PANEL) i;
CREATE INDEX ON panel (id);
CREATE UNLOGGED TABLE load_results (lo int, total numeric);
CREATE TABLE expected (lo int PRIMARY KEY, a numeric, b numeric);
CREATE FUNCTION set_state(b boolean) RETURNS void LANGUAGE sql AS \$\$
    UPDATE hccraf.model_release SET normalization_factor = CASE WHEN b THEN 1.100 ELSE 1.067 END
    WHERE (model_version, payment_year) = ('V28', 2026);
    UPDATE hccraf.hcc_factor SET coefficient = CASE WHEN b THEN 0.266 ELSE 0.166 END
    WHERE (model_version, payment_year, segment, variable) = ('V28', 2026, 'CNA', 'HCC38');
\$\$;
-- The two valid answers of every range.
CREATE TEMP TABLE person_a AS SELECT id, hccraf.raf_payment_score(p, p.dx) AS s FROM panel p;
SELECT set_state(true);
CREATE TEMP TABLE person_b AS SELECT id, hccraf.raf_payment_score(p, p.dx) AS s FROM panel p;
SELECT set_state(false);
INSERT INTO expected
SELECT lo, (SELECT sum(s) FROM person_a WHERE id BETWEEN lo AND lo + $RANGE - 1),
           (SELECT sum(s) FROM person_b WHERE id BETWEEN lo AND lo + $RANGE - 1)
FROM generate_series(1, $PANEL - $RANGE + 1) lo;
SQL
say "panel: $PANEL persons; ranges of $RANGE; ranges whose two answers differ: $(q -c 'SELECT count(*) FROM expected WHERE a <> b') of $(q -c 'SELECT count(*) FROM expected')"

cat > "$T/score.sql" <<SQL
\set lo random(1, $PANEL - $RANGE + 1)
INSERT INTO load_results SELECT :lo, sum(hccraf.raf_payment_score(p, p.dx)) FROM panel p WHERE p.id BETWEEN :lo AND :lo + $RANGE - 1;
SQL

# The changer: one session switching states in a loop, one commit per switch (a procedure that
# commits), counting its commits, until the clients are done.
q <<'SQL'
CREATE TABLE flips (n bigint NOT NULL);
INSERT INTO flips VALUES (0);
CREATE PROCEDURE flip_forever() LANGUAGE plpgsql AS $$
DECLARE b boolean := true;
BEGIN
    LOOP
        PERFORM set_state(b);
        UPDATE flips SET n = n + 1;
        COMMIT;
        b := NOT b;
        PERFORM pg_sleep(0.6);  -- about 450 commits in 5 minutes (the issue: >= 300)
    END LOOP;
END $$;
SQL
psql -X -q -c "CALL flip_forever()" >/dev/null 2>&1 &
CHANGER=$!

half=$((CLIENTS / 2))
PGOPTIONS="-c force_parallel_mode=on -c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0" \
    "$PGBIN/pgbench" -n -f "$T/score.sql" -c "$half" -j 2 -T "$DURATION" >"$T/pgbench-parallel.log" 2>&1 &
P1=$!
"$PGBIN/pgbench" -n -f "$T/score.sql" -c "$((CLIENTS - half))" -j 2 -T "$DURATION" >"$T/pgbench-serial.log" 2>&1 &
P2=$!
wait $P1 || true
wait $P2 || true
q -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'CALL flip_forever%'" >/dev/null
wait "$CHANGER" 2>/dev/null || true
CHANGER=""
# The last state switched is committed with its count; end in state A for nothing.
commits=$(q -c "SELECT n FROM flips")

statements=$(q -c "SELECT count(*) FROM load_results")
wrong=$(q -c "SELECT count(*) FROM load_results r JOIN expected e USING (lo) WHERE r.total IS DISTINCT FROM e.a AND r.total IS DISTINCT FROM e.b")
saw_a=$(q -c "SELECT count(*) FROM load_results r JOIN expected e USING (lo) WHERE e.a <> e.b AND r.total = e.a")
saw_b=$(q -c "SELECT count(*) FROM load_results r JOIN expected e USING (lo) WHERE e.a <> e.b AND r.total = e.b")
errors=0
for f in "$T"/pgbench-*.log; do
    e=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$f"); errors=$((errors + ${e:-0}))
    grep -q "aborted" "$f" && { grep "aborted\|ERROR" "$f" | head -5; errors=$((errors + 1)); }
done
crashes=$(grep -cE 'server process .* (was terminated by|exited with exit code)|terminating any other active server processes|PANIC:|terminate called' "$T/log" || true)
say "mode $MODE, $CLIENTS clients ($half with force_parallel_mode = on), $DURATION s"
say "statements $statements (state A seen $saw_a, state B seen $saw_b, where they differ), reference commits $commits"
say "errors $errors, crashes $crashes, wrong answers $wrong"
grep -E '^tps|^number of transactions actually' "$T"/pgbench-*.log | sed 's/^/  /'
[ "$errors" -eq 0 ] && [ "$crashes" -eq 0 ] && [ "$wrong" -eq 0 ] \
    && [ "$statements" -ge "$MIN_STATEMENTS" ] && [ "$commits" -ge "$MIN_COMMITS" ]
