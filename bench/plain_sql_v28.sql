-- bench/plain_sql_v28.sql — CMS-HCC V28, payment year 2026, in plain SQL.
--
-- The baseline of measurement (d) in bench/run.sh: the way a good warehouse engineer writes the
-- V28 payment score as a mart (one CTE per step, in the style of the Tuva project's cms_hcc mart),
-- reading the same reference tables that hccraf installs (hccraf.hcc_crosswalk, hcc_edit,
-- hcc_hierarchy, hcc_interaction_member, hcc_factor, model_release). No C code is involved.
--
-- It creates (or replaces) the view plain_v28_score(id, segment, raw_score, payment_score) over
-- the table `patients` that is first in search_path:
--     patients(id int, dob date, sex char(1) 'M'/'F', orec char(1), dual_status text
--              'non'/'full'/'partial', institutional boolean, new_enrollee boolean, dx text[])
-- run.sh creates it twice: over public.patients (timing) and over bench_sample.patients (the
-- 20,000-patient sample that is compared with hccraf.raf_score).
--
-- Steps (spec: /work/shared/cms/spec/v28_rules.md):
--   1. person: age on 1 Feb 2026, DISABL, ORIGDS, Medicaid, segment (§4-§7; NE > INS > community);
--   2. dx: unnest, normalise (trim, upper, strip the dot), one row per distinct code;
--   3. edits (§8): mandatory chain (first firing edit in edit_order wins: drop or "only this CC"),
--      then MCE age edits (a firing one drops the code); a code hit by any firing edit does not
--      use the crosswalk;
--   4. crosswalk (§9): hccraf.hcc_crosswalk, V28, effective_year 2026 (one or two CCs per code);
--   5. CC223 rule (§10): CC223 only survives with CC221/222/224/225/226;
--   6. hierarchy (§11) as an anti-join: an HCC is dropped when ANY of its superiors is present.
--      APPROXIMATION: CMS's SAS applies the rules in file order on the *current* flags, so a
--      superior that was itself dropped earlier no longer drops its children. In V28 the only
--      chain where this matters is 62 -> 63 -> 202 (CC62 + CC63 + CC202: CMS keeps HCC202, this
--      anti-join drops it). Every other A -> B -> C chain has A also listing C.
--   7. interactions (§12) from hccraf.hcc_interaction_member: every term must be hit; a term is
--      hit by any member HCC, or by DISABL (age < 65 and OREC <> '0');
--   8. payment-HCC count D1..D9, D10P (§13);
--   9. demographic variables: age/sex cell, OriginallyDisabled_*, LTIMCAID, ORIGDS, and the
--      new-enrollee cell (§6, §15, including "age 64 with OREC 0 uses the 65 cell");
--  10. raw = sum of the segment's factors of all variables that are 1 (a variable only counts if
--      the segment lists it, i.e. has a row in hcc_factor); new enrollees get demographics only;
--  11. payment = round(round(raw / normalization_factor, 3) * (1 - ma_coding_adjustment), 3)
--      (PY2026: / 1.067 and x 0.941), numeric arithmetic, half-up (§16).

CREATE OR REPLACE VIEW plain_v28_score AS
WITH
release AS (
    SELECT r.normalization_factor, r.ma_coding_adjustment
    FROM hccraf.model_release r
    WHERE r.model_version = 'V28' AND r.payment_year = 2026
),
person AS (
    SELECT p.id, p.sex, p.orec, p.age, p.dx,
           p.age < 65 AND p.orec IS DISTINCT FROM '0'                     AS disabl,
           p.orec = '1' AND p.age >= 65                                   AS origds,
           lower(coalesce(p.dual_status, 'non')) IN ('full', 'partial')   AS medicaid,
           CASE
               WHEN p.new_enrollee THEN 'NE'
               WHEN p.institutional THEN 'INS'
               ELSE 'C'
                    || CASE lower(coalesce(p.dual_status, 'non'))
                           WHEN 'full' THEN 'F' WHEN 'partial' THEN 'P' ELSE 'N' END
                    || CASE WHEN p.age >= 65 THEN 'A' ELSE 'D' END
           END AS segment
    FROM (SELECT pt.id, upper(pt.sex) AS sex, pt.orec, pt.dual_status, pt.institutional,
                 pt.new_enrollee, pt.dx,
                 -- completed years on 1 February of the payment year, clamped at 0
                 greatest(0, extract(year FROM age(date '2026-02-01', pt.dob))::int) AS age
          FROM patients pt) p
),
dx AS (
    -- one row per person and distinct normalised code, with what the edits need
    SELECT DISTINCT pe.id, pe.sex, pe.age, upper(replace(btrim(c.code), '.', '')) AS icd10_code
    FROM person pe
    CROSS JOIN LATERAL unnest(pe.dx) AS c(code)
    WHERE c.code IS NOT NULL
),
fired_edit AS (
    -- every edit that fires for a (person, code): sex matches (or none) and age outside the
    -- valid range (or no range at all)
    SELECT d.id, d.icd10_code, e.edit_kind, e.edit_order, e.action, e.hcc_code
    FROM dx d
    JOIN hccraf.hcc_edit e
      ON e.icd10_code = d.icd10_code
     AND e.model_version = 'V28' AND e.payment_year = 2026
    WHERE (e.sex IS NULL OR e.sex = d.sex)
      AND ((e.age_min IS NULL AND e.age_max IS NULL) OR d.age < e.age_min OR d.age > e.age_max)
),
code_edit AS (
    SELECT f.id, f.icd10_code,
           bool_or(f.edit_kind = 'mce_age') AS mce_drop,
           -- the first mandatory edit of the chain decides: its CC, or NULL for a drop
           (array_agg(f.hcc_code ORDER BY f.edit_order) FILTER (WHERE f.edit_kind = 'mandatory'))[1]
               AS mandatory_cc
    FROM fired_edit f
    GROUP BY f.id, f.icd10_code
),
cc AS (
    SELECT d.id, x.hcc_code
    FROM dx d
    JOIN hccraf.hcc_crosswalk x
      ON x.icd10_code = d.icd10_code AND x.model_version = 'V28' AND x.effective_year = 2026
    WHERE NOT EXISTS (SELECT 1 FROM code_edit ce
                      WHERE ce.id = d.id AND ce.icd10_code = d.icd10_code)
    UNION
    SELECT ce.id, ce.mandatory_cc
    FROM code_edit ce
    WHERE NOT ce.mce_drop AND ce.mandatory_cc IS NOT NULL
),
cc_patched AS (
    SELECT c.id, c.hcc_code
    FROM cc c
    WHERE c.hcc_code <> 'HCC223'
       OR EXISTS (SELECT 1 FROM cc k
                  WHERE k.id = c.id
                    AND k.hcc_code IN ('HCC221', 'HCC222', 'HCC224', 'HCC225', 'HCC226'))
),
hcc AS (
    SELECT c.id, c.hcc_code
    FROM cc_patched c
    WHERE NOT EXISTS (
        SELECT 1
        FROM cc_patched s, hccraf.hcc_hierarchy h
        WHERE s.id = c.id
          AND h.model_version = 'V28' AND h.payment_year = 2026
          AND h.superior_hcc = s.hcc_code
          AND h.subordinate_hcc = c.hcc_code)
),
interaction_terms AS (
    SELECT m.interaction_name, count(DISTINCT m.term) AS n_terms
    FROM hccraf.hcc_interaction_member m
    WHERE m.model_version = 'V28' AND m.payment_year = 2026
    GROUP BY m.interaction_name
),
term_hit AS (
    SELECT h.id, m.interaction_name, m.term
    FROM hcc h
    JOIN hccraf.hcc_interaction_member m
      ON m.hcc_code = h.hcc_code AND m.model_version = 'V28' AND m.payment_year = 2026
    UNION
    SELECT pe.id, m.interaction_name, m.term
    FROM person pe
    JOIN hccraf.hcc_interaction_member m
      ON m.term = 'DISABL' AND m.model_version = 'V28' AND m.payment_year = 2026
    WHERE pe.disabl
),
interaction AS (
    SELECT t.id, t.interaction_name
    FROM term_hit t
    JOIN interaction_terms it ON it.interaction_name = t.interaction_name
    GROUP BY t.id, t.interaction_name, it.n_terms
    HAVING count(DISTINCT t.term) = it.n_terms
),
hcc_count AS (
    SELECT h.id, count(*) AS n_hcc
    FROM hcc h
    GROUP BY h.id
),
demographic AS (
    SELECT pe.id, pe.segment, v.variable
    FROM person pe
    CROSS JOIN LATERAL (VALUES
        -- community / institutional age-sex cell
        (pe.sex || CASE WHEN pe.age <= 34 THEN '0_34'  WHEN pe.age <= 44 THEN '35_44'
                        WHEN pe.age <= 54 THEN '45_54' WHEN pe.age <= 59 THEN '55_59'
                        WHEN pe.age <= 64 THEN '60_64' WHEN pe.age <= 69 THEN '65_69'
                        WHEN pe.age <= 74 THEN '70_74' WHEN pe.age <= 79 THEN '75_79'
                        WHEN pe.age <= 84 THEN '80_84' WHEN pe.age <= 89 THEN '85_89'
                        WHEN pe.age <= 94 THEN '90_94' ELSE '95_GT' END),
        (CASE WHEN pe.origds THEN 'OriginallyDisabled_'
                                  || CASE pe.sex WHEN 'F' THEN 'Female' ELSE 'Male' END END),
        (CASE WHEN pe.medicaid THEN 'LTIMCAID' END),
        (CASE WHEN pe.origds THEN 'ORIGDS' END),
        -- new-enrollee cell (only the NE segment lists these)
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
    -- every variable that is 1, with the person's segment
    SELECT d.id, d.segment, d.variable FROM demographic d
    UNION ALL
    SELECT pe.id, pe.segment, x.variable
    FROM (SELECT h.id, h.hcc_code AS variable FROM hcc h
          UNION ALL
          SELECT i.id, i.interaction_name FROM interaction i
          UNION ALL
          SELECT c.id, CASE WHEN c.n_hcc >= 10 THEN 'D10P' ELSE 'D' || c.n_hcc END FROM hcc_count c) x
    JOIN person pe ON pe.id = x.id
),
raw AS (
    -- a variable counts only if the segment's list has it (a row in hcc_factor)
    SELECT mv.id, sum(f.coefficient) AS raw_score
    FROM model_variable mv
    JOIN hccraf.hcc_factor f
      ON f.model_version = 'V28' AND f.payment_year = 2026
     AND f.segment = mv.segment AND f.variable = mv.variable
    GROUP BY mv.id
)
SELECT pe.id, pe.segment,
       coalesce(r.raw_score, 0) AS raw_score,
       round(round(coalesce(r.raw_score, 0) / rel.normalization_factor, 3)
             * (1 - rel.ma_coding_adjustment), 3) AS payment_score
FROM person pe
CROSS JOIN release rel
LEFT JOIN raw r ON r.id = pe.id;
