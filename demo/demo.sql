-- hccraf demo (run by demo/run.sh on a throwaway cluster).
\pset null '-'
CREATE EXTENSION hccraf;

\echo '== The releases loaded at CREATE EXTENSION'
SELECT model_version, payment_year, model_family, status, normalization_factor, blend_weight,
       payment_hccs, mapped_codes, hierarchy_rules, factors
FROM hccraf.models;

\echo '== hcc_map: ICD-10-CM -> payment HCCs (V28, payment year 2026)'
SELECT code, hccraf.hcc_map(code) AS v28_2026, hccraf.hcc_map(code, 'V24', 2025) AS v24_2025,
       hccraf.icd10cm_description(code) AS description
FROM unnest(ARRAY['E11.9', 'E11.52', 'I50.22', 'N18.4', 'J44.9', 'F33.1', 'I10', 'E11']) AS code;

\echo '== raf_score on a table of members'
CREATE TABLE members (member_id int, dob date, sex text, orec text, dual_status text,
                      institutional boolean, dx text[]);
INSERT INTO members VALUES
  (1, '1957-06-15', 'M', '0', 'non',  false, '{E11.9,N18.30,I50.22}'),
  (2, '1980-08-20', 'F', '1', 'full', false, '{C50.911,D66,E11.9,C93.30}'),
  (3, '1953-10-05', 'F', '0', 'non',  false, '{Z94.4,K72.11,R40.20}'),
  (4, '1965-03-15', 'M', '1', 'full', true,  '{I50.9,J44.9,L89.154,C34.90,G35}');
SELECT m.member_id, r.segment, r.hccs, r.interactions, r.raw_score, r.normalized_score, r.payment_score
FROM members m, hccraf.raf_score(m, m.dx) r ORDER BY 1;

\echo '== raf_explain: why member 1 scores 1.123'
SELECT step, item, detail, coefficient
FROM members m, hccraf.raf_explain(m, m.dx) WHERE m.member_id = 1;

\echo '== The same engine for Part D (RxHCC: MA-PD and stand-alone PDP) and ESRD'
SELECT m.member_id, r.model, r.segment, r.hccs, r.raw_score, r.payment_score AS mapd_score,
       hccraf.raf_payment_score(m, m.dx, 'RxHCC:PDP') AS pdp_score
FROM (VALUES (1, '1957-06-15'::date, 'M', '0', false, '{E11.9,F32.9,I48.91}'::text[]),
             (2, '1950-03-10', 'F', '0', true, '{L40.50,M32.9,L93.0}')) m(member_id, dob, sex, orec, low_income, dx),
     hccraf.raf_score(m, m.dx, 'RxHCC') r ORDER BY 1;
SELECT m.member_id, m.esrd_status, m.months_since_transplant, r.segment, r.raw_score, r.normalized_score, r.payment_score
FROM (VALUES (1, '1955-09-30'::date, 'F', '2', 'full', 'dialysis', NULL::int, '{E11.22,I50.22,N18.6}'::text[]),
             (2, '1953-03-03', 'F', '1', 'partial', 'graft', 9, '{E11.22,I50.22}'),
             (3, '1970-05-05', 'F', '2', 'non', 'graft', 1, '{I50.22}')
     ) m(member_id, dob, sex, orec, dual_status, esrd_status, months_since_transplant, dx),
     hccraf.raf_score(m, m.dx, 'ESRD') r ORDER BY 1;

\echo '== Risk profiles: member 1 in every CMS-HCC segment (chosen = the one raf_score uses)'
SELECT p.segment, p.chosen, p.raw_score, p.payment_score
FROM members m, hccraf.raf_risk_profiles(m, m.dx) p WHERE m.member_id = 1;

\echo '== Where the compiled images live'
SELECT model_version, payment_year, location, bytes, round(build_ms::numeric, 1) AS build_ms
FROM hccraf.images;

\echo '== Recapture gaps for member 1: last year (2024) vs this year''s chart so far (2025)'
SET hccraf.base_rate = 11500;   -- an example plan rate (annual dollars per 1.0 RAF); there is no default
SELECT hcc, label, status, prior_codes, current_codes, raf_delta, revenue_delta
FROM members m,
     hccraf.hcc_gaps(ARRAY['E11.22', 'N18.4', 'I50.22', 'J44.9', 'F33.1', 'I48.91'],  -- 2024 claims
                     m.dx,                                                             -- 2025 so far
                     m) g
WHERE m.member_id = 1;

\echo '== The same patient: current score, score with every gap closed, joint value'
SELECT current_score, closed_score, joint_delta, sum_of_single_deltas, open_gaps, revenue_delta
FROM members m,
     hccraf.hcc_gap_summary(ARRAY['E11.22', 'N18.4', 'I50.22', 'J44.9', 'F33.1', 'I48.91'], m.dx, m) s
WHERE m.member_id = 1;

\echo '== Specificity: combination codes the guidelines ask for, and what they are worth'
SELECT rule_id, evidence_codes, suggested_codes, raf_delta, note
FROM members m, hccraf.hcc_specificity(m.dx, m) WHERE m.member_id = 1;

\echo '== ACA enrollees (HHS-HCC, benefit year 2026): an adult on insulin, a child after a liver transplant, a premature newborn'
SELECT e.member_id, s.model, s.hccs, s.rxcs, s.groups, s.other_vars, s.raw_score, s.csr_factor, s.csr_adjusted_score
FROM (VALUES (1, '1971-06-10'::date, '2026-04-10'::date, 'M', 'silver', 3, 100,
              '{E11.65,I50.22}'::text[], '{00002021301}'::text[]),
             (2, '2017-11-20', '2026-09-30', 'F', 'platinum', 1, 273, '{Z94.4,N18.6,G40.909,E84.0}', NULL),
             (3, '2026-02-14', '2026-12-31', 'M', 'bronze', 4, 321, '{P07.02,Q79.0,Z38.00,Q23.4}', NULL)
     ) e(member_id, dob, last_enrollment_date, sex, metal, csr_indicator, enrollment_days, dx, ndc),
     hccraf.hhs_score(e, e.dx, e.ndc) s ORDER BY 1;

\echo '== Why: the adult''s score, factor by factor (silver), and the CSR adjustment'
SELECT step, item, detail, coefficient
FROM hccraf.hhs_explain(ROW('1971-06-10', '2026-04-10', 'M', 'silver', 3, 100, NULL)::hccraf.enrollee,
                        '{E11.65,I50.22}', '{00002021301}');

\echo '== Recapture gaps under the HHS model: last year''s diabetes code is worth the group and the insulin interaction'
SELECT hcc, status, prior_codes, current_codes, raf_delta, csr_adjusted_delta
FROM hccraf.hhs_gaps(ARRAY['E11.65', 'I50.22'], ARRAY['I50.22'],
                     ROW('1971-06-10', '2026-12-31', 'M', 'silver', 3, 365, NULL)::hccraf.enrollee, ARRAY['00002021301']);
