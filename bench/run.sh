#!/usr/bin/env bash
# bench/run.sh — one-command benchmark of hccraf.raf_score (CMS-HCC V28, PY2026).
#
# Usage (as root, from anywhere):
#     bench/run.sh                      # full run: 1,000,000 synthetic patients (~6 min on 2 cores)
#     N=100000 bench/run.sh             # quick run
#     KEEP=1 bench/run.sh               # leave the cluster running afterwards (prints how to connect)
#     PROFILE=1 N=100000 bench/run.sh   # also a perf CPU profile of (b) on a single-user backend
#
# What it does: builds and installs the extension (make -C <repo> && make install), starts a
# throwaway PostgreSQL 15 cluster (initdb/pg_ctl as the postgres user, unix socket in a mktemp
# directory), generates a deterministic synthetic population (bench/gen_population.sql), then
# measures, each with jit=off, one warm-up and REPS timed runs (median of the timed runs):
#   (a) bare scan          SELECT sum(cardinality(dx)) FROM patients                    (serial)
#   (b) hccraf             SELECT sum((hccraf.raf_score(p, p.dx)).payment_score) FROM patients p (serial)
#   (b') (b'')             extra, when installed: the lean forms hccraf.raf_payment_score(p, p.dx) and
#                          raf_payment_score(dob, sex, ..., dx) (serial; reported, not part of the targets)
#   (c) hccraf, parallel   (b) with max_parallel_workers_per_gather = WORKERS
#   (d) plain SQL          the same V28 PY2026 payment score as a CTE mart (bench/plain_sql_v28.sql),
#                          first checked patient by patient against (b) on a SAMPLE-patient sample
#   (e) model image        build time (hccraf.images if it exists, else first-call cost of hcc_map)
#   (f) backend memory     RSS of one backend running (b) MEM_RUNS times over the table
# and prints a summary with the ratios b/a, d/b, b/c against their targets. Timings are the
# "Execution Time" of EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON), all runs of one variant in one
# session (so a per-backend model cache is warm after the warm-up; parallel workers are new
# processes on every query and pay their own start-up). It is a benchmark, not a test: exit 0
# unless something broke.
#
# Options (environment variables):
#   N=1000000         patients
#   REPS=5            timed repetitions per variant (after 1 warm-up run)
#   WORKERS=2         max_parallel_workers_per_gather for (c)
#   KEEP=0            1 = do not stop/remove the cluster at exit
#   PORT=55499        server port (unix socket only, no TCP)
#   SHARED_BUFFERS=2GB
#   WORK_MEM=256MB    server work_mem (generous to the plain-SQL mart (d); (a)-(c) do not sort)
#   SAMPLE=20000      patients compared between (d) and (b)
#   D_MAX_S=60        if one run of (d) takes longer than this many seconds, time only D_SLOW_REPS runs
#   D_SLOW_REPS=2
#   MEM_RUNS=10       runs of (b) in the memory session (f)
#   SKIP_BUILD=0      1 = use the extension that is already installed
#   PROFILE=0         1 = perf record -e cpu-clock -g of (b) on a single-user backend at the end
#   PROFILE_RUNS=20   executions of (b) under perf
#   STEPS=abcdef      which measurements to run (e.g. STEPS=ab for a quick look; STEPS=none with PROFILE=1)
set -euo pipefail

N=${N:-1000000}
REPS=${REPS:-5}
WORKERS=${WORKERS:-2}
KEEP=${KEEP:-0}
PORT=${PORT:-55499}
SHARED_BUFFERS=${SHARED_BUFFERS:-2GB}
WORK_MEM=${WORK_MEM:-256MB}
SAMPLE=${SAMPLE:-20000}
D_MAX_S=${D_MAX_S:-60}
D_SLOW_REPS=${D_SLOW_REPS:-2}
MEM_RUNS=${MEM_RUNS:-10}
SKIP_BUILD=${SKIP_BUILD:-0}
PROFILE=${PROFILE:-0}
PROFILE_RUNS=${PROFILE_RUNS:-20}
STEPS=${STEPS:-abcdef}
want() { [[ "$STEPS" != none && "$STEPS" == *"$1"* ]]; }
MED_a="" MED_b="" MED_c="" MED_d="" MED_l="" MED_l2="" MISMATCH="" COMPARED="" MISS_6263202="" D_NOTE="" IMAGE_NOTE="" FIRST_CALL="" MEM_NOTE=""

BENCH=run
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# What a fresh Debian 12 machine lacks: the build dependencies, jq, and perf for PROFILE=1.
bash "$ROOT/tools/install_deps.sh" > /dev/null || die "installing dependencies failed"
command -v jq >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq > /dev/null || die "jq is required"; }
if [ "${PROFILE:-0}" = 1 ] && ! command -v perf >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf > /dev/null || true
fi

# ---------------------------------------------------------------------------------------------
bench_build

# ---------------------------------------------------------------------------------------------
bench_cluster "-c max_parallel_workers_per_gather=$WORKERS -c max_worker_processes=8 -c max_parallel_workers=8 -c max_wal_size=8GB"

# ---------------------------------------------------------------------------------------------
section "synthetic population (N=$N)"
t=$(date +%s)
q -v N="$N" -f "$HERE/gen_population.sql"
q -c "VACUUM (ANALYZE) patients"
say "generated in $(( $(date +%s) - t )) s"
qt -c "SELECT count(*) AS patients,
              round(avg(cardinality(dx)), 2) AS avg_dx,
              max(cardinality(dx)) AS max_dx,
              round(100.0 * avg((cardinality(dx) = 0)::int), 1) AS pct_no_dx,
              round(100.0 * avg((date_part('year', age(date '2026-02-01', dob)) < 65)::int), 1) AS pct_under65,
              round(100.0 * avg((dual_status <> 'non')::int), 1) AS pct_dual,
              round(100.0 * avg(institutional::int), 1) AS pct_institutional,
              round(100.0 * avg(new_enrollee::int), 1) AS pct_new_enrollee,
              round(avg(date_part('year', age(date '2026-02-01', dob)))::numeric, 1) AS mean_age
       FROM patients"
q -c "SELECT pg_prewarm('patients')" >/dev/null
q -c "SELECT count(*) FROM patients" >/dev/null
TABLE_SIZE=$(q -c "SELECT pg_size_pretty(pg_table_size('patients'))")
say "table size: $TABLE_SIZE (heap + TOAST; prewarmed into shared_buffers, then a full count(*) scan)"

# ---------------------------------------------------------------------------------------------
# timing helpers

QA="SELECT sum(cardinality(dx)) FROM patients"
QB="SELECT sum((hccraf.raf_score(p, p.dx)).payment_score) FROM patients p"
QD="SELECT sum(payment_score) FROM plain_v28_score"
# lean forms (measured too when the installed extension has them)
QL="SELECT sum(hccraf.raf_payment_score(p, p.dx)) FROM patients p"
QL2="SELECT sum(hccraf.raf_payment_score(dob, sex, orec, dual_status, institutional, new_enrollee, false, dx)) FROM patients"


# measure NAME SETTINGS REPS QUERY [LABEL]: warm-up + REPS runs in one session; sets MED_<NAME>
measure() {
    local name=$1 settings=$2 reps=$3 query=$4 label=${5:-$1} out times warm rest med
    out=$(run_explain "$settings" $((reps + 1)) "$query")
    times=$(printf '%s' "$out" | exec_times)
    warm=$(printf '%s\n' "$times" | sed -n 1p)
    rest=$(printf '%s\n' "$times" | tail -n +2)
    med=$(printf '%s\n' "$rest" | median)
    printf -v "MED_$name" '%s' "$med"
    say "($label) median $(printf '%.1f' "$med") ms over $reps runs [$(printf '%s\n' "$rest" | fmt_list)], warm-up $(printf '%.1f' "$warm") ms"
    if [[ "$settings" != *"max_parallel_workers_per_gather = 0;"* ]]; then
        say "    Workers Launched per run: $(printf '%s' "$out" | workers_launched | tr '\n' ' ')"
        say "    plan: $(printf '%s' "$out" | plan_shape)"
    fi
}

SERIAL="SET max_parallel_workers_per_gather = 0;"

# ---------------------------------------------------------------------------------------------
if want a; then
    section "(a) bare scan, serial: $QA"
    measure a "$SERIAL" "$REPS" "$QA"
fi

if want b; then
    section "(b) hccraf.raf_score, serial: $QB"
    measure b "$SERIAL" "$REPS" "$QB"
    if [ "$(q -c "SELECT to_regprocedure('hccraf.raf_payment_score(record,text[],text,integer)') IS NOT NULL")" = t ]; then
        section "(b') lean form, serial (extra): $QL"
        measure l "$SERIAL" "$REPS" "$QL" "b'"
    fi
    if [ "$(q -c "SELECT to_regprocedure('hccraf.raf_payment_score(date,text,text,text,boolean,boolean,boolean,text[],text,integer)') IS NOT NULL")" = t ]; then
        section "(b'') column form, serial (extra): $QL2"
        measure l2 "$SERIAL" "$REPS" "$QL2" "b''"
    fi
fi

if want c; then
    section "(c) hccraf.raf_score, parallel (max_parallel_workers_per_gather=$WORKERS)"
    PARALLEL="SET max_parallel_workers_per_gather = $WORKERS;"
    shape=$(q -c "$PARALLEL" -c "EXPLAIN (FORMAT JSON) $QB" | plan_shape)
    if [[ "$shape" != *Gather* ]]; then
        say "the planner does not choose a parallel plan at the default costs (plan: $shape);"
        say "(c) therefore also sets parallel_setup_cost = 0 and parallel_tuple_cost = 0"
        C_NOTE="(c) needed parallel_setup_cost=0, parallel_tuple_cost=0: the default plan is serial"
        PARALLEL="$PARALLEL SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;"
    fi
    measure c "$PARALLEL" "$REPS" "$QB"
fi

# ---------------------------------------------------------------------------------------------
if want d; then
    section "(d) plain SQL mart (bench/plain_sql_v28.sql): verification on $SAMPLE patients"
    q -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS bench_sample CASCADE" -c "CREATE SCHEMA bench_sample" \
      -c "CREATE TABLE bench_sample.patients AS SELECT * FROM public.patients WHERE id <= $SAMPLE" \
      -c "ANALYZE bench_sample.patients"
    # the view binds to the `patients` first in search_path
    q -c "SET search_path = bench_sample, public" -f "$HERE/plain_sql_v28.sql"
    q -c "SET search_path = public" -f "$HERE/plain_sql_v28.sql"
    q -c "CREATE TABLE bench_sample.compare AS
          SELECT coalesce(p.id, d.id) AS id, d.segment AS sql_segment, (r.r).segment AS hccraf_segment,
                 d.payment_score AS sql_payment, (r.r).payment_score AS hccraf_payment, (r.r).hccs AS hccs,
                 p.dx
          FROM bench_sample.patients p
          JOIN (SELECT pp.id, hccraf.raf_score(pp, pp.dx) AS r FROM bench_sample.patients pp) r ON r.id = p.id
          FULL JOIN bench_sample.plain_v28_score d ON d.id = p.id"
    read -r COMPARED MISMATCH MISS_6263202 SEG_DIFF < <(q -F ' ' -c "
        SELECT count(*),
               count(*) FILTER (WHERE sql_payment IS DISTINCT FROM hccraf_payment),
               count(*) FILTER (WHERE sql_payment IS DISTINCT FROM hccraf_payment
                                  AND hccs @> ARRAY['HCC62', 'HCC202']),
               count(*) FILTER (WHERE sql_segment IS DISTINCT FROM hccraf_segment)
        FROM bench_sample.compare")
    say "compared $COMPARED patients: $MISMATCH payment-score mismatches between (d) and (b)" \
        "($MISS_6263202 of them with HCC62+HCC202, the documented 62/63/202 hierarchy difference;" \
        "$SEG_DIFF segment differences)"
    if [ "$MISMATCH" != 0 ]; then
        say "first mismatches:"
        qt -c "SELECT id, sql_segment, hccraf_segment, sql_payment, hccraf_payment, hccs, dx
               FROM bench_sample.compare WHERE sql_payment IS DISTINCT FROM hccraf_payment ORDER BY id LIMIT 10"
    fi
    if [ -n "$MED_l$MED_l2" ] || [ "$(q -c "SELECT to_regprocedure('hccraf.raf_payment_score(record,text[],text,integer)') IS NOT NULL")" = t ]; then
        say "lean form raf_payment_score(p, p.dx) vs (b) on the sample: $(q -c "SELECT count(*) FILTER (WHERE hccraf.raf_payment_score(p, p.dx) IS DISTINCT FROM c.hccraf_payment)
               FROM bench_sample.patients p JOIN bench_sample.compare c USING (id)") mismatches"
    fi
    qt -c "SELECT hccraf_segment AS segment, count(*) AS patients, round(avg(hccraf_payment), 3) AS mean_payment_score,
                  round(avg(cardinality(hccs)), 2) AS mean_hccs
           FROM bench_sample.compare GROUP BY 1 ORDER BY 2 DESC"

    section "(d) plain SQL mart, serial: $QD (over all $N patients)"
    warm_d=$(run_explain "$SERIAL" 1 "$QD" | exec_times)
    reps_d=$REPS
    if awk -v w="$warm_d" -v m="$D_MAX_S" 'BEGIN {exit !(w > m * 1000)}'; then
        reps_d=$D_SLOW_REPS
        D_NOTE="(d) takes $(awk -v w="$warm_d" 'BEGIN {printf "%.0f", w / 1000}') s per run (> ${D_MAX_S} s): timed $reps_d runs instead of $REPS"
        say "$D_NOTE"
    fi
    times_d=$(run_explain "$SERIAL" "$reps_d" "$QD" | exec_times)
    MED_d=$(printf '%s\n' "$times_d" | median)
    say "(d) median $(printf '%.1f' "$MED_d") ms over $reps_d runs [$(printf '%s\n' "$times_d" | fmt_list)], warm-up $(printf '%.1f' "$warm_d") ms (separate session)"
fi

# ---------------------------------------------------------------------------------------------
if want e; then
    section "(e) model image: build time and size"
    if [ "$(q -c "SELECT to_regclass('hccraf.images') IS NOT NULL")" = t ]; then
        q -c "SELECT (hccraf.raf_score(ROW(date '1950-06-01', 'F', '0', 'non', false, false, false)::hccraf.patient, '{E11.9}')).payment_score" >/dev/null || true
        qt -c "SELECT i.*, pg_size_pretty(i.bytes::bigint) AS size FROM hccraf.images i" 2>/dev/null ||
            qt -c "SELECT * FROM hccraf.images"
        IMAGE_NOTE=$(q -c "SELECT string_agg(format('%s PY%s %s, built in %s ms', coalesce(j->>'model', j->>'model_version'),
                                                    j->>'payment_year', pg_size_pretty((j->>'bytes')::bigint),
                                                    round((j->>'build_ms')::numeric, 1)), '; ')
                           FROM (SELECT to_jsonb(i) AS j FROM hccraf.images i) s" 2>/dev/null || echo "see hccraf.images above")
    else
        say "hccraf.images does not exist (shared-memory images not installed yet): image size unknown"
        IMAGE_NOTE="size unknown (no hccraf.images view)"
    fi
    # first call in a fresh session (builds or attaches the image) minus a later call
    first_times=$(printf '%s\n' '\timing on' "SELECT hccraf.hcc_map('E11.9');" "SELECT hccraf.hcc_map('E11.9');" \
                  "SELECT hccraf.hcc_map('E11.9');" | q 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
    t1=$(printf '%s\n' "$first_times" | sed -n 1p)
    t3=$(printf '%s\n' "$first_times" | sed -n 3p)
    FIRST_CALL=$(awk -v a="$t1" -v b="$t3" 'BEGIN {printf "%.1f", a - b}')
    say "fresh session: first hcc_map('E11.9') $t1 ms, third call $t3 ms => image build/attach ~ $FIRST_CALL ms"
fi

# ---------------------------------------------------------------------------------------------
if want f; then
    section "(f) backend memory: (b) $MEM_RUNS times in one session ($((MEM_RUNS * N)) calls)"
    probe="SELECT %s, (regexp_match(s, 'VmRSS:\\s+(\\d+)'))[1], (regexp_match(s, 'RssAnon:\\s+(\\d+)'))[1],
                 (SELECT sum(total_bytes) FROM pg_backend_memory_contexts)
          FROM pg_read_file('/proc/self/status') AS s;"
    {
        echo "$SERIAL"
        # shellcheck disable=SC2059
        printf "$probe\n" 0
        for ((i = 1; i <= MEM_RUNS; i++)); do
            echo "$QB \\gset"
            # shellcheck disable=SC2059
            printf "$probe\n" "$i"
        done
    } | q -F ' ' >"$T/mem.txt"
    say "  run   VmRSS(kB)   RssAnon(kB)   memory contexts(bytes)   (run 0 = before the first call)"
    awk '{printf "  %3d %11d %13d %24d\n", $1, $2, $3, $4}' "$T/mem.txt"
    MEM_NOTE=$(awk 'NR == 2 {r1 = $2; a1 = $3; c1 = $4} END {printf "after run 1 -> run %d: VmRSS %d -> %d kB, RssAnon %d -> %d kB, memory contexts %d -> %d bytes", $1, r1, $2, a1, $3, c1, $4}' "$T/mem.txt")
    say "$MEM_NOTE"
fi

# ---------------------------------------------------------------------------------------------
if [ "$PROFILE" = 1 ]; then
    section "CPU profile of (b): perf record -e cpu-clock -g, single-user backend, $PROFILE_RUNS runs"
    if command -v perf >/dev/null; then
        pg "$PGBIN/pg_ctl" -D "$T/data" -m fast -w stop >/dev/null
        { echo "SET max_parallel_workers_per_gather = 0"; for ((i = 0; i < PROFILE_RUNS; i++)); do echo "$QB"; done; } >"$T/profile.sql"
        chmod 644 "$T/profile.sql"
        perf record -q -e cpu-clock -g -o "$T/perf.data" -- runuser -u postgres -- "$PGBIN/postgres" --single -D "$T/data" \
            -c jit=off -c shared_preload_libraries=hccraf -c shared_buffers="$SHARED_BUFFERS" postgres <"$T/profile.sql" >/dev/null 2>&1 || true
        say "perf report --no-children --sort dso,symbol (self time), top 15:"
        perf report -i "$T/perf.data" --no-children --sort dso,symbol --stdio >"$T/report.txt" 2>/dev/null || true
        grep -E '^ +[0-9.]+%' "$T/report.txt" | sed -E 's/[[:space:]]+-[[:space:]]+-[[:space:]]*$//; s/[[:space:]]+$//' |
            awk 'NR <= 15' | tee "$T/profile.txt"
        say "by shared object:"
        perf report -i "$T/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9.]+%' |
            sed -E 's/[[:space:]]+-[[:space:]]+-[[:space:]]*$//; s/[[:space:]]+$//' | awk 'NR <= 6' || true
        pg "$PGBIN/pg_ctl" -D "$T/data" -l "$T/log" -w -o "$SERVER_OPTS" start >/dev/null
    else
        say "perf not installed (apt-get install -y linux-perf)"
    fi
fi

# ---------------------------------------------------------------------------------------------
section "summary (N=$N, REPS=$REPS, WORKERS=$WORKERS, $(nproc) CPUs, table $TABLE_SIZE, jit=off)"
awk -v a="$MED_a" -v b="$MED_b" -v c="$MED_c" -v d="$MED_d" -v l="$MED_l" -v l2="$MED_l2" -v n="$N" -v w="$WORKERS" '
function row(label, v) {
    if (v == "") printf "  %-40s %12s %12s\n", label, "-", "-"
    else printf "  %-40s %12.1f %12.0f\n", label, v, v * 1e6 / n
}
function ratio(label, x, y, target, op, lim) {
    if (x == "" || y == "") { printf "  %-6s %10s %10s  %s\n", label, "-", target, "-"; return }
    r = x / y
    ok = (op == "<=") ? r <= lim : r >= lim
    printf "  %-6s %10.2f %10s  %s\n", label, r, target, ok ? "PASS" : "MISS"
}
BEGIN {
    printf "  %-40s %12s %12s\n", "measurement (median)", "ms", "ns/patient"
    row("(a) bare scan sum(cardinality(dx))", a)
    row("(b) hccraf.raf_score, serial", b)
    row("(c) hccraf.raf_score, " w " workers", c)
    row("(d) plain SQL mart, serial", d)
    if (a != "" && b != "") row("    (b) - (a) = scoring cost", b - a)
    if (l != "") row("(b\x27) raf_payment_score(p, p.dx) [extra]", l)
    if (l2 != "") row("(b\x27\x27) raf_payment_score(columns) [extra]", l2)
    printf "\n  %-6s %10s %10s  %s\n", "ratio", "value", "target", "verdict"
    ratio("b/a", b, a, "<= 4", "<=", 4)
    ratio("d/b", d, b, ">= 50", ">=", 50)
    ratio("b/c", b, c, ">= 1.8", ">=", 1.8)
    if (l != "" || l2 != "") printf "  extra (same targets, lean forms instead of (b)):\n"
    if (l != "") { ratio("b\x27/a", l, a, "<= 4", "<=", 4); ratio("d/b\x27", d, l, ">= 50", ">=", 50) }
    if (l2 != "") { ratio("b\x27\x27/a", l2, a, "<= 4", "<=", 4); ratio("d/b\x27\x27", d, l2, ">= 50", ">=", 50) }
}'
[ -n "$MISMATCH" ] && say "  (d) vs (b): $MISMATCH payment-score mismatches in $COMPARED patients ($MISS_6263202 explained by 62/63/202)"
[ -n "$D_NOTE" ] && say "  $D_NOTE"
[ -n "${C_NOTE:-}" ] && say "  $C_NOTE"
[ -n "$IMAGE_NOTE" ] && say "  image: $IMAGE_NOTE; fresh-session first call ~ $FIRST_CALL ms"
[ -n "$MEM_NOTE" ] && say "  memory: $MEM_NOTE"
say "  total wall time $(( $(date +%s) - T0 )) s"
exit 0
