-- bench/plain_population_v28.sql — measurement (ii) of bench/population.sh: the whole
-- score_population job (V28, payment year 2026) in plain SQL over hccraf's reference tables
-- (hcc_crosswalk, hcc_edit, hcc_hierarchy, hcc_interaction_member, hcc_factor, hcc_label,
-- model_release, and ra_eligible_code / ra_eligible_bill_type for claim eligibility). No C code.
-- The scoring steps are those of bench/plain_sql_v28.sql (which matches hccraf.raf_score on a
-- 20,000-patient sample; see bench/README.md), extended to keep what each diagnosis did:
-- one warehouse-style step per temporary table, in one transaction.
--
-- psql variables: PT (patient table: patient_id uuid, dob, sex, orec, dual_status, institutional,
-- new_enrollee), DX (diagnosis table: patient_id uuid, icd10_code, service_date, encounter_id,
-- provider_npi, and with CLAIMS = 1 claim_type, bill_type, procedure_codes). Writes plain_score
-- (shaped like hccraf.patient_hcc_score) and plain_dx (shaped like hccraf.patient_diagnosis_hcc),
-- replacing the rows of payment year 2026 / V28.
--
-- Eligibility in set form (CMS encounter data filtering; the rules of hccraf.ra_eligible):
-- professional claim -> one procedure code on the service year's list; institutional -> the bill
-- type's first two digits (of the last three) in ra_eligible_bill_type, and when that type
-- requires it, one procedure code on the list. Not done here (score_population does it): the
-- checks of malformed or unknown codes and of bad claim fields (the generated data have none).
\if :CLAIMS
\set ELIG 'CASE lower(btrim(d.claim_type)) WHEN ''professional'' THEN EXISTS (SELECT 1 FROM hccraf.ra_eligible_code c WHERE c.service_year = 2025 AND c.code = ANY (d.procedure_codes)) WHEN ''institutional'' THEN EXISTS (SELECT 1 FROM hccraf.ra_eligible_bill_type b WHERE b.bill_type_prefix = substr(right(btrim(d.bill_type), 3), 1, 2) AND (NOT b.requires_procedure_filter OR EXISTS (SELECT 1 FROM hccraf.ra_eligible_code c WHERE c.service_year = 2025 AND c.code = ANY (d.procedure_codes)))) ELSE false END'
\else
\set ELIG 'true'
\endif
BEGIN;
SET LOCAL client_min_messages = warning;
DELETE FROM plain_score WHERE payment_year = 2026 AND model_version = 'V28';
DELETE FROM plain_dx WHERE payment_year = 2026 AND model_version = 'V28';

-- 1. the data-collection year's diagnosis rows, normalised, with their eligibility
CREATE TEMP TABLE pl_dx ON COMMIT DROP AS
SELECT d.patient_id, upper(replace(btrim(d.icd10_code), '.', '')) AS norm, d.service_date,
       d.encounter_id, d.provider_npi, :ELIG AS eligible
FROM :DX d
WHERE d.service_date >= date '2025-01-01' AND d.service_date < date '2026-01-01';
ANALYZE pl_dx;

-- 2. persons: age on 1 Feb 2026, DISABL, ORIGDS, Medicaid, segment
CREATE TEMP TABLE pl_person ON COMMIT DROP AS
SELECT p.patient_id, p.sex, p.orec, p.age, p.institutional,
       p.age < 65 AND p.orec IS DISTINCT FROM '0'                     AS disabl,
       p.orec = '1' AND p.age >= 65                                   AS origds,
       lower(coalesce(p.dual_status, 'non')) IN ('full', 'partial')   AS medicaid,
       CASE
           WHEN p.new_enrollee THEN 'NE'
           WHEN p.institutional THEN 'INS'
           ELSE 'C' || CASE lower(coalesce(p.dual_status, 'non')) WHEN 'full' THEN 'F' WHEN 'partial' THEN 'P' ELSE 'N' END
                    || CASE WHEN p.age >= 65 THEN 'A' ELSE 'D' END
       END AS segment
FROM (SELECT pt.patient_id, upper(pt.sex) AS sex, pt.orec, pt.dual_status, pt.institutional, pt.new_enrollee,
             greatest(0, extract(year FROM age(date '2026-02-01', pt.dob))::int) AS age
      FROM :PT pt) p;
ANALYZE pl_person;

-- 3. one row per person and distinct eligible code; edits; the CCs each code sets
CREATE TEMP TABLE pl_code_cc ON COMMIT DROP AS
WITH code AS (
    SELECT DISTINCT d.patient_id, d.norm, pe.sex, pe.age
    FROM pl_dx d JOIN pl_person pe ON pe.patient_id = d.patient_id
    WHERE d.eligible
),
fired_edit AS (
    SELECT c.patient_id, c.norm, e.edit_kind, e.edit_order, e.hcc_code
    FROM code c
    JOIN hccraf.hcc_edit e ON e.icd10_code = c.norm AND e.model_version = 'V28' AND e.payment_year = 2026
    WHERE (e.sex IS NULL OR e.sex = c.sex)
      AND ((e.age_min IS NULL AND e.age_max IS NULL) OR c.age < e.age_min OR c.age > e.age_max)
),
code_edit AS (
    SELECT f.patient_id, f.norm,
           bool_or(f.edit_kind = 'mce_age') AS mce_drop,
           (array_agg(f.hcc_code ORDER BY f.edit_order) FILTER (WHERE f.edit_kind = 'mandatory'))[1] AS mandatory_cc
    FROM fired_edit f
    GROUP BY f.patient_id, f.norm
)
SELECT c.patient_id, c.norm, x.hcc_code
FROM code c
JOIN hccraf.hcc_crosswalk x ON x.icd10_code = c.norm AND x.model_version = 'V28' AND x.effective_year = 2026
WHERE NOT EXISTS (SELECT 1 FROM code_edit ce WHERE ce.patient_id = c.patient_id AND ce.norm = c.norm)
UNION
SELECT ce.patient_id, ce.norm, ce.mandatory_cc
FROM code_edit ce
WHERE NOT ce.mce_drop AND ce.mandatory_cc IS NOT NULL;
ANALYZE pl_code_cc;

-- 4. CC223 rule, then the hierarchy (anti-join; superseded_by = a present superior)
CREATE TEMP TABLE pl_hcc ON COMMIT DROP AS
WITH cc AS (
    SELECT DISTINCT c.patient_id, c.hcc_code FROM pl_code_cc c
),
cc_patched AS (
    SELECT c.patient_id, c.hcc_code
    FROM cc c
    WHERE c.hcc_code <> 'HCC223'
       OR EXISTS (SELECT 1 FROM cc k WHERE k.patient_id = c.patient_id
                    AND k.hcc_code IN ('HCC221', 'HCC222', 'HCC224', 'HCC225', 'HCC226'))
)
SELECT c.patient_id, c.hcc_code, min(s.hcc_code) AS superseded_by
FROM cc_patched c
LEFT JOIN hccraf.hcc_hierarchy h
       ON h.model_version = 'V28' AND h.payment_year = 2026 AND h.subordinate_hcc = c.hcc_code
LEFT JOIN cc_patched s ON s.patient_id = c.patient_id AND s.hcc_code = h.superior_hcc
GROUP BY c.patient_id, c.hcc_code;
ANALYZE pl_hcc;

-- 5. interactions, payment-HCC count, demographic variables, factors -> scores
CREATE TEMP TABLE pl_score ON COMMIT DROP AS
WITH hcc AS (
    SELECT h.patient_id, h.hcc_code FROM pl_hcc h WHERE h.superseded_by IS NULL
),
interaction_terms AS (
    SELECT m.interaction_name, count(DISTINCT m.term) AS n_terms
    FROM hccraf.hcc_interaction_member m
    WHERE m.model_version = 'V28' AND m.payment_year = 2026
    GROUP BY m.interaction_name
),
term_hit AS (
    SELECT h.patient_id, m.interaction_name, m.term
    FROM hcc h
    JOIN hccraf.hcc_interaction_member m ON m.hcc_code = h.hcc_code AND m.model_version = 'V28' AND m.payment_year = 2026
    UNION
    SELECT pe.patient_id, m.interaction_name, m.term
    FROM pl_person pe
    JOIN hccraf.hcc_interaction_member m ON m.term = 'DISABL' AND m.model_version = 'V28' AND m.payment_year = 2026
    WHERE pe.disabl
),
interaction AS (
    SELECT t.patient_id, t.interaction_name
    FROM term_hit t JOIN interaction_terms it ON it.interaction_name = t.interaction_name
    GROUP BY t.patient_id, t.interaction_name, it.n_terms
    HAVING count(DISTINCT t.term) = it.n_terms
),
hcc_count AS (
    SELECT h.patient_id, count(*) AS n_hcc FROM hcc h GROUP BY h.patient_id
),
demographic AS (
    SELECT pe.patient_id, v.variable
    FROM pl_person pe
    CROSS JOIN LATERAL (VALUES
        (pe.sex || CASE WHEN pe.age <= 34 THEN '0_34'  WHEN pe.age <= 44 THEN '35_44'
                        WHEN pe.age <= 54 THEN '45_54' WHEN pe.age <= 59 THEN '55_59'
                        WHEN pe.age <= 64 THEN '60_64' WHEN pe.age <= 69 THEN '65_69'
                        WHEN pe.age <= 74 THEN '70_74' WHEN pe.age <= 79 THEN '75_79'
                        WHEN pe.age <= 84 THEN '80_84' WHEN pe.age <= 89 THEN '85_89'
                        WHEN pe.age <= 94 THEN '90_94' ELSE '95_GT' END),
        (CASE WHEN pe.origds THEN 'OriginallyDisabled_' || CASE pe.sex WHEN 'F' THEN 'Female' ELSE 'Male' END END),
        (CASE WHEN pe.medicaid THEN 'LTIMCAID' END),
        (CASE WHEN pe.origds THEN 'ORIGDS' END),
        (CASE WHEN pe.medicaid THEN 'MCAID' ELSE 'NMCAID' END
         || CASE WHEN pe.origds THEN '_ORIGDIS' ELSE '_NORIGDIS' END
         || '_NE' || pe.sex
         || CASE WHEN pe.age = 64 AND pe.orec = '0' THEN '65'
                 WHEN pe.age <= 34 THEN '0_34'  WHEN pe.age <= 44 THEN '35_44'
                 WHEN pe.age <= 54 THEN '45_54' WHEN pe.age <= 59 THEN '55_59'
                 WHEN pe.age <= 64 THEN '60_64' WHEN pe.age <= 69 THEN pe.age::text
                 WHEN pe.age <= 74 THEN '70_74' WHEN pe.age <= 79 THEN '75_79'
                 WHEN pe.age <= 84 THEN '80_84' WHEN pe.age <= 89 THEN '85_89'
                 WHEN pe.age <= 94 THEN '90_94' ELSE '95_GT' END)
    ) AS v(variable)
    WHERE v.variable IS NOT NULL
),
model_variable AS (
    SELECT d.patient_id, d.variable FROM demographic d
    UNION ALL SELECT h.patient_id, h.hcc_code FROM hcc h
    UNION ALL SELECT i.patient_id, i.interaction_name FROM interaction i
    UNION ALL SELECT c.patient_id, CASE WHEN c.n_hcc >= 10 THEN 'D10P' ELSE 'D' || c.n_hcc END FROM hcc_count c
),
part AS (
    SELECT mv.patient_id,
           sum(f.coefficient) FILTER (WHERE f.kind IN ('demographic', 'new_enrollee')) AS dem,
           sum(f.coefficient) FILTER (WHERE f.kind = 'hcc') AS dis,
           sum(f.coefficient) FILTER (WHERE f.kind IN ('interaction', 'count')) AS inter,
           sum(f.coefficient) AS raw
    FROM model_variable mv
    JOIN pl_person pe ON pe.patient_id = mv.patient_id
    JOIN hccraf.hcc_factor f ON f.model_version = 'V28' AND f.payment_year = 2026
                            AND f.segment = pe.segment AND f.variable = mv.variable
    GROUP BY mv.patient_id
),
hcc_list AS (
    SELECT h.patient_id, array_agg(h.hcc_code ORDER BY substr(h.hcc_code, 4)::int) AS hccs
    FROM hcc h GROUP BY h.patient_id
)
SELECT pe.patient_id, pe.age, pe.sex, pe.medicaid, pe.disabl, pe.institutional, pe.segment,
       coalesce(p.dem, 0) AS dem, coalesce(l.hccs, '{}') AS hccs, coalesce(p.dis, 0) AS dis,
       coalesce(p.inter, 0) AS inter, coalesce(p.raw, 0) AS raw,
       round(coalesce(p.raw, 0) / rel.normalization_factor, 3) AS normalized,
       round(round(coalesce(p.raw, 0) / rel.normalization_factor, 3) * (1 - rel.ma_coding_adjustment), 3) AS payment
FROM pl_person pe
CROSS JOIN (SELECT r.normalization_factor, r.ma_coding_adjustment FROM hccraf.model_release r
            WHERE r.model_version = 'V28' AND r.payment_year = 2026) rel
LEFT JOIN part p ON p.patient_id = pe.patient_id
LEFT JOIN hcc_list l ON l.patient_id = pe.patient_id;

-- 6. the two tables
INSERT INTO plain_score (patient_id, payment_year, data_collection_year, age, gender, medicaid_status,
       disabled_status, institutional_status, demographic_score, hcc_list, disease_score, interaction_score,
       raf_score, model_version, segment, normalized_score, payment_score)
SELECT s.patient_id, 2026, 2025, s.age, s.sex, s.medicaid, s.disabl, s.institutional, s.dem, s.hccs, s.dis,
       s.inter, s.raw, 'V28', s.segment, s.normalized, s.payment
FROM pl_score s;

INSERT INTO plain_dx (patient_id, encounter_id, icd10_code, diagnosis_date, provider_npi, hcc_code,
       hcc_description, coefficient, is_valid_encounter, included_in_raf, superseded_by_hcc,
       payment_year, model_version)
SELECT d.patient_id, d.encounter_id, left(d.norm, 10), d.service_date, left(d.provider_npi, 10), cc.hcc_code,
       l.label, f.coefficient, d.eligible,
       cc.hcc_code IS NOT NULL AND h.hcc_code IS NOT NULL AND h.superseded_by IS NULL, h.superseded_by,
       2026, 'V28'
FROM pl_dx d
JOIN pl_person pe ON pe.patient_id = d.patient_id
LEFT JOIN pl_code_cc cc ON d.eligible AND cc.patient_id = d.patient_id AND cc.norm = d.norm
LEFT JOIN pl_hcc h ON h.patient_id = cc.patient_id AND h.hcc_code = cc.hcc_code
LEFT JOIN hccraf.hcc_label l ON l.model_version = 'V28' AND l.payment_year = 2026 AND l.hcc_code = cc.hcc_code
LEFT JOIN hccraf.hcc_factor f ON f.model_version = 'V28' AND f.payment_year = 2026
                             AND f.segment = pe.segment AND f.variable = cc.hcc_code;
COMMIT;
