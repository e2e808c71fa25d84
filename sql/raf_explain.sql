-- raf_explain: every factor and decision, one row each.
-- Worked example 1 (CNA, diabetes + CKD 3 + heart failure) with a malformed code, an invented
-- code and a valid code without HCC.
SELECT model_version, step, item, detail, coefficient
FROM hccraf.raf_explain(ROW('1957-06-15', 'M', '0', 'non', false, false, false)::hccraf.patient,
                        ARRAY['E11.9', 'N18.30', 'I50.22', 'not-a-code', 'Z99.999', 'I10']);
-- Worked example 2: the edits say what they changed.
SELECT step, item, detail, coefficient
FROM hccraf.raf_explain(ROW('1980-08-20', 'F', '1', 'full', false, false, false)::hccraf.patient,
                        ARRAY['C50.911', 'D66', 'E11.9', 'C93.30'])
WHERE step IN ('diagnosis', 'edit', 'hierarchy', 'hcc');
-- Worked example 3: the hierarchy says which HCC dropped which.
SELECT step, item, detail
FROM hccraf.raf_explain(ROW('1953-10-05', 'F', '0', 'non', false, false, false)::hccraf.patient,
                        ARRAY['Z94.4', 'K72.11', 'R40.20'])
WHERE step IN ('hierarchy', 'hcc', 'cc223');
-- CC223 (heart assist device) without CC221/222/224/225/226 is removed before the hierarchy;
-- with I50.22 (CC226) it stays and its hierarchy rule drops HCC226.
SELECT step, item, detail
FROM hccraf.raf_explain(ROW('1953-10-05', 'F', '0', 'non', false, false, false)::hccraf.patient,
                        ARRAY['Z95.811'])
WHERE step IN ('diagnosis', 'cc223', 'hierarchy', 'hcc');
SELECT step, item, detail
FROM hccraf.raf_explain(ROW('1953-10-05', 'F', '0', 'non', false, false, false)::hccraf.patient,
                        ARRAY['Z95.811', 'I50.22'])
WHERE step IN ('diagnosis', 'cc223', 'hierarchy', 'hcc');
-- PY2025 blend: both models, then the blend and one MA coding adjustment.
SELECT model_version, step, item, detail, coefficient
FROM hccraf.raf_explain(ROW('1957-06-15', 'M', '0', 'non', false, false, false)::hccraf.patient,
                        ARRAY['E11.9', 'N18.30', 'I50.22'], 'CMS-HCC', 2025)
WHERE step IN ('raw', 'normalization', 'blend', 'ma_adjustment');
-- For every golden patient and every model, the coefficients add up to raf_score's raw score.
CREATE TEMP TABLE g (patient_id text, dob date, age int, sex text, orec text,
    dual_status text, institutional int, new_enrollee int, snp_new_enrollee int, dx text,
    segment text, demographic_vars text, hccs_after_hierarchy text, interactions text,
    raw_score numeric, normalized_score numeric, payment_score numeric, note text);
\copy g FROM 'test/fixtures/golden_v28_2026.csv' WITH (FORMAT csv, HEADER true)
SELECT m, count(*) AS patients,
       count(*) FILTER (WHERE (SELECT sum(coefficient) FROM hccraf.raf_explain(g, string_to_array(g.dx, '|'), m, 2026))
                              IS DISTINCT FROM (hccraf.raf_score(g, string_to_array(g.dx, '|'), m, 2026)).raw_score) AS mismatches
FROM g, unnest(ARRAY['V24', 'V28']) m GROUP BY m ORDER BY m;
