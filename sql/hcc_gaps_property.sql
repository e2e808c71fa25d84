-- The gap property over the golden patients: for every reference patient of
-- test/fixtures (the same files as sql/golden.sql) and every HCC its codes set, removing that
-- HCC's codes and asking hcc_gaps(all, without) gives exactly
--     raf_score(all) - raf_score(without)
-- (payment score for V28 PY2026, raw score for V24 PY2026, which has no payment role), where
-- raf_score is computed independently by raf_score. The HCC's codes are the prior_codes that
-- hcc_gaps(all, {}) reports for it (after the person's age/sex edits). Every query below must
-- print 0 mismatches. Then the companion: closed_score = the golden payment score and
-- joint_delta = raf_score(all) - raf_score({}).
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.without(dx text[], codes text[]) RETURNS text[] LANGUAGE sql IMMUTABLE AS
$$ SELECT coalesce(array_agg(c), '{}') FROM unnest(dx) c
   WHERE upper(replace(btrim(c), '.', '')) <> ALL (SELECT replace(x, '.', '') FROM unnest(codes) x) $$;

CREATE TEMP TABLE golden_v28 (patient_id text, dob date, age int, sex text, orec text,
    dual_status text, institutional int, new_enrollee int, snp_new_enrollee int, dx text,
    segment text, demographic_vars text, hccs_after_hierarchy text, interactions text,
    raw_score numeric, normalized_score numeric, payment_score numeric, note text);
CREATE TEMP TABLE golden_v24 (LIKE golden_v28);
\copy golden_v28 FROM 'test/fixtures/golden_v28_2026.csv' WITH (FORMAT csv, HEADER true)
\copy golden_v24 FROM 'test/fixtures/golden_v24_2026.csv' WITH (FORMAT csv, HEADER true)

-- V28 PY2026: one case per (patient, HCC set by the patient's codes before the hierarchy).
CREATE TEMP TABLE cases_v28 AS
SELECT g.patient_id, x.hcc, x.prior_codes, string_to_array(g.dx, '|') AS all_dx,
       pg_temp.without(string_to_array(g.dx, '|'), x.prior_codes) AS without_dx
FROM golden_v28 g CROSS JOIN LATERAL hccraf.hcc_gaps(string_to_array(g.dx, '|'), NULL, g, 'V28', 2026) x;
CREATE TEMP TABLE checked_v28 AS
SELECT c.*, x.status, x.raf_delta,
       (hccraf.raf_score(g, c.all_dx, 'V28', 2026)).payment_score
     - (hccraf.raf_score(g, c.without_dx, 'V28', 2026)).payment_score AS expected
FROM cases_v28 c JOIN golden_v28 g USING (patient_id)
LEFT JOIN LATERAL hccraf.hcc_gaps(c.all_dx, c.without_dx, g, 'V28', 2026) x ON x.hcc = c.hcc;
SELECT (SELECT count(*) FROM golden_v28) AS patients,
       count(DISTINCT patient_id) AS patients_with_hccs,
       count(*) AS patient_hccs_checked,
       count(*) FILTER (WHERE raf_delta IS DISTINCT FROM expected) AS mismatches,
       count(*) FILTER (WHERE raf_delta <> 0) AS nonzero_deltas,
       count(*) FILTER (WHERE status = 'gap') AS gap,
       count(*) FILTER (WHERE status = 'downgraded') AS downgraded,
       count(*) FILTER (WHERE status = 'superseded') AS superseded,
       count(*) FILTER (WHERE status NOT IN ('gap', 'downgraded', 'superseded')) AS other_status
FROM checked_v28;
SELECT patient_id, hcc, prior_codes, status, raf_delta, expected
FROM checked_v28 WHERE raf_delta IS DISTINCT FROM expected ORDER BY 1, 2 LIMIT 10;

-- V24 on the PY2026 crosswalk (no payment role: raw-score deltas).
CREATE TEMP TABLE cases_v24 AS
SELECT g.patient_id, x.hcc, x.prior_codes, string_to_array(g.dx, '|') AS all_dx,
       pg_temp.without(string_to_array(g.dx, '|'), x.prior_codes) AS without_dx
FROM golden_v24 g CROSS JOIN LATERAL hccraf.hcc_gaps(string_to_array(g.dx, '|'), NULL, g, 'V24', 2026) x;
CREATE TEMP TABLE checked_v24 AS
SELECT c.*, x.status, x.score_kind, x.raf_delta,
       (hccraf.raf_score(g, c.all_dx, 'V24', 2026)).raw_score
     - (hccraf.raf_score(g, c.without_dx, 'V24', 2026)).raw_score AS expected
FROM cases_v24 c JOIN golden_v24 g USING (patient_id)
LEFT JOIN LATERAL hccraf.hcc_gaps(c.all_dx, c.without_dx, g, 'V24', 2026) x ON x.hcc = c.hcc;
SELECT (SELECT count(*) FROM golden_v24) AS patients,
       count(DISTINCT patient_id) AS patients_with_hccs,
       count(*) AS patient_hccs_checked,
       count(*) FILTER (WHERE raf_delta IS DISTINCT FROM expected) AS mismatches,
       count(*) FILTER (WHERE raf_delta <> 0) AS nonzero_deltas,
       count(*) FILTER (WHERE score_kind <> 'raw') AS not_raw
FROM checked_v24;
SELECT patient_id, hcc, prior_codes, status, raf_delta, expected
FROM checked_v24 WHERE raf_delta IS DISTINCT FROM expected ORDER BY 1, 2 LIMIT 10;

-- The companion on every V28 patient: all codes as the gap list, nothing current.
CREATE TEMP TABLE summary_v28 AS
SELECT g.patient_id, g.payment_score, s.*,
       (hccraf.raf_score(g, '{}'::text[], 'V28', 2026)).payment_score AS empty_score
FROM golden_v28 g CROSS JOIN LATERAL hccraf.hcc_gap_summary(string_to_array(g.dx, '|'), NULL, g, 'V28', 2026) s;
SELECT count(*) AS patients,
       count(*) FILTER (WHERE closed_score IS DISTINCT FROM payment_score) AS closed_mismatches,
       count(*) FILTER (WHERE current_score IS DISTINCT FROM empty_score) AS current_mismatches,
       count(*) FILTER (WHERE joint_delta IS DISTINCT FROM payment_score - empty_score) AS joint_mismatches,
       count(*) FILTER (WHERE joint_delta <> sum_of_single_deltas) AS joint_differs_from_sum
FROM summary_v28;
