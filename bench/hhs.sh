#!/usr/bin/env bash
# bench/hhs.sh — acceptance benchmark of hccraf.hhs_score (HHS-HCC V08, benefit year 2026):
# 1M synthetic ADULT enrollees (5 diagnoses, 2 NDCs each) scored, as a ratio to the bare scan of
# the same table.
#
# Usage (as root, from anywhere):
#     bench/hhs.sh                      # N = 1,000,000 enrollees
#     N=20000 bench/hhs.sh              # smoke test (well under a minute)
#     SKIP_BUILD=1 KEEP=1 bench/hhs.sh  # installed extension; leave the cluster up afterwards
#
# What it does (the conventions of bench/run.sh): builds and installs the extension, starts a
# throwaway PostgreSQL 15 cluster (initdb/pg_ctl as the postgres user via runuser, unix socket in
# a mktemp directory), generates deterministic synthetic adult enrollees (bench/gen_enrollees.sql,
# every draw a hashint8extended), prints the data mix and a sanity pass over the scores, then
# measures, each with jit=off, one warm-up and REPS timed runs (median of the timed runs, from the
# "Execution Time" of EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON), all runs of a variant in one
# session; parallel workers are new processes on every query):
#   (a) bare scan   SELECT sum(cardinality(dx) + cardinality(ndc)) FROM enrollees            (serial)
#   (b) hccraf      SELECT sum((hccraf.hhs_score(e, e.dx, e.ndc)).csr_adjusted_score) FROM enrollees e
#                                                                                            (serial)
#   (c) parallel    (b) with max_parallel_workers_per_gather = WORKERS
# and prints the medians, ns/enrollee and the ratios b/a (the acceptance number) and b/c.
# It is a benchmark, not a test: exit 0 unless something broke.
#
# Options (environment variables):
#   N=1000000         enrollees
#   REPS=5            timed repetitions per variant (after 1 warm-up run)
#   WORKERS=2         max_parallel_workers_per_gather for (c)
#   KEEP=0            1 = do not stop/remove the cluster at exit
#   PORT=55497        server port (unix socket only; run.sh uses 55499, population.sh 55498)
#   SHARED_BUFFERS=2GB
#   WORK_MEM=256MB
#   EXPLAIN_CHECK=200 enrollees whose hhs_explain coefficients are summed and compared with raw_score
#   SKIP_BUILD=0      1 = use the extension that is already installed
#   STEPS=abc         which measurements to run
set -euo pipefail

N=${N:-1000000}
REPS=${REPS:-5}
WORKERS=${WORKERS:-2}
KEEP=${KEEP:-0}
PORT=${PORT:-55497}
SHARED_BUFFERS=${SHARED_BUFFERS:-2GB}
WORK_MEM=${WORK_MEM:-256MB}
EXPLAIN_CHECK=${EXPLAIN_CHECK:-200}
SKIP_BUILD=${SKIP_BUILD:-0}
STEPS=${STEPS:-abc}
want() { [[ "$STEPS" != none && "$STEPS" == *"$1"* ]]; }
MED_a="" MED_b="" MED_c="" C_NOTE="" SANITY="" EXPLAIN_NOTE=""

BENCH=hhs
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$ROOT/tools/install_deps.sh" >/dev/null || die "installing dependencies failed"
command -v jq >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null || die "jq is required"; }

# ---------------------------------------------------------------------------------------------
bench_build
say "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"

# ---------------------------------------------------------------------------------------------
bench_cluster "-c max_parallel_workers_per_gather=$WORKERS -c max_worker_processes=8 -c max_parallel_workers=8 -c max_wal_size=8GB"
[ "$(q -c "SELECT to_regprocedure('hccraf.hhs_score(record,text[],text[],text[],integer)') IS NOT NULL")" = t ] ||
    die "hccraf.hhs_score(record, text[], text[], text[], integer) is not installed"

# ---------------------------------------------------------------------------------------------
section "synthetic adult enrollees (N=$N, bench/gen_enrollees.sql)"
t=$(date +%s)
q -v N="$N" -f "$HERE/gen_enrollees.sql"
q -c "VACUUM ANALYZE enrollees"
q -c "SELECT pg_prewarm('enrollees')" >/dev/null
q -c "SELECT count(*) FROM enrollees" >/dev/null
TABLE_SIZE=$(q -c "SELECT pg_size_pretty(pg_total_relation_size('enrollees'))")
say "generated in $(( $(date +%s) - t )) s; table $TABLE_SIZE (prewarmed)"
qt -c "SELECT count(*) AS enrollees,
              min(date_part('year', age(last_enrollment_date, dob)))::int AS min_age,
              max(date_part('year', age(last_enrollment_date, dob)))::int AS max_age,
              round(avg(date_part('year', age(last_enrollment_date, dob)))::numeric, 1) AS mean_age,
              round(100.0 * avg((sex = 'F')::int), 1) AS pct_female,
              round(100.0 * avg((enrollment_days < 365)::int), 1) AS pct_partial_year,
              round(avg(enrollment_days) FILTER (WHERE enrollment_days < 365), 0) AS mean_partial_days,
              min(cardinality(dx)) || '-' || max(cardinality(dx)) AS dx_per_enrollee,
              min(cardinality(ndc)) || '-' || max(cardinality(ndc)) AS ndc_per_enrollee
       FROM enrollees"
qt -c "SELECT e.metal, e.csr_indicator, count(*) AS enrollees, round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS pct,
              f.factor AS csr_factor
       FROM enrollees e
       LEFT JOIN hccraf.hhs_csr_factor f ON f.csr_indicator = e.csr_indicator AND f.payment_year = 2026
       GROUP BY 1, 2, f.factor ORDER BY 1, 2"
qt -c "SELECT count(DISTINCT d) AS distinct_codes, count(*) AS code_slots,
              round(100.0 * avg((d IN ('I10', 'E78.5', 'Z00.00'))::int), 1) AS pct_slots_i10_e785_z0000
       FROM enrollees, unnest(dx) AS d"
qt -c "SELECT coalesce(n.class, '(not generated)') AS ndc_class,
              coalesce(dc.variable, '-') AS variable_in_hhs_drug_code,
              count(*) AS ndc_slots, round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS pct
       FROM enrollees e CROSS JOIN LATERAL unnest(e.ndc) AS x(ndc)
       LEFT JOIN bench_hhs_ndc n ON n.ndc = x.ndc
       LEFT JOIN (SELECT code, string_agg(variable, ',' ORDER BY variable) AS variable FROM hccraf.hhs_drug_code
                  WHERE code_system = 'ndc' AND payment_year = 2026 GROUP BY code) dc ON dc.code = x.ndc
       GROUP BY 1, 2 ORDER BY 3 DESC"

# ---------------------------------------------------------------------------------------------
section "sanity: every enrollee scored once (parallel allowed)"
q -c "CREATE TABLE bench_scores AS
      SELECT e.id, e.metal, e.csr_indicator, e.enrollment_days, s.r
      FROM enrollees e, LATERAL (SELECT hccraf.hhs_score(e, e.dx, e.ndc) AS r OFFSET 0) s"
qt -c "SELECT (r).model, count(*) AS enrollees,
              count(*) FILTER (WHERE (r).raw_score > 0) AS raw_score_gt_0,
              count(*) FILTER (WHERE cardinality((r).hccs) > 0) AS with_hcc,
              count(*) FILTER (WHERE cardinality((r).rxcs) > 0) AS with_rxc,
              count(*) FILTER (WHERE cardinality((r).other_vars) > 0) AS with_other_vars,
              round(avg(cardinality((r).hccs)), 3) AS mean_hccs,
              round(avg((r).raw_score), 4) AS mean_raw,
              round(avg((r).csr_adjusted_score), 4) AS mean_csr_adjusted,
              max((r).csr_adjusted_score) AS max_csr_adjusted
       FROM bench_scores GROUP BY 1 ORDER BY 2 DESC"
qt -c "SELECT metal, count(*) AS enrollees, round(avg((r).raw_score), 4) AS mean_raw,
              round(avg((r).csr_adjusted_score), 4) AS mean_csr_adjusted,
              round(avg((r).csr_factor), 4) AS mean_csr_factor,
              round(avg((r).raw_score) FILTER (WHERE enrollment_days < 365), 4) AS mean_raw_partial_year
       FROM bench_scores GROUP BY 1 ORDER BY 2 DESC"
qt -c "SELECT h AS top_hcc_or_group, count(*) AS enrollees FROM bench_scores, unnest((r).hccs) h
       GROUP BY 1 ORDER BY 2 DESC LIMIT 12"
qt -c "SELECT v AS other_var, count(*) AS enrollees FROM bench_scores, unnest((r).other_vars) v
       GROUP BY 1 ORDER BY 2 DESC LIMIT 10"
SANITY=$(q -F ' ' -c "SELECT count(*) FILTER (WHERE (r).model = 'adult'), count(*),
                             count(*) FILTER (WHERE (r).raw_score > 0),
                             count(*) FILTER (WHERE cardinality((r).hccs) > 0),
                             count(*) FILTER (WHERE cardinality((r).rxcs) > 0),
                             round(avg((r).raw_score), 4), round(avg((r).csr_adjusted_score), 4),
                             sum((r).csr_adjusted_score)
                      FROM bench_scores" |
         awk '{printf "%d/%d adult model, %d raw_score > 0, %d (%.1f%%) with an HCC, %d (%.1f%%) with an RXC; mean raw %s, mean CSR-adjusted %s; sum(csr_adjusted_score) %s",
                       $1, $2, $3, $4, 100 * $4 / $2, $5, 100 * $5 / $2, $6, $7, $8}')
say "$SANITY"
if [ "$EXPLAIN_CHECK" -gt 0 ] && [ "$(q -c "SELECT to_regprocedure('hccraf.hhs_explain(record,text[],text[],text[],integer)') IS NOT NULL")" = t ]; then
    EXPLAIN_NOTE=$(q -F ' ' -c "
        SELECT count(*), count(*) FILTER (WHERE x.total IS DISTINCT FROM (s.r).raw_score)
        FROM bench_scores s JOIN enrollees e USING (id)
        CROSS JOIN LATERAL (SELECT sum(coefficient) AS total FROM hccraf.hhs_explain(e, e.dx, e.ndc)) x
        WHERE e.id <= $EXPLAIN_CHECK" | awk '{printf "hhs_explain coefficients vs raw_score: %d mismatches in %d enrollees", $2, $1}')
    say "$EXPLAIN_NOTE"
fi
q -c "DROP TABLE bench_scores" -c "CHECKPOINT"

# ---------------------------------------------------------------------------------------------
QA="SELECT sum(cardinality(dx) + cardinality(ndc)) FROM enrollees"
QB="SELECT sum((hccraf.hhs_score(e, e.dx, e.ndc)).csr_adjusted_score) FROM enrollees e"


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
    say "    load average after: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs; above ~1 means something else ran too)"
    if [[ "$settings" != *"max_parallel_workers_per_gather = 0;"* ]]; then
        say "    Workers Launched per run: $(printf '%s' "$out" | workers_launched | tr '\n' ' ')"
        say "    plan: $(printf '%s' "$out" | plan_shape)"
    fi
}

SERIAL="SET max_parallel_workers_per_gather = 0;"

if want a; then
    section "(a) bare scan, serial: $QA"
    measure a "$SERIAL" "$REPS" "$QA"
fi

if want b; then
    section "(b) hccraf.hhs_score, serial: $QB"
    measure b "$SERIAL" "$REPS" "$QB"
fi

if want c; then
    section "(c) hccraf.hhs_score, parallel (max_parallel_workers_per_gather=$WORKERS)"
    PARALLEL="SET max_parallel_workers_per_gather = $WORKERS;"
    shape=$(q -c "$PARALLEL" -c "EXPLAIN (FORMAT JSON) $QB" | plan_shape)
    if [[ "$shape" != *Gather* ]]; then
        say "the planner does not choose a parallel plan at the default costs (plan: $shape);"
        say "(c) therefore also sets parallel_setup_cost = 0 and parallel_tuple_cost = 0"
        C_NOTE="(c) needed parallel_setup_cost=0, parallel_tuple_cost=0: the default plan is serial"
        PARALLEL="$PARALLEL SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;"
        shape=$(q -c "$PARALLEL" -c "EXPLAIN (FORMAT JSON) $QB" | plan_shape)
        if [[ "$shape" != *Gather* ]]; then
            say "still no parallel plan (the table is below min_parallel_table_scan_size at this N): (c) is serial"
            C_NOTE="(c) ran serially: no parallel plan even at zero parallel costs (table $TABLE_SIZE < min_parallel_table_scan_size)"
        fi
    fi
    measure c "$PARALLEL" "$REPS" "$QB"
fi

# ---------------------------------------------------------------------------------------------
section "summary (N=$N, REPS=$REPS, WORKERS=$WORKERS, $(nproc) CPUs, table $TABLE_SIZE, jit=off)"
awk -v a="$MED_a" -v b="$MED_b" -v c="$MED_c" -v n="$N" -v w="$WORKERS" '
function row(label, v) {
    if (v == "") printf "  %-52s %12s %12s\n", label, "-", "-"
    else printf "  %-52s %12.1f %12.0f\n", label, v, v * 1e6 / n
}
function ratio(label, x, y, what) {
    if (x == "" || y == "") printf "  %-6s %10s  %s\n", label, "-", what
    else printf "  %-6s %10.2f  %s\n", label, x / y, what
}
BEGIN {
    printf "  %-52s %12s %12s\n", "measurement (median)", "ms", "ns/enrollee"
    row("(a) bare scan sum(cardinality(dx)+cardinality(ndc))", a)
    row("(b) hccraf.hhs_score, serial", b)
    row("(c) hccraf.hhs_score, " w " workers", c)
    if (a != "" && b != "") row("    (b) - (a) = scoring cost", b - a)
    printf "\n  %-6s %10s  %s\n", "ratio", "value", ""
    ratio("b/a", b, a, "scored / bare scan of the same table (acceptance number)")
    ratio("b/c", b, c, "parallel speed-up")
}'
[ -n "$C_NOTE" ] && say "  $C_NOTE"
say "  sanity: $SANITY"
[ -n "$EXPLAIN_NOTE" ] && say "  $EXPLAIN_NOTE"
say "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
say "  total wall time $(( $(date +%s) - T0 )) s"
exit 0
