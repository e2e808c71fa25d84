-- Chart audit: buckets and exact values, by hand from the V28 PY2026 factors (CNA, a man of
-- 68: M65_69 0.332; normalized = round3(raw / 1.067), payment = round3(normalized x 0.941)).
SET client_min_messages = warning;
CREATE TEMP TABLE man68 AS SELECT date '1957-06-15' AS dob, 'M'::text AS sex, '0'::text AS orec, 'non'::text AS dual_status;

-- The field example: the note documents N18.30, E11.9, I50.22; only E11.9 is coded.
-- coded: 0.332 + HCC38 0.166 = 0.498 -> 0.467 -> 0.439.
-- + I50.22: + HCC226 0.360 + DIABETES_HF_V28 0.112 = 0.970 -> 0.909 -> 0.855: missed 0.416.
-- + N18.30: + HCC329 0.127 = 0.625 -> 0.586 -> 0.551: missed 0.112.
-- both: golden H01's 1.273 -> 1.193 -> 1.123: joint 0.684 (HF_KIDNEY_V28 0.176 comes with both),
-- not the sum of singles 0.528, and not "weight x rate": 0.360 + 0.127 = 0.487 raw weights.
-- E11.9 + N18.x meets the DM2_CKD specificity rule: E11.22 (HCC37, same V28 factor as HCC38): 0.
SELECT code, bucket, hcc, raf_delta, revenue_delta
FROM man68 m, hccraf.hcc_audit(ARRAY['N18.30', 'E11.9', 'I50.22'], ARRAY['E119'], m, base_rate => 11500);
SELECT codes_confirmed, codes_missed, codes_unsupported, codes_upgrade, coded_score, missed_raf,
       missed_raf_sum_of_singles, at_risk_raf, missed_revenue, model_version, payment_year_used,
       base_rate_used, score_kind
FROM man68 m, hccraf.hcc_audit_summary(ARRAY['N18.30', 'E11.9', 'I50.22'], ARRAY['E119'], m, base_rate => 11500);
-- The weight-based answer of the hosted tools, for comparison (raw CNA weights of the HCCs).
SELECT sum(coefficient) AS sum_of_weights FROM hccraf.model_factors('V28', 2026)
WHERE segment = 'CNA' AND variable IN ('HCC226', 'HCC329');

-- A missed code inside a hierarchy is worth the difference: I50.22 coded (HCC226), I50.84
-- documented too (HCC222, end-stage HF, drops 226). coded 0.332 + 0.360 = 0.692 -> 0.649 ->
-- 0.611; with I50.84: 0.332 + 2.505 = 2.837 -> 2.659 -> 2.502: 1.891 (not HCC222's 2.505).
SELECT code, bucket, hcc, raf_delta
FROM man68 m, hccraf.hcc_audit(ARRAY['I50.22', 'I50.84'], ARRAY['I50.22'], m);

-- An unsupported code whose loss moves the count variable: five HCCs (D5 0.050), M06.9 (HCC93
-- 0.617) not documented. all: 0.332 + 0.166 + 0.319 + 0.299 + 0.647 + 0.617 + D5 0.050 = 2.430
-- -> 2.277 -> 2.143; without M06.9: 1.763 (D4 0.000) -> 1.652 -> 1.555: at risk 0.588.
-- I10 maps to no payment HCC: it is listed, worth 0.
SELECT code, bucket, hcc, raf_delta
FROM man68 m, hccraf.hcc_audit(ARRAY['E11.9', 'J44.9', 'I48.91', 'G35', 'I10'],
                               ARRAY['E11.9', 'J44.9', 'I48.91', 'G35', 'M06.9', 'i10'], m);
SELECT codes_unsupported, at_risk_raf FROM man68 m,
       hccraf.hcc_audit_summary(ARRAY['E11.9', 'J44.9', 'I48.91', 'G35', 'I10'],
                                ARRAY['E11.9', 'J44.9', 'I48.91', 'G35', 'M06.9', 'i10'], m);

-- Without a patient: the default patient of hcc_gaps (a woman of 72, CNA), and no base rate.
SELECT code, bucket, raf_delta, revenue_delta FROM hccraf.hcc_audit(ARRAY['E11.9'], ARRAY['e11.9 ']);

-- Property over the golden V28 patients: with one code removed from the coded list, hcc_audit
-- calls it missed and values it at raf_score(all) - raf_score(without it), exactly.
CREATE TEMP TABLE golden_v28 (patient_id text, dob date, age int, sex text, orec text,
    dual_status text, institutional int, new_enrollee int, snp_new_enrollee int, dx text,
    segment text, demographic_vars text, hccs_after_hierarchy text, interactions text,
    raw_score numeric, normalized_score numeric, payment_score numeric, note text);
\copy golden_v28 FROM 'test/fixtures/golden_v28_2026.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE cases AS
SELECT g.*, c.code, ARRAY(SELECT DISTINCT hccraf._audit_code(x) FROM unnest(string_to_array(g.dx, '|')) x
                          WHERE hccraf._audit_code(x) ~ '^[A-Z][0-9A-Z]{2,6}$') AS codes
FROM golden_v28 g
CROSS JOIN LATERAL (SELECT DISTINCT hccraf._audit_code(x) AS code FROM unnest(string_to_array(g.dx, '|')) x
                    WHERE hccraf._audit_code(x) ~ '^[A-Z][0-9A-Z]{2,6}$') c;
SELECT count(*) AS cases,
       count(*) FILTER (WHERE a.bucket IS DISTINCT FROM 'missed') AS wrong_bucket,
       count(*) FILTER (WHERE a.raf_delta IS DISTINCT FROM
                              (hccraf.raf_score(k, k.codes)).payment_score
                              - (hccraf.raf_score(k, array_remove(k.codes, k.code))).payment_score) AS wrong_value
FROM cases k
CROSS JOIN LATERAL (SELECT x.bucket, x.raf_delta FROM hccraf.hcc_audit(k.codes, array_remove(k.codes, k.code), k) x
                    WHERE x.code = k.code) a;

-- The work list: a table of (encounter, code, source) rows, every encounter audited, by value.
CREATE TEMP TABLE chart (encounter_id text, code text, source text);
INSERT INTO chart VALUES ('enc-1', 'N18.30', 'documented'), ('enc-1', 'E11.9', 'documented'),
                         ('enc-1', 'I50.22', 'documented'), ('enc-1', 'E11.9', 'coded'),
                         ('enc-2', 'I50.22', 'documented'), ('enc-2', 'I50.84', 'documented'),
                         ('enc-2', 'I50.22', 'coded'), ('enc-2', 'F32.9', 'coded');
SELECT encounter_id, code, bucket, hcc, raf_delta FROM hccraf.hcc_audit_worklist('chart');
INSERT INTO chart VALUES ('enc-3', 'E11.9', 'billed');
SELECT * FROM hccraf.hcc_audit_worklist('chart');
-- A call is bounded: more than 1,000 distinct codes is refused (each code costs a scoring).
SELECT count(*) FROM hccraf.hcc_audit(ARRAY(SELECT 'Z' || lpad(i::text, 6, '0') FROM generate_series(1, 1001) i), '{}');
