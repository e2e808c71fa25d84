-- How long each function takes with 1,000,000 codes in one call (the safety issue: every loop
-- over the caller's codes is O(n log n) and checks for interrupts). Run on any database with
-- hccraf installed (e.g. a `KEEP=1 bench/run.sh` cluster):
--     psql -X -f bench/million_codes.sql
-- The codes: 500,000 distinct well-formed codes that no crosswalk knows, and 500,000 codes that
-- cycle through all 8,019 codes of the V28 PY2026 crosswalk (so both the "every code distinct"
-- and the "many duplicates" paths are exercised). hcc_map takes one code per call: it is timed
-- over 1,000,000 calls. suspect_list reads a table of 1,000,000 diagnosis rows of one patient.
-- Each line: the function, the milliseconds of the best of 3 runs (jit off, serial).
SET jit = off;
SET max_parallel_workers_per_gather = 0;
DROP TABLE IF EXISTS bench_million, bench_million_dx;
CREATE TABLE bench_million AS
WITH crosswalk AS (SELECT array_agg(DISTINCT icd10_code::text ORDER BY icd10_code::text) AS c
                   FROM hccraf.hcc_crosswalk WHERE (model_version, effective_year) = ('V28', 2026))
SELECT array_agg(CASE WHEN i % 2 = 0 THEN crosswalk.c[1 + (i / 2) % cardinality(crosswalk.c)]
                      ELSE 'Z' || lpad(i::text, 6, '0') END) AS dx
FROM crosswalk, generate_series(1, 1000000) i;
CREATE TABLE bench_million_dx AS
SELECT 1 AS patient_id, 2024 + i % 2 AS year, d AS icd10_code
FROM bench_million, unnest(dx) WITH ORDINALITY AS u(d, i);
ANALYZE bench_million_dx;
CREATE TEMP TABLE bench_person AS SELECT 72 AS age, 'F'::text AS sex;

CREATE FUNCTION pg_temp.best_of_3(query text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE best numeric; t0 timestamptz; ms numeric;
BEGIN
    FOR k IN 1..3 LOOP
        t0 := clock_timestamp();
        EXECUTE query;
        ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
        best := least(best, ms);
    END LOOP;
    RETURN round(best);
END $$;

SELECT f AS function, pg_temp.best_of_3(q) AS ms FROM (VALUES
  ('hcc_map (1,000,000 calls)',
   $q$SELECT count(hccraf.hcc_map(d)) FROM bench_million, unnest(dx) d$q$),
  ('raf_score',
   $q$SELECT (hccraf.raf_score(p, m.dx)).payment_score FROM bench_million m, bench_person p$q$),
  ('raf_payment_score (row)',
   $q$SELECT hccraf.raf_payment_score(p, m.dx) FROM bench_million m, bench_person p$q$),
  ('raf_payment_score (columns)',
   $q$SELECT hccraf.raf_payment_score('1953-06-01'::date, 'F', '0', 'non', false, false, false, m.dx) FROM bench_million m$q$),
  ('raf_explain',
   $q$SELECT count(*) FROM bench_million m, bench_person p, hccraf.raf_explain(p, m.dx)$q$),
  ('hcc_gaps (1,000,000 prior + 500,000 current)',
   $q$SELECT count(*) FROM bench_million m, bench_person p, hccraf.hcc_gaps(m.dx, m.dx[500001:1000000], p)$q$),
  ('hcc_gap_summary (same)',
   $q$SELECT count(*) FROM bench_million m, bench_person p, hccraf.hcc_gap_summary(m.dx, m.dx[500001:1000000], p)$q$),
  ('hcc_specificity',
   $q$SELECT count(*) FROM bench_million m, bench_person p, hccraf.hcc_specificity(m.dx, p)$q$),
  ('suspect_list (1,000,000 diagnosis rows)',
   $q$SELECT count(*) FROM hccraf.suspect_list('bench_million_dx', 2025)$q$)
) AS t(f, q);

DROP TABLE bench_million, bench_million_dx;
