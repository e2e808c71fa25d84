#!/usr/bin/env bash
# bench/population.sh — warehouse-scale benchmark of hccraf.score_population (V28, PY2026).
#
# Usage (as root):
#     bench/population.sh                    # N = 1,000,000 patients, ~5.3M diagnosis rows
#     N=100000 REPS=3 bench/population.sh    # quick run
#     SKIP_BUILD=1 PLAIN_N=200000 bench/population.sh
#
# A throwaway PostgreSQL 15 cluster (shared_preload_libraries=hccraf, jit=off), a normalized
# warehouse (bench/gen_claims.sql: members + claims_dx, one row per diagnosis, with claim fields
# and ~14 % ineligible claims when hccraf.ra_eligible exists), then, in one run:
#   (i)   floor: bench/population_floor.sql — the same reads and writes without scoring
#   (S)   CALL hccraf.score_population(diagnoses => 'claims_dx', patients => 'members',
#                                      payment_year => 2026, model => 'V28')
#   (ii)  plain SQL: bench/plain_population_v28.sql — the same job over the reference tables
# (i) and (S) alternate: one untimed warm-up round, then REPS timed rounds (medians). Each run is
# one psql session timed by clock_timestamp() around it (commit included); after each run the
# written tables are vacuumed and a CHECKPOINT is taken, untimed. (ii) runs PLAIN_REPS times on
# the first PLAIN_N patients (default N) and is compared per patient. While (S) and (i) run, the
# backend's VmRSS/RssAnon/VmHWM are sampled from /proc/<pid>/status every SAMPLE_S seconds;
# pg_backend_memory_contexts totals are read in the same session after the CALL.
#
# Options (environment): N=1000000 REPS=3 PLAIN_N=$N PLAIN_REPS=1 CLAIMS=auto (1: claim columns,
# needs hccraf.ra_eligible; 0: without them) SKIP_BUILD=0 KEEP=0 PORT=55498 SHARED_BUFFERS=2GB
# WORK_MEM=256MB SAMPLE_S=0.5 WARMUP=1 (0: no untimed warm-up round)
# FLOOR_ELIG=setwise (eligibility in (i) as score_population evaluates it; 'call': one hccraf.ra_eligible
# call per row) PROFILE=0 (1: afterwards, one more CALL under auto_explain with log_nested_statements, ANALYZE and
# TIMING OFF: time per statement of score_population and its batches, summed over the batches; and
# the cost of one hccraf.ra_eligible call over 100,000 rows)
set -euo pipefail

N=${N:-1000000}
REPS=${REPS:-3}
PLAIN_N=${PLAIN_N:-$N}
PLAIN_REPS=${PLAIN_REPS:-1}
CLAIMS=${CLAIMS:-auto}
SKIP_BUILD=${SKIP_BUILD:-0}
KEEP=${KEEP:-0}
PORT=${PORT:-55498}
SHARED_BUFFERS=${SHARED_BUFFERS:-2GB}
WORK_MEM=${WORK_MEM:-256MB}
SAMPLE_S=${SAMPLE_S:-0.5}
WARMUP=${WARMUP:-1}
PROFILE=${PROFILE:-0}
FLOOR_ELIG=${FLOOR_ELIG:-setwise}
if [ "$PLAIN_N" -gt "$N" ]; then PLAIN_N=$N; fi

BENCH=population
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ "$SKIP_BUILD" = 1 ] || bash "$ROOT/tools/install_deps.sh" >/dev/null || die "installing dependencies failed"

# ---------------------------------------------------------------------------------------------
bench_build

# ---------------------------------------------------------------------------------------------
SAMPLER_PID=""
bench_on_exit() { if [ -n "$SAMPLER_PID" ]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi; }
bench_cluster "-c max_wal_size=16GB -c temp_buffers=256MB"
HAS_ELIG=0
if q -c "SELECT hccraf.ra_eligible('professional', NULL, ARRAY['99213'], '2025-05-01')" >/dev/null 2>&1; then HAS_ELIG=1; fi
if [ "$CLAIMS" = auto ]; then CLAIMS=$HAS_ELIG; fi
if [ "$CLAIMS" = 1 ] && [ "$HAS_ELIG" = 0 ]; then die "CLAIMS=1 but hccraf.ra_eligible does not work in this build"; fi
if [ "$CLAIMS" = 1 ]; then
    VARIANT="with claim columns (claim_type, bill_type, procedure_codes); eligibility in (i): $FLOOR_ELIG"
    qt -c "SELECT bill_type_prefix, setting, requires_procedure_filter FROM hccraf.ra_eligible_bill_type ORDER BY 1"
else
    VARIANT="WITHOUT claim columns (hccraf.ra_eligible $( [ $HAS_ELIG = 1 ] && echo "exists, CLAIMS=0 chosen" || echo "missing"): every row counts as eligible)"
fi
say "variant: $VARIANT"

# ---------------------------------------------------------------------------------------------
section "normalized warehouse (N=$N)"
t=$(date +%s)
q -v N="$N" -v CLAIMS="$CLAIMS" -f "$HERE/gen_claims.sql"
if [ "$PLAIN_N" -lt "$N" ]; then
    q -c "CREATE TABLE plain_members AS SELECT m.* FROM members m
          WHERE m.patient_id IN (SELECT md5(p.id::text)::uuid FROM patients p WHERE p.id <= $PLAIN_N)" \
      -c "CREATE TABLE plain_claims AS SELECT d.* FROM claims_dx d
          WHERE d.patient_id IN (SELECT md5(p.id::text)::uuid FROM patients p WHERE p.id <= $PLAIN_N)" \
      -c "VACUUM ANALYZE plain_members" -c "VACUUM ANALYZE plain_claims"
    PLAIN_PT=plain_members PLAIN_DX=plain_claims
else
    PLAIN_PT=members PLAIN_DX=claims_dx
fi
q -c "DROP TABLE patients, bench_dx_code" -c "VACUUM ANALYZE members" -c "VACUUM ANALYZE claims_dx"
for tb in floor_score:patient_hcc_score floor_dx:patient_diagnosis_hcc plain_score:patient_hcc_score plain_dx:patient_diagnosis_hcc; do
    q -c "CREATE TABLE ${tb%%:*} (LIKE hccraf.${tb#*:} INCLUDING ALL)"
done
say "generated in $(( $(date +%s) - t )) s"
qt -c "SELECT (SELECT count(*) FROM members) AS patients, count(*) AS diagnosis_rows,
              round(count(*)::numeric / (SELECT count(*) FROM members), 2) AS rows_per_patient,
              count(*) FILTER (WHERE service_date >= '2025-01-01' AND service_date < '2026-01-01') AS rows_2025,
              round(100.0 * avg((service_date < '2025-01-01' OR service_date >= '2026-01-01')::int), 1) AS pct_outside_2025,
              count(DISTINCT patient_id) AS patients_with_rows
       FROM claims_dx"
if [ "$CLAIMS" = 1 ]; then
    qt -c "SELECT claim_type, bill_type, procedure_codes, count(*) AS rows,
                  round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS pct
           FROM claims_dx GROUP BY 1, 2, 3 ORDER BY 4 DESC"
fi
DX_SIZE=$(q -c "SELECT pg_size_pretty(pg_total_relation_size('claims_dx'))")
PT_SIZE=$(q -c "SELECT pg_size_pretty(pg_total_relation_size('members'))")
q -c "SELECT pg_prewarm('members')" -c "SELECT pg_prewarm('claims_dx')" >/dev/null
q -c "CHECKPOINT"
say "claims_dx $DX_SIZE, members $PT_SIZE (prewarmed)"

# ---------------------------------------------------------------------------------------------
# run_session NAME TAG SQLFILE [psql args]: one psql session that writes its backend pid, runs
# SQLFILE between two clock_timestamp() reads, then the memory-context totals; the backend's
# /proc status is sampled meanwhile. Sets LAST_MS.
sample_mem() {  # pidfile outfile psql-pid
    local bpid
    while [ ! -s "$1" ] && kill -0 "$3" 2>/dev/null; do sleep 0.05; done
    bpid=$(cat "$1" 2>/dev/null || true)
    [ -n "$bpid" ] || return 0
    while kill -0 "$3" 2>/dev/null && [ -r "/proc/$bpid/status" ]; do
        awk '/^VmHWM|^VmRSS|^RssAnon/ {printf "%s ", $2} END {print ""}' "/proc/$bpid/status" >>"$2" 2>/dev/null || true
        sleep "$SAMPLE_S"
    done
}
run_session() {
    local name=$1 tag=$2 body=$3; shift 3
    local base="$T/$name.$tag" ppid
    : >"$base.mem"
    {
        echo "SELECT pg_backend_pid() \\g '$base.pid'"
        echo "SELECT extract(epoch FROM clock_timestamp()) AS t0 \\gset"
        cat "$body"
        echo "SELECT round(1000 * (extract(epoch FROM clock_timestamp()) - :t0), 1) \\g '$base.ms'"
        echo "SELECT sum(total_bytes), sum(used_bytes), count(*) FROM pg_backend_memory_contexts \\g '$base.ctx'"
        echo "SELECT string_agg(format('%s %s kB', name, total_bytes / 1024), ', ' ORDER BY total_bytes DESC) FROM (SELECT name, total_bytes FROM pg_backend_memory_contexts ORDER BY total_bytes DESC LIMIT 4) c \\g '$base.top'"
    } >"$base.sql"
    psql -X -q -At -v ON_ERROR_STOP=1 "$@" -f "$base.sql" >"$base.out" 2>"$base.err" &
    ppid=$!
    sample_mem "$base.pid" "$base.mem" "$ppid" &
    SAMPLER_PID=$!
    if ! wait "$ppid"; then cat "$base.err" >&2; die "$name run $tag failed"; fi
    wait "$SAMPLER_PID" || true
    SAMPLER_PID=""
    LAST_MS=$(cat "$base.ms")
}
# Whole milliseconds here (lib.sh prints one decimal).
fmt_list() { awk '{printf "%s%.0f", (NR > 1 ? " " : ""), $1} END {print ""}'; }
# peak over the samples of runs NAME.*: VmHWM VmRSS RssAnon (kB)
mem_peak() { cat "$T"/"$1".*.mem 2>/dev/null | awk 'NF >= 3 {if ($1 > h) h = $1; if ($2 > r) r = $2; if ($3 > a) a = $3; n++} END {printf "%d %d %d %d\n", h, r, a, n}'; }

printf '%s\n' "CALL hccraf.score_population(diagnoses => 'claims_dx', patients => 'members', payment_year => 2026, model => 'V28');" >"$T/score.sql"
cp "$HERE/population_floor.sql" "$T/floor.sql"
chmod 644 "$T"/*.sql
tidy() {  # untimed: vacuum what the run wrote (and the dead rows of the run before), checkpoint
    q -c "VACUUM $1" -c "VACUUM $2" -c "CHECKPOINT"
}

# ---------------------------------------------------------------------------------------------
section "(i) floor and (S) score_population, alternating: $WARMUP warm-up round(s) + $REPS timed rounds"
F_TIMES="" S_TIMES=""
for ((r = 1 - WARMUP; r <= REPS; r++)); do
    run_session floor "$r" "$T/floor.sql" -v CLAIMS="$CLAIMS" -v FLOOR_ELIG="$FLOOR_ELIG"
    f=$LAST_MS
    tidy floor_score floor_dx
    run_session score "$r" "$T/score.sql"
    s=$LAST_MS
    tidy hccraf.patient_hcc_score hccraf.patient_diagnosis_hcc
    if [ "$r" = 0 ]; then
        say "warm-up: (i) $f ms, (S) $s ms"
    else
        say "round $r: (i) $f ms, (S) $s ms, S/i $(awk -v a="$s" -v b="$f" 'BEGIN {printf "%.2f", a / b}')"
        F_TIMES+="$f"$'\n' S_TIMES+="$s"$'\n'
    fi
done
MED_F=$(printf '%s' "$F_TIMES" | median)
MED_S=$(printf '%s' "$S_TIMES" | median)
say "(i) floor median $MED_F ms [$(printf '%s' "$F_TIMES" | fmt_list)]"
say "(S) score_population median $MED_S ms [$(printf '%s' "$S_TIMES" | fmt_list)]"
say "score_population NOTICEs of the last round:"
awk '{l[NR] = $0} END {for (i = 1; i <= NR; i++) if (i <= 2 || i > NR - 2) print "    " l[i]; else if (i == 3) print "    ... (" NR - 4 " progress NOTICEs)"}' "$T/score.$REPS.err"
qt -c "SELECT patients, patients_scored, diagnoses_read, diagnoses_eligible, diagnoses_written, problems
       FROM hccraf.population_run ORDER BY run_id DESC LIMIT 1"
qt -c "SELECT 'hccraf' AS writer, (SELECT count(*) FROM hccraf.patient_hcc_score) AS score_rows,
              count(*) AS dx_rows, count(*) FILTER (WHERE NOT is_valid_encounter) AS ineligible_rows,
              count(*) FILTER (WHERE included_in_raf) AS included_rows
       FROM hccraf.patient_diagnosis_hcc
       UNION ALL
       SELECT 'floor (i)', (SELECT count(*) FROM floor_score), count(*), count(*) FILTER (WHERE NOT is_valid_encounter),
              count(*) FILTER (WHERE included_in_raf)
       FROM floor_dx"

# ---------------------------------------------------------------------------------------------
section "(ii) plain SQL job on $PLAIN_N patients ($PLAIN_REPS run(s))"
cp "$HERE/plain_population_v28.sql" "$T/plain.sql"
chmod 644 "$T/plain.sql"
P_TIMES=""
for ((r = 1; r <= PLAIN_REPS; r++)); do
    run_session plain "$r" "$T/plain.sql" -v CLAIMS="$CLAIMS" -v PT="$PLAIN_PT" -v DX="$PLAIN_DX"
    say "run $r: (ii) $LAST_MS ms"
    P_TIMES+="$LAST_MS"$'\n'
    if [ "$r" -lt "$PLAIN_REPS" ]; then tidy plain_score plain_dx; fi
done
MED_P=$(printf '%s' "$P_TIMES" | median)
read -r CMP_N CMP_MISMATCH CMP_HCC_DIFF < <(q -F ' ' -c "
    SELECT count(*), count(*) FILTER (WHERE p.payment_score IS DISTINCT FROM h.payment_score),
           count(*) FILTER (WHERE p.hcc_list IS DISTINCT FROM h.hcc_list)
    FROM plain_score p FULL JOIN hccraf.patient_hcc_score h USING (patient_id)
    WHERE p.patient_id IS NOT NULL")
CMP_6263202=$(q -c "SELECT count(*) FROM plain_score p JOIN hccraf.patient_hcc_score h USING (patient_id)
                    WHERE p.payment_score IS DISTINCT FROM h.payment_score AND h.hcc_list @> ARRAY['HCC202']
                      AND NOT p.hcc_list @> ARRAY['HCC202']")
say "(ii) vs score_population on $CMP_N patients: $CMP_MISMATCH payment-score mismatches ($CMP_6263202 of them the documented 62/63/202 hierarchy difference), $CMP_HCC_DIFF HCC-list differences"
if [ "$CMP_MISMATCH" != 0 ]; then
    qt -c "SELECT p.patient_id, p.segment, h.segment AS h_segment, p.payment_score, h.payment_score AS h_payment,
                  p.hcc_list, h.hcc_list AS h_hcc_list
           FROM plain_score p JOIN hccraf.patient_hcc_score h USING (patient_id)
           WHERE p.payment_score IS DISTINCT FROM h.payment_score LIMIT 5"
fi
qt -c "SELECT 'plain (ii)' AS writer, (SELECT count(*) FROM plain_score) AS score_rows, count(*) AS dx_rows,
              count(*) FILTER (WHERE NOT is_valid_encounter) AS ineligible_rows, count(*) FILTER (WHERE included_in_raf) AS included_rows
       FROM plain_dx"

# ---------------------------------------------------------------------------------------------
section "backend memory (sampled every $SAMPLE_S s from /proc/<backend pid>/status)"
read -r S_HWM S_RSS S_ANON S_NS < <(mem_peak score)
read -r F_HWM F_RSS F_ANON F_NS < <(mem_peak floor)
read -r P_HWM P_RSS P_ANON P_NS < <(mem_peak plain)
say "  session                      samples  peak VmRSS(kB)  peak RssAnon(kB)  VmHWM(kB)  memory contexts after (total/used bytes, contexts)"
for k in score floor plain; do
    case $k in score) set -- "$S_NS" "$S_RSS" "$S_ANON" "$S_HWM" "(S) score_population";;
               floor) set -- "$F_NS" "$F_RSS" "$F_ANON" "$F_HWM" "(i) floor";;
               plain) set -- "$P_NS" "$P_RSS" "$P_ANON" "$P_HWM" "(ii) plain SQL";; esac
    last=$(ls "$T"/$k.*.ctx 2>/dev/null | sort -V | tail -1)
    printf '  %-28s %7s %15s %17s %10s  %s\n' "$5" "$1" "$2" "$3" "$4" "$( [ -n "$last" ] && tr '|' '/' <"$last" || echo -)"
done
say "  per round of (S) (peak RssAnon kB / contexts after):"
for ((r = 1 - WARMUP; r <= REPS; r++)); do
    say "    round $r: $(awk 'NF >= 3 {if ($3 > a) a = $3} END {print a + 0}' "$T/score.$r.mem") / $(tr '|' '/' <"$T/score.$r.ctx"); largest contexts: $(cat "$T/score.$r.top")"
done
MEM_NOTE="score_population backend: peak RssAnon $((S_ANON / 1024)) MB, peak VmRSS $((S_RSS / 1024)) MB (VmHWM $((S_HWM / 1024)) MB; VmRSS includes touched shared buffers), memory contexts after the CALL $(awk -F'|' '{printf "%.1f MB", $1 / 1048576}' "$T/score.$REPS.ctx"); floor backend peak RssAnon $((F_ANON / 1024)) MB"

# ---------------------------------------------------------------------------------------------
if [ "$PROFILE" = 1 ]; then
    section "profile: one more CALL of score_population under auto_explain (nested statements, ANALYZE, TIMING OFF)"
    off=$(stat -c %s "$T/log")
    t=$(date +%s%N)
    q -c "LOAD 'auto_explain'" -c "SET auto_explain.log_min_duration = 0" -c "SET auto_explain.log_analyze = on" \
      -c "SET auto_explain.log_timing = off" -c "SET auto_explain.log_nested_statements = on" \
      -c "SET client_min_messages = warning" -f "$T/score.sql"
    say "CALL under auto_explain: $(( ($(date +%s%N) - t) / 1000000 )) ms; time per statement (first line of its text), summed over batches, top 15:"
    tail -c +$((off + 1)) "$T/log" | awk '
        /duration: [0-9.]+ ms  plan:/ { match($0, /duration: [0-9.]+/); d = substr($0, RSTART + 10, RLENGTH - 10) + 0; want = 1; next }
        want == 1 && /Query Text:/ { sub(/.*Query Text: */, ""); if ($0 ~ /^[ \t]*$/) { want = 2; next } }
        want == 2 && /^[ \t]*$/ { next }
        want >= 1 && !/duration:/ { k = $0; gsub(/[ \t]+/, " ", k); sub(/^ /, "", k); k = substr(k, 1, 100); t[k] += d; c[k]++; want = 0 }
        END { for (k in t) printf "%10.1f ms %7d x  %s\n", t[k], c[k], k }' | sort -rn | head -15 | sed 's/^/  /'
    if [ "$CLAIMS" = 1 ]; then
        ms=$(printf '%s\n' "SELECT extract(epoch FROM clock_timestamp()) AS t0 \\gset" \
               "SELECT count(*) FILTER (WHERE hccraf.ra_eligible(d.claim_type, d.bill_type, d.procedure_codes, d.service_date))
                FROM (SELECT * FROM claims_dx WHERE service_date >= '2025-01-01' AND service_date < '2026-01-01' LIMIT 100000) d;" \
               "SELECT round(1000 * (extract(epoch FROM clock_timestamp()) - :t0), 1);" | q | tail -1)
        say "hccraf.ra_eligible over 100,000 rows of claims_dx: $ms ms = $(awk -v m="$ms" 'BEGIN {printf "%.1f", m / 100}') us per call"
    fi
fi

# ---------------------------------------------------------------------------------------------
section "summary (N=$N, REPS=$REPS, $(nproc) CPUs, jit=off, claims_dx $DX_SIZE)"
say "  variant: $VARIANT"
awk -v f="$MED_F" -v s="$MED_S" -v p="$MED_P" -v n="$N" -v pn="$PLAIN_N" '
function row(label, v, m) { printf "  %-44s %12.1f %12.0f %10d\n", label, v, v * 1e6 / m, m }
BEGIN {
    printf "  %-44s %12s %12s %10s\n", "measurement (median)", "ms", "ns/patient", "patients"
    row("(i)  floor: read, group, write, no scoring", f, n)
    row("(S)  hccraf.score_population", s, n)
    row("(ii) plain SQL job", p, pn)
    printf "\n  %-14s %10s %10s  %s\n", "ratio", "value", "target", "verdict"
    r1 = s / f
    printf "  %-14s %10.2f %10s  %s\n", "S / (i)", r1, "<= 2", (r1 <= 2 ? "PASS" : "MISS")
    r2 = (p / pn) / (s / n)
    printf "  %-14s %10.2f %10s  %s%s\n", "(ii) / S", r2, ">= 20", (r2 >= 20 ? "PASS" : "MISS"),
           (pn < n) ? "   (per patient: (ii) on " pn " patients, S on " n ")" : ""
}'
say "  (ii) vs (S): $CMP_MISMATCH payment-score mismatches in $CMP_N patients ($CMP_6263202 explained by 62/63/202)"
say "  memory: $MEM_NOTE"
say "  total wall time $(( $(date +%s) - T0 )) s"
exit 0
