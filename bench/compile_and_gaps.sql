-- Image build time and the gap finder over a panel: the figures the choice of containers in the
-- image compiler and the gap paths is measured by. Run on any database with hccraf installed:
--     psql -X -f bench/compile_and_gaps.sql
-- (1) Every shipped model release is compiled 20 times (a no-op statement on the reference
--     tables retires the compiled images; the next call compiles again); the median build_ms
--     of hccraf.images, per release, and over all releases.
-- (2) suspect_list over a made-up panel of 20,000 patients with 2 years of codes (about 6 codes
--     a year each, from the V28 PY2026 crosswalk), best of 3.
SET jit = off;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE build_times (model text, payment_year int, ms float8);
DO $$
DECLARE r record;
BEGIN
    FOR k IN 1..20 LOOP
        UPDATE hccraf.model_release SET notes = notes WHERE false;  -- retires every image
        FOR r IN SELECT model_version, payment_year FROM hccraf.model_release LOOP
            PERFORM hccraf.hcc_map('E11.9', r.model_version, r.payment_year);
        END LOOP;
        INSERT INTO build_times
        SELECT model_version, payment_year, build_ms FROM hccraf.images
        WHERE location = 'local' AND model_version <> 'ICD10CM';  -- the DO block is one transaction: local images
    END LOOP;
END $$;
SELECT model, payment_year, count(*) AS builds,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2) AS median_build_ms
FROM build_times GROUP BY ROLLUP ((model, payment_year)) ORDER BY 1, 2;

DROP TABLE IF EXISTS bench_panel_dx;
CREATE TABLE bench_panel_dx AS
WITH codes AS (SELECT array_agg(DISTINCT icd10_code::text ORDER BY icd10_code::text) AS c
               FROM hccraf.hcc_crosswalk WHERE (model_version, effective_year) = ('V28', 2026))
SELECT p AS patient_id, y AS year, codes.c[1 + (p * 7919 + y * 104729 + k * 15485863) % cardinality(codes.c)] AS icd10_code
FROM codes, generate_series(1, 20000) p, generate_series(2024, 2025) y, generate_series(1, 6) k;
ANALYZE bench_panel_dx;
CREATE FUNCTION pg_temp.best_of_3(query text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE best numeric; t0 timestamptz;
BEGIN
    FOR k IN 1..3 LOOP
        t0 := clock_timestamp();
        EXECUTE query;
        best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    RETURN round(best);
END $$;
SELECT 'suspect_list, 20,000 patients' AS what,
       pg_temp.best_of_3($q$SELECT count(*) FROM hccraf.suspect_list('bench_panel_dx', 2025)$q$) AS ms,
       (SELECT count(*) FROM hccraf.suspect_list('bench_panel_dx', 2025)) AS gap_rows;
DROP TABLE bench_panel_dx;
