-- RxHCC V08 and ESRD V24, payment year 2026, through SQL: every reference patient of the two
-- golden files (test/fixtures, copied from ../shared/golden by tools/convert_golden.py) scored
-- with the fixture row itself as the patient row; segment, person variables (from raf_explain),
-- HCCs, interactions, raw, normalized (MA-PD, PDP, T set; ESRD dialysis/graft factor) and
-- payment scores must match exactly, and the raf_explain coefficients must add up to the raw
-- score on every row. Every count of mismatches below must be 0.
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.sorted(a text[]) RETURNS text[] LANGUAGE sql IMMUTABLE AS
$$ SELECT coalesce(array_agg(x ORDER BY x), '{}') FROM unnest(a) x $$;
CREATE FUNCTION pg_temp.bar_list(s text) RETURNS text[] LANGUAGE sql IMMUTABLE AS
$$ SELECT pg_temp.sorted(coalesce(string_to_array(nullif(s, ''), '|'), '{}')) $$;

CREATE TEMP TABLE golden_rx (patient_id text, dob date, age int, sex text, orec text, esrd int,
    low_income int, institutional int, new_enrollee int, dx text, segment text,
    demographic_vars text, hccs_after_hierarchy text, interactions text, raw_score numeric,
    normalized_score numeric, normalized_score_pdp numeric, payment_score numeric,
    raw_score_t numeric, normalized_score_t numeric, note text);
CREATE TEMP TABLE golden_esrd (patient_id text, dob date, age int, sex text, orec text,
    dual_status text, institutional int, new_enrollee int, esrd_status text,
    months_since_transplant int, dx text, segment text, graft_duration text, demographic_vars text,
    hccs_after_hierarchy text, interactions text, graft_vars text, raw_score numeric,
    normalization_factor numeric, normalized_score numeric, payment_score numeric, note text);
\copy golden_rx FROM 'test/fixtures/golden_rxhcc_v08_2026.csv' WITH (FORMAT csv, HEADER true)
\copy golden_esrd FROM 'test/fixtures/golden_esrd_v24_2026.csv' WITH (FORMAT csv, HEADER true)

-- RxHCC: 'RxHCC' = the family's payment model of 2026 (RxHCC_V08, the X set, MA-PD
-- normalization); 'RxHCC:PDP' the same raw score with the stand-alone PDP factor; 'RxHCC_V08T'
-- the T set (PACE legacy component).
CREATE TEMP TABLE scored_rx AS
SELECT g.*, hccraf.raf_score(g, string_to_array(g.dx, '|'), 'RxHCC', 2026) AS r,
       hccraf.raf_score(g, string_to_array(g.dx, '|'), 'RxHCC:PDP', 2026) AS pdp,
       hccraf.raf_score(g, string_to_array(g.dx, '|'), 'RxHCC_V08T', 2026) AS t,
       (SELECT pg_temp.sorted(array_agg(e.item)) FROM hccraf.raf_explain(g, string_to_array(g.dx, '|'), 'RxHCC', 2026) e
         WHERE e.step = 'demographic' AND e.coefficient IS NOT NULL) AS person,
       (SELECT sum(e.coefficient) FROM hccraf.raf_explain(g, string_to_array(g.dx, '|'), 'RxHCC', 2026) e) AS explained
FROM golden_rx g;
SELECT count(*) AS patients,
       count(*) FILTER (WHERE (r).model <> 'RxHCC_V08' OR (pdp).model <> 'RxHCC_V08:PDP') AS model,
       count(*) FILTER (WHERE (r).segment IS DISTINCT FROM segment OR (t).segment IS DISTINCT FROM segment) AS segment,
       count(*) FILTER (WHERE person <> pg_temp.bar_list(demographic_vars)) AS person_variables,
       count(*) FILTER (WHERE pg_temp.sorted((r).hccs) <> pg_temp.bar_list(hccs_after_hierarchy)) AS hccs,
       count(*) FILTER (WHERE pg_temp.sorted((r).interactions) <> pg_temp.bar_list(interactions)) AS interactions,
       count(*) FILTER (WHERE (r).raw_score IS DISTINCT FROM raw_score OR (pdp).raw_score IS DISTINCT FROM raw_score) AS raw,
       count(*) FILTER (WHERE (r).normalized_score IS DISTINCT FROM normalized_score) AS normalized_mapd,
       count(*) FILTER (WHERE (r).payment_score IS DISTINCT FROM payment_score) AS payment_mapd,
       count(*) FILTER (WHERE (pdp).normalized_score IS DISTINCT FROM normalized_score_pdp
                           OR (pdp).payment_score IS DISTINCT FROM normalized_score_pdp) AS pdp,
       count(*) FILTER (WHERE (t).raw_score IS DISTINCT FROM raw_score_t
                           OR (t).normalized_score IS DISTINCT FROM normalized_score_t) AS t_set,
       count(*) FILTER (WHERE explained IS DISTINCT FROM raw_score) AS explain_sum
FROM scored_rx;
SELECT patient_id, segment, (r).segment, hccs_after_hierarchy, (r).hccs, raw_score, (r).raw_score
FROM scored_rx
WHERE (r).segment IS DISTINCT FROM segment OR (r).raw_score IS DISTINCT FROM raw_score
   OR (r).payment_score IS DISTINCT FROM payment_score
LIMIT 10;

-- ESRD: 'ESRD' = ESRD_V24 in 2026. Graft variables are the explanation's graft and divisor rows.
CREATE TEMP TABLE scored_esrd AS
SELECT g.*, hccraf.raf_score(g, string_to_array(g.dx, '|'), 'ESRD', 2026) AS r,
       (SELECT pg_temp.sorted(array_agg(e.item)) FROM hccraf.raf_explain(g, string_to_array(g.dx, '|'), 'ESRD', 2026) e
         WHERE e.step = 'demographic' AND e.coefficient IS NOT NULL) AS person,
       (SELECT pg_temp.sorted(array_agg(e.item)) FROM hccraf.raf_explain(g, string_to_array(g.dx, '|'), 'ESRD', 2026) e
         WHERE e.step IN ('graft', 'divisor')) AS graft,
       (SELECT sum(e.coefficient) FROM hccraf.raf_explain(g, string_to_array(g.dx, '|'), 'ESRD', 2026) e) AS explained
FROM golden_esrd g;
SELECT count(*) AS patients,
       count(*) FILTER (WHERE (r).model <> 'ESRD_V24') AS model,
       count(*) FILTER (WHERE (r).segment IS DISTINCT FROM segment) AS segment,
       count(*) FILTER (WHERE coalesce(person, '{}') <> pg_temp.bar_list(demographic_vars)) AS person_variables,
       count(*) FILTER (WHERE coalesce(graft, '{}') <> pg_temp.bar_list(graft_vars)) AS graft_variables,
       count(*) FILTER (WHERE pg_temp.sorted((r).hccs) <> pg_temp.bar_list(hccs_after_hierarchy)) AS hccs,
       count(*) FILTER (WHERE pg_temp.sorted((r).interactions) <> pg_temp.bar_list(interactions)) AS interactions,
       count(*) FILTER (WHERE (r).raw_score IS DISTINCT FROM raw_score) AS raw,
       count(*) FILTER (WHERE (r).normalized_score IS DISTINCT FROM normalized_score) AS normalized,
       count(*) FILTER (WHERE (r).payment_score IS DISTINCT FROM payment_score) AS payment,
       count(*) FILTER (WHERE explained IS DISTINCT FROM raw_score) AS explain_sum
FROM scored_esrd;
SELECT patient_id, segment, (r).segment, raw_score, (r).raw_score, payment_score, (r).payment_score
FROM scored_esrd
WHERE (r).segment IS DISTINCT FROM segment OR (r).raw_score IS DISTINCT FROM raw_score
   OR (r).payment_score IS DISTINCT FROM payment_score
LIMIT 10;

-- The worked examples (rxhcc_v08_rules.md §16, esrd_v24_rules.md §15) with hccraf.patient_full.
-- RxHCC example 1: 0.175 + 0.248 + 0.040 + 0.214 = 0.677; / 1.194 -> 0.567; PDP / 0.887 -> 0.763.
SELECT r.segment, r.hccs, r.raw_score, r.normalized_score, r.payment_score,
       (r.raw_score, r.payment_score) = (0.677, 0.567) AS hand_ok
FROM hccraf.raf_score(ROW('1957-06-15', 'M', '0', 'non', false, false, false, false, false, NULL, NULL)::hccraf.patient_full,
                      ARRAY['E11.9', 'F32.9', 'I48.91'], 'RxHCC', 2026) r;
SELECT (hccraf.raf_score(ROW('1957-06-15', 'M', '0', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::hccraf.patient_full,
                         ARRAY['E11.9', 'F32.9', 'I48.91'], 'rxhcc:pdp', 2026)).payment_score AS pdp_0_763;
-- RxHCC example 2: 81 + 84 + 317 in CMS file order keeps RXHCC317: 0.108 + 6.280 + 0.156 = 6.544.
SELECT r.segment, r.hccs, r.raw_score, r.normalized_score
FROM hccraf.raf_score(ROW('1950-03-10', 'F', '0', NULL, false, false, false, true, false, NULL, NULL)::hccraf.patient_full,
                      ARRAY['L40.50', 'M32.9', 'L93.0'], 'RxHCC', 2026) r;
-- ESRD example 2: graft new enrollee aged 64, OREC 0, month 6: round3((0.562 + 2.529) / 0.905)
-- = 3.415; / 1.104 -> 3.093; x 0.941 -> 2.911.
SELECT r.segment, r.raw_score, r.normalized_score, r.payment_score
FROM hccraf.raf_score(ROW('1962-01-20', 'M', '0', 'non', false, true, false, NULL, NULL, 'graft', 6)::hccraf.patient_full,
                      ARRAY[]::text[], 'ESRD', 2026) r;
SELECT step, item, coefficient FROM hccraf.raf_explain(
    ROW('1962-01-20', 'M', '0', 'non', false, true, false, NULL, NULL, 'graft', 6)::hccraf.patient_full,
    ARRAY[]::text[], 'ESRD', 2026) WHERE coefficient IS NOT NULL;
-- ESRD example 1: N18.6 maps to CC136, which the ESRD model sets to 0 before the hierarchy.
SELECT hccraf.hcc_map('N18.6', 'ESRD') AS crosswalk_cc, r.hccs, r.raw_score, r.payment_score
FROM hccraf.raf_score(ROW('1955-09-30', 'F', '2', 'full', false, false, false, NULL, NULL, 'dialysis', NULL)::hccraf.patient_full,
                      ARRAY['E11.22', 'I50.22', 'N18.6'], 'ESRD', 2026) r;
SELECT hccraf.hcc_map('E11.9', 'RxHCC') AS rxhcc, hccraf.hcc_map('E10.621', 'RxHCC_V08') AS two_rxhccs;

-- Risk profiles: for every golden CMS-HCC V28 patient the chosen row is raf_score's answer, and
-- every row's coefficients add up to its raw score.
CREATE TEMP TABLE golden_v28 (patient_id text, dob date, age int, sex text, orec text,
    dual_status text, institutional int, new_enrollee int, snp_new_enrollee int, dx text,
    segment text, demographic_vars text, hccs_after_hierarchy text, interactions text,
    raw_score numeric, normalized_score numeric, payment_score numeric, note text);
\copy golden_v28 FROM 'test/fixtures/golden_v28_2026.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE profiles AS
SELECT g.patient_id, g.segment AS golden_segment, g.raw_score AS golden_raw, g.payment_score AS golden_payment, p.*
FROM golden_v28 g, hccraf.raf_risk_profiles(g, string_to_array(g.dx, '|'), 'V28', 2026) p;
SELECT count(DISTINCT patient_id) AS patients, count(*) AS rows,
       count(*) FILTER (WHERE chosen) AS chosen_rows,
       count(*) FILTER (WHERE chosen AND (segment, raw_score, payment_score)
                              IS DISTINCT FROM (golden_segment, golden_raw, golden_payment)) AS chosen_differs,
       count(*) FILTER (WHERE (SELECT coalesce(sum(c), 0) FROM unnest(demographic_coefficients || hcc_coefficients
                                                                      || interaction_coefficients) c)
                              IS DISTINCT FROM raw_score) AS coefficients_differ
FROM profiles;
-- One ESRD person (golden EH06: graft month 9, partial dual, OREC 1) in all eleven segments.
SELECT segment, chosen, demographic_variables, raw_score, normalized_score
FROM hccraf.raf_risk_profiles(ROW('1953-03-03', 'F', '1', 'partial', false, false, false, NULL, NULL, 'graft', 9)::hccraf.patient_full,
                              ARRAY['E11.22', 'I50.22'], 'ESRD', 2026);

-- Bad input: clear errors with a SQLSTATE and a hint.
\set VERBOSITY default
SELECT hccraf.raf_score(ROW('1950-01-01', 'F', '0', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::hccraf.patient_full,
                        ARRAY['E11.9'], 'ESRD', 2026);
SELECT hccraf.raf_score(ROW('1950-01-01', 'F', '0', NULL, NULL, NULL, NULL, NULL, NULL, 'graft', NULL)::hccraf.patient_full,
                        ARRAY['E11.9'], 'ESRD', 2026);
SELECT hccraf.raf_score(ROW('1950-01-01', 'F', '0', NULL, NULL, NULL, NULL, NULL, NULL, 'peritoneal', NULL)::hccraf.patient_full,
                        ARRAY['E11.9'], 'ESRD', 2026);
SELECT hccraf.raf_score(ROW('1950-01-01', 'F', '0', NULL, NULL, NULL, NULL, NULL, NULL, 'graft', 0)::hccraf.patient_full,
                        ARRAY['E11.9'], 'ESRD', 2026);
SELECT hccraf.raf_score(ROW('1950-01-01', 'F', '0', 'non', false, false, false)::hccraf.patient, ARRAY['E11.9'], 'V28:PDP');
SELECT hccraf.raf_score(ROW('1950-01-01', 'F', '0', 'non', false, false, false)::hccraf.patient, ARRAY['E11.9'], 'RxHCC:MAPD');
SELECT hccraf.raf_score(ROW('1950-01-01', 'F', '0', 'non', false, false, false)::hccraf.patient, ARRAY['E11.9'], 'RxHCC', 2025);
SELECT * FROM hccraf.raf_risk_profiles(ROW('1950-01-01', 'F', '0', 'non', false, false, false)::hccraf.patient,
                                       ARRAY['E11.9'], 'CMS-HCC', 2025);
-- The gap functions value gaps on the release's own payment score: the PDP basis is refused,
-- never silently replaced by the MA-PD one.
SELECT * FROM hccraf.hcc_gaps(ARRAY['L40.50'], '{}', model => 'RxHCC:PDP');
-- hcc_gaps under RxHCC: a woman of 75 with LIS (CE_Low_Aged) whose RXHCC81 (L40.50) is not
-- recaptured: this year F75_79 0.108 + RXHCC31 0.429 = 0.537 -> / 1.194 = 0.450; with RXHCC81
-- 6.280: 6.817 -> 5.709; the gap is worth 5.709 - 0.450 = 5.259. RXHCC31 is recaptured (0).
SELECT hcc, status, raf_delta
FROM hccraf.hcc_gaps(ARRAY['E11.9', 'L40.50'], ARRAY['E11.9'],
                     ROW('1950-03-10', 'F', '0', NULL, false, false, false, true, false, NULL, NULL)::hccraf.patient_full,
                     model => 'RxHCC');
