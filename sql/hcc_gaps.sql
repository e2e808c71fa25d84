-- Recapture gaps: hcc_gaps, hcc_gap_summary, hcc_specificity, suspect_list.
--
-- Every expected value below is computed by hand from data/V28/2026/factors.csv and
-- data/releases.csv (V28 PY2026: normalization factor 1.067, MA coding adjustment 0.059):
--     payment(raw) = round3(round3(raw / 1.067) x 0.941)          (half-up at each step)
-- The default patient (no patient row) is female, age 72, community, non-dual, OREC 0:
-- segment CNA, demographic factor F70_74 = 0.395. CNA factors used: HCC38 0.166, HCC37 0.166,
-- HCC48 0.186, HCC93 0.617, HCC155 0.299, HCC226 0.360, HCC280 0.319, HCC326 0.815,
-- HCC327 0.514, HCC329 0.127, DIABETES_HF_V28 0.112, HF_CHR_LUNG_V28 0.078, HF_KIDNEY_V28 0.176,
-- D1..D4 0.000, D5 0.050. Payments used more than once:
--     payment(0.395) = round3(0.370197 = 0.370 x 0.941 = 0.348170) = 0.348   (no HCC)
--     payment(0.561) = round3(0.525773 -> 0.526 x 0.941 = 0.494966) = 0.495   (HCC38)
SET client_min_messages = warning;
\pset null '(null)'

-- 1. A simple gap. Last year E11.9 + J44.9 (COPD, HCC280); this year only E11.9.
--    current  0.395 + 0.166                  = 0.561 -> 0.495
--    closed   0.395 + 0.166 + 0.319 (D2 = 0) = 0.880 -> 0.880/1.067 = 0.824742 -> 0.825
--             x 0.941 = 0.776325 -> 0.776
--    raf_delta(HCC280) = 0.776 - 0.495 = 0.281
SELECT hcc, label, status, prior_codes, current_codes, raf_delta, revenue_delta, score_kind,
       segment, patient_basis
FROM hccraf.hcc_gaps(ARRAY['E11.9', 'J44.9'], ARRAY['E11.9']);

-- 2. A gap inside a hierarchy: last year CKD stage 4 (N18.4, HCC327 0.514), this year only
--    stage 3 (N18.30, HCC329 0.127). HCC327 drops HCC329, so closing is worth the difference:
--    current  0.395 + 0.127 = 0.522 -> 0.489222 -> 0.489 x 0.941 = 0.460149 -> 0.460
--    closed   0.395 + 0.514 = 0.909 -> 0.851921 -> 0.852 x 0.941 = 0.801732 -> 0.802
--    raf_delta(HCC327) = 0.802 - 0.460 = 0.342   (not the 0.514 of HCC327 alone)
SELECT hcc, status, prior_codes, current_codes, related_hccs, raf_delta, detail
FROM hccraf.hcc_gaps(ARRAY['N18.4'], ARRAY['N18.30']);
--    ... and the other way round: this year's HCC327 supersedes last year's HCC329 (worth 0).
SELECT hcc, status, related_hccs, raf_delta, detail
FROM hccraf.hcc_gaps(ARRAY['N18.30'], ARRAY['N18.4']);

-- 3. A gap that completes an interaction: last year E11.9 + I50.22 (HCC226), this year E11.9.
--    current  0.561 -> 0.495
--    closed   0.395 + 0.166 + 0.360 + DIABETES_HF_V28 0.112 (D2 = 0) = 1.033
--             -> 0.968135 -> 0.968 x 0.941 = 0.910888 -> 0.911
--    raf_delta(HCC226) = 0.911 - 0.495 = 0.416
SELECT hcc, status, raf_delta FROM hccraf.hcc_gaps(ARRAY['E11.9', 'I50.22'], ARRAY['E11.9']);

-- 4. A gap that moves the count variable: four payment HCCs this year (HCC38 E11.9, HCC48
--    E66.01, HCC93 M06.9, HCC280 J44.9; no interaction among them), last year also F33.1
--    (HCC155). Closing it adds HCC155 and turns D4 (0.000) into D5 (0.050):
--    current  0.395 + 0.166 + 0.186 + 0.617 + 0.319 = 1.683 -> 1.577320 -> 1.577
--             x 0.941 = 1.483957 -> 1.484
--    closed   1.683 + 0.299 + D5 0.050 = 2.032 -> 1.904405 -> 1.904 x 0.941 = 1.791664 -> 1.792
--    raf_delta(HCC155) = 1.792 - 1.484 = 0.308
SELECT hcc, status, raf_delta
FROM hccraf.hcc_gaps(ARRAY['E11.9', 'E66.01', 'M06.9', 'J44.9', 'F33.1'],
                     ARRAY['E11.9', 'E66.01', 'M06.9', 'J44.9']);
SELECT hccs, interactions FROM hccraf.raf_score(ROW('1953-06-01', 'F', '0', 'non', false, false, false)::hccraf.patient,
                                                ARRAY['E11.9', 'E66.01', 'M06.9', 'J44.9', 'F33.1']);

-- 5. Every status at once. Last year: E11.22 (HCC37), N18.4 (HCC327), J44.9 (HCC280),
--    I50.22 (HCC226). This year: E11.9 (HCC38), N18.5 (HCC326), J44.9, F33.1 (HCC155).
--      HCC37  downgraded (this year only the milder HCC38): closing it swaps HCC38 for HCC37,
--             both 0.166 in V28, DIABETES_HF needs HF either way -> raf_delta 0.000
--      HCC38  new (related: last year's HCC37)
--      HCC327 superseded by this year's HCC326 -> 0.000;   HCC326 upgraded (related HCC327)
--      HCC280 recaptured;   HCC155 new
--      HCC226 gap: current 0.395 + 0.166 + 0.815 + 0.319 + 0.299 (D4 0) = 1.994
--                  -> 1.868791 -> 1.869 x 0.941 = 1.758729 -> 1.759
--             closed 1.994 + 0.360 + DIABETES_HF 0.112 + HF_CHR_LUNG 0.078 + HF_KIDNEY 0.176
--                  + D5 0.050 = 2.770 -> 2.596064 -> 2.596 x 0.941 = 2.442836 -> 2.443
--             raf_delta = 2.443 - 1.759 = 0.684
SELECT hcc, status, prior_codes, current_codes, related_hccs, raf_delta
FROM hccraf.hcc_gaps(ARRAY['E11.22', 'N18.4', 'J44.9', 'I50.22'],
                     ARRAY['E11.9', 'N18.5', 'J44.9', 'F33.1'])
ORDER BY substr(hcc, 4)::int;
--    A prior HCC dropped by the prior's own hierarchy is "superseded": its superior is the gap.
SELECT hcc, status, related_hccs, detail FROM hccraf.hcc_gaps(ARRAY['E11.22', 'E11.9'], NULL);

-- 6. The companion: last year E11.9 + I50.22, nothing yet this year (default patient).
--    single deltas: HCC38  payment(0.561) - 0.348 = 0.495 - 0.348 = 0.147
--                   HCC226 0.395 + 0.360 = 0.755 -> 0.707591 -> 0.708 x 0.941 = 0.666228
--                          -> 0.666 - 0.348 = 0.318          sum = 0.465
--    joint: 1.033 (case 3) -> 0.911 - 0.348 = 0.563 (the interaction is only in the joint)
SELECT hcc, raf_delta FROM hccraf.hcc_gaps(ARRAY['E11.9', 'I50.22'], ARRAY[]::text[]);
SELECT model_version, segment, score_kind, current_score, closed_score, joint_delta,
       sum_of_single_deltas, open_gaps, current_hccs, closed_hccs, annual_base_rate,
       current_revenue, closed_revenue, revenue_delta
FROM hccraf.hcc_gap_summary(ARRAY['E11.9', 'I50.22'], ARRAY[]::text[]);

-- 7. Revenue: never from an undocumented constant. No base rate -> NULL (above). The setting:
--    11000.00 $/RAF: 0.563 x 11000 = 6193.00; 0.348 x 11000 = 3828.00; 0.911 x 11000 = 10021.00.
SET hccraf.base_rate = 11000;
SELECT annual_base_rate, current_revenue, closed_revenue, revenue_delta
FROM hccraf.hcc_gap_summary(ARRAY['E11.9', 'I50.22'], ARRAY[]::text[]);
--    The argument overrides it: 0.281 x 1234.56 = 346.91136 -> 346.91.
SELECT hcc, raf_delta, revenue_delta
FROM hccraf.hcc_gaps(ARRAY['E11.9', 'J44.9'], ARRAY['E11.9'], base_rate => 1234.56);
--    Half away from zero to the cent: 0.342 x 2.50 = 0.855 -> 0.86.
SELECT hcc, raf_delta, revenue_delta
FROM hccraf.hcc_gaps(ARRAY['N18.4'], ARRAY['N18.30'], base_rate => 2.50) WHERE status = 'downgraded';
RESET hccraf.base_rate;
SELECT hccraf.hcc_gaps(ARRAY['E11.9'], NULL, base_rate => -1);

-- 8. A patient row instead of the default: a full-benefit dual man aged 80 (segment CFA:
--    M80_84 0.789, HCC38 0.186, HCC226 0.406, DIABETES_HF_V28 0.183, D1/D2 0.000).
--    current  0.789 + 0.186 = 0.975 -> 0.913777 -> 0.914 x 0.941 = 0.860074 -> 0.860
--    closed   0.975 + 0.406 + 0.183 = 1.564 -> 1.465792 -> 1.466 x 0.941 = 1.379506 -> 1.380
--    raf_delta(HCC226) = 1.380 - 0.860 = 0.520
SELECT g.hcc, g.status, g.raf_delta, g.segment, g.patient_basis
FROM (SELECT date '1945-06-01' AS dob, 'M' AS sex, 'full' AS dual_status) p,
     hccraf.hcc_gaps(ARRAY['E11.9', 'I50.22'], ARRAY['E11.9'], p) g;

-- 9. Specificity upgrades. E11.9 + N18.30 -> E11.22: HCC38 becomes HCC37, both 0.166 in V28:
--    0.395 + 0.166 + 0.127 = 0.688 before and after -> raf_delta 0.000 under V28 (the note
--    says so). Under V24 PY2026 (no payment role: raw score) HCC19 0.105 becomes HCC18 0.302:
--    raf_delta = 0.302 - 0.105 = 0.197.
SELECT rule_id, evidence_codes, replaced_codes, suggested_codes, hccs_before, hccs_after,
       raf_delta, score_kind, note
FROM hccraf.hcc_specificity(ARRAY['E11.9', 'N18.30']);
SELECT rule_id, hccs_before, hccs_after, raf_delta, score_kind, note
FROM hccraf.hcc_specificity(ARRAY['E11.9', 'N18.30'], model => 'V24', payment_year => 2026);
--    Hypertension: I10 + I50.22 -> I11.0 (HTN_HF; I11.0 and I50.22 both map to HCC226: 0.000),
--    I10 + N18.5 -> I12.0, I10 + I50.22 + N18.4 -> I13.0 only (the I12/I11 rules yield).
SELECT rule_id, suggested_codes, raf_delta FROM hccraf.hcc_specificity(ARRAY['I10', 'I50.22']);
SELECT rule_id, suggested_codes, raf_delta FROM hccraf.hcc_specificity(ARRAY['I10', 'N18.5']);
SELECT rule_id, suggested_codes, raf_delta FROM hccraf.hcc_specificity(ARRAY['I10', 'I50.22', 'N18.4']);
--    Nothing to suggest when the combination code is already there, or without a combination.
SELECT count(*) FROM hccraf.hcc_specificity(ARRAY['E11.22', 'N18.30']);
SELECT count(*) FROM hccraf.hcc_specificity(ARRAY['E11.9', 'I10']);
--    The shipped rules: every suggested code is a billable FY2026 ICD-10-CM code, every rule
--    cites a section of the ICD-10-CM Official Guidelines.
SELECT r.rule_id, r.requires, r.unless_present, r.replaces, r.suggest,
       r.guideline_reference ~ 'Section I\.[AC]\.' AS cites_guideline,
       bool_and(c.billable IS TRUE) AS suggest_billable_fy2026
FROM hccraf.specificity_rule r
CROSS JOIN unnest(r.suggest) s(code)
LEFT JOIN hccraf.icd10cm_code c ON c.fiscal_year = 2026 AND c.code = s.code
GROUP BY r.rule_id ORDER BY r.rule_id;
--    Rules are data: a user rule applies at once (and is dumped by pg_dump: shipped = false).
BEGIN;
INSERT INTO hccraf.specificity_rule (rule_id, requires, replaces, suggest, reason, guideline_reference)
VALUES ('LOCAL_DM2_HYPERGLYCEMIA', '{E119,R739}', '{E119,R739}', '{E1165}',
        'Type 2 diabetes with documented hyperglycemia.', 'Section I.A.15');
SELECT rule_id, suggested_codes, raf_delta FROM hccraf.hcc_specificity(ARRAY['E11.9', 'R73.9']);
ROLLBACK;
INSERT INTO hccraf.specificity_rule (rule_id, requires, suggest, reason, guideline_reference)
VALUES ('BAD', '{E11}', '{N18*}', 'x', 'y');

-- 10. The panel form: the pre-visit suspect list of a small diagnosis table, sorted by value.
CREATE TABLE visit_dx (patient_id int, service_date date, icd10_code text);
INSERT INTO visit_dx VALUES
    (1, '2024-03-01', 'E11.9'), (1, '2024-03-01', 'I50.22'), (1, '2025-02-11', 'E11.9'),
    (2, '2024-05-20', 'N18.4'), (2, '2025-04-02', 'N18.30'),
    (3, '2024-07-07', 'J44.9'), (3, '2024-07-07', 'E11.9'), (3, '2025-01-15', 'E11.9'),
    (4, '2023-01-01', 'C78.00'), (4, '2025-06-30', 'E11.9');
CREATE TABLE members (patient_id int, dob date, sex text, dual_status text);
INSERT INTO members VALUES (1, '1945-06-01', 'M', 'full');
--    patient 1 (row: CFA, case 8) 0.520; 3 (default, case 1) 0.281; 2 (case 2) 0.342;
--    patient 4's 2023 cancer is outside the two years: not listed.
SELECT * FROM hccraf.suspect_list('visit_dx', 2025, patients => 'members', payment_year => 2026,
                                  base_rate => 11000);
SELECT * FROM hccraf.suspect_list('visit_dx', 2025, model => 'V28', payment_year => 2026) LIMIT 1;
CREATE TABLE bad_dx (who int, code text);
SELECT * FROM hccraf.suspect_list('bad_dx', 2025);
DROP TABLE visit_dx, members, bad_dx;

-- 11. Edges: NULL lists are empty lists; duplicates and spellings count once; NULL model or
--     year gives no rows; a blend year is refused with a hint; CMS-HCC 2026 is V28 alone.
SELECT count(*) FROM hccraf.hcc_gaps(NULL, NULL);
SELECT hcc, status, prior_codes FROM hccraf.hcc_gaps(ARRAY['E11.9', 'e119', ' E11.9 ', NULL], ARRAY['E11.9']);
SELECT count(*) FROM hccraf.hcc_gaps(ARRAY['E11.9'], NULL, model => NULL);
SELECT * FROM hccraf.hcc_gaps(ARRAY['E11.9'], NULL, model => 'CMS-HCC', payment_year => 2025);
SELECT hcc, raf_delta FROM hccraf.hcc_gaps(ARRAY['E11.9'], NULL, model => 'CMS-HCC', payment_year => 2026);
SET hccraf.unknown_code_action = 'warning';
SELECT hcc FROM hccraf.hcc_gaps(ARRAY['E11.9', 'Z99.999'], ARRAY['not a code']);
RESET hccraf.unknown_code_action;
SELECT proname, provolatile, proparallel FROM pg_proc
WHERE pronamespace = 'hccraf'::regnamespace
  AND proname IN ('hcc_gaps', 'hcc_gap_summary', 'hcc_specificity', 'suspect_list') ORDER BY 1;
