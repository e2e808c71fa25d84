-- The six hand-worked examples of ../shared/cms/spec/worked_examples.md; the expected numbers
-- are written here from that document (each *_ok column compares with the hand computation).
\pset null '(null)'

-- Example 1: V28 PY2026, 68-year-old man, CNA: E11.9, N18.30, I50.22.
SELECT r.segment, r.hccs, r.interactions, r.raw_score, r.normalized_score, r.payment_score,
       (r.raw_score, r.normalized_score, r.payment_score) = (1.273, 1.193, 1.123) AS hand_ok
FROM hccraf.raf_score(ROW('1957-06-15'::date, 'M', '0', 'non', false, false, false)::hccraf.patient,
                      ARRAY['E11.9', 'N18.30', 'I50.22']) r;
-- Example 1b: PY2025 blend (V24 raw 1.090 -> 0.945; V28 1.273 -> 1.218; blend 1.128; payment 1.061).
SELECT r.model, r.hccs, r.raw_score, r.normalized_score, r.payment_score,
       (r.normalized_score, r.payment_score) = (1.128, 1.061) AS hand_ok
FROM hccraf.raf_score(ROW('1957-06-15'::date, 'M', '0', 'non', false, false, false)::hccraf.patient,
                      ARRAY['E11.9', 'N18.30', 'I50.22'], 'CMS-HCC', 2025) r;
SELECT m, (r).raw_score, (r).normalized_score
FROM unnest(ARRAY['V24', 'V28']) m,
     hccraf.raf_score(ROW('1957-06-15'::date, 'M', '0', 'non', false, false, false)::hccraf.patient,
                      ARRAY['E11.9', 'N18.30', 'I50.22'], m, 2025) r;
-- Example 1c: PY2024 blend (67 % V24 + 33 % V28): 1.051, payment 0.989.
SELECT r.normalized_score, r.payment_score, (r.normalized_score, r.payment_score) = (1.051, 0.989) AS hand_ok
FROM hccraf.raf_score(ROW('1957-06-15'::date, 'M', '0', 'non', false, false, false)::hccraf.patient,
                      ARRAY['E11.9', 'N18.30', 'I50.22'], 'CMS-HCC', 2024) r;

-- Example 2: age/sex edits, 45-year-old woman, CFD: C50.911 -> CC22 (under 50), D66 -> CC112
-- (female), C93.30 dropped (MCE pediatric). Raw 1.662, N 1.558, P 1.466.
SELECT r.segment, r.hccs, r.interactions, r.raw_score, r.normalized_score, r.payment_score,
       (r.raw_score, r.normalized_score, r.payment_score) = (1.662, 1.558, 1.466) AS hand_ok
FROM hccraf.raf_score(ROW('1980-08-20'::date, 'F', '1', 'full', false, false, false)::hccraf.patient,
                      ARRAY['C50.911', 'D66', 'E11.9', 'C93.30']) r;

-- Example 3: the 62/63/202 chain keeps HCC62 and HCC202 (raw 1.314 -> 1.231 -> 1.158) ...
SELECT r.hccs, r.interactions, r.raw_score, r.normalized_score, r.payment_score,
       (r.raw_score, r.normalized_score, r.payment_score) = (1.314, 1.231, 1.158) AS hand_ok
FROM hccraf.raf_score(ROW('1953-10-05'::date, 'F', '0', 'non', false, false, false)::hccraf.patient,
                      ARRAY['Z94.4', 'K72.11', 'R40.20']) r;
-- ... and without Z94.4, rule 11 fires: HCC63 only, raw 1.357.
SELECT r.hccs, r.raw_score, r.raw_score = 1.357 AS hand_ok
FROM hccraf.raf_score(ROW('1953-10-05'::date, 'F', '0', 'non', false, false, false)::hccraf.patient,
                      ARRAY['K72.11', 'R40.20']) r;

-- Example 4: new enrollee, 66, originally disabled, Medicaid: NE 1.599 -> 1.499 -> 1.411;
-- C-SNP new enrollee 2.085 -> 1.954 -> 1.839. Diagnoses do not enter the score.
SELECT r.segment, r.interactions, r.raw_score, r.normalized_score, r.payment_score,
       (r.raw_score, r.normalized_score, r.payment_score) = (1.599, 1.499, 1.411) AS hand_ok
FROM hccraf.raf_score(ROW('1959-09-10'::date, 'F', '1', 'full', false, true, false)::hccraf.patient,
                      ARRAY['E11.9']) r;
SELECT r.segment, r.raw_score, r.normalized_score, r.payment_score,
       (r.raw_score, r.normalized_score, r.payment_score) = (2.085, 1.954, 1.839) AS hand_ok
FROM hccraf.raf_score(ROW('1959-09-10'::date, 'F', '1', 'full', false, true, true)::hccraf.patient,
                      ARRAY['E11.9']) r;
-- Age-64 rule: born 1961-06-01, 64 on 1 Feb 2026: OREC 0 takes NEF65 (0.532), OREC 1 NEF60_64 (1.212).
SELECT o AS orec, r.raw_score, r.raw_score = CASE o WHEN '0' THEN 0.532 ELSE 1.212 END AS hand_ok
FROM unnest(ARRAY['0', '1']) o,
     hccraf.raf_score(ROW('1961-06-01'::date, 'F', o, 'non', false, true, false)::hccraf.patient, NULL) r;

-- Example 5: institutional, 60-year-old man, Medicaid (LTIMCAID), disabled interactions:
-- raw 5.863 -> 5.495 -> 5.171.
SELECT r.segment, r.hccs, r.interactions, r.raw_score, r.normalized_score, r.payment_score,
       (r.raw_score, r.normalized_score, r.payment_score) = (5.863, 5.495, 5.171) AS hand_ok
FROM hccraf.raf_score(ROW('1965-03-15'::date, 'M', '1', 'full', true, false, false)::hccraf.patient,
                      ARRAY['I50.9', 'J44.9', 'L89.154', 'C34.90', 'G35']) r;

-- Example 6: thirteen payment HCCs -> D10P, CND: raw 8.341 -> 7.817 -> 7.356.
SELECT r.segment, cardinality(r.hccs) AS hccs, r.interactions, r.raw_score, r.normalized_score, r.payment_score,
       (r.raw_score, r.normalized_score, r.payment_score) = (8.341, 7.817, 7.356) AS hand_ok
FROM hccraf.raf_score(ROW('1967-11-30'::date, 'M', '1', 'non', false, false, false)::hccraf.patient,
                      ARRAY['E11.22', 'E66.01', 'M06.9', 'F03.90', 'F10.20', 'F20.9', 'G35', 'J96.11',
                            'I50.22', 'I48.91', 'I70.261', 'J44.9', 'N18.4']) r;
