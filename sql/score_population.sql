-- score_population: the golden V28 patients (their codes as claim rows of the data-collection
-- year 2025) scored into the guide's tables must reproduce raf_score (and the golden payment
-- scores) for every patient, patient_diagnosis_hcc must agree with raf_explain, a rerun must
-- leave the same rows, a failed run must leave the previous rows intact, and bad rows must be
-- counted per reason. Patient ids are uuids (the guide's patient_hcc_score.patient_id).
SET client_min_messages = warning;
\set SHOW_CONTEXT never
CREATE TEMP TABLE golden_v28 (patient_id text, dob date, age int, sex text, orec text,
    dual_status text, institutional int, new_enrollee int, snp_new_enrollee int, dx text,
    segment text, demographic_vars text, hccs_after_hierarchy text, interactions text,
    raw_score numeric, normalized_score numeric, payment_score numeric, note text);
\copy golden_v28 FROM 'test/fixtures/golden_v28_2026.csv' WITH (FORMAT csv, HEADER true)
CREATE TABLE members AS
SELECT md5(patient_id)::uuid AS patient_id, patient_id AS golden_id, dob, sex, orec, dual_status,
       institutional, new_enrollee, snp_new_enrollee, dx, payment_score AS golden_payment
FROM golden_v28;
CREATE TABLE claims_dx AS
SELECT md5(g.patient_id)::uuid AS patient_id, c.code AS icd10_code, date '2025-03-01' + (c.n % 200)::int AS service_date,
       'E' || c.n AS encounter_id
FROM golden_v28 g, unnest(string_to_array(g.dx, '|')) WITH ORDINALITY c(code, n);
-- Rows of other years are not this run's (PY2026 scores the 2025 diagnoses).
INSERT INTO claims_dx SELECT patient_id, 'E11.9', date '2024-12-31', 'old' FROM members WHERE golden_id IN ('R0001', 'R0002');

CALL hccraf.score_population(diagnoses => 'claims_dx', patients => 'members', payment_year => 2026, model => 'V28');

-- Every patient scored; every score equals raf_score and the golden payment score.
SELECT count(*) AS patients,
       count(*) FILTER (WHERE s.payment_score IS DISTINCT FROM m.golden_payment) AS differ_from_golden,
       count(*) FILTER (WHERE (s.segment, s.hcc_list, s.raf_score, s.normalized_score, s.payment_score)
                              IS DISTINCT FROM (r.segment, r.hccs, r.raw_score, r.normalized_score, r.payment_score)) AS differ_from_raf_score,
       count(*) FILTER (WHERE s.model_version <> 'V28' OR s.data_collection_year <> 2025) AS wrong_run
FROM members m
LEFT JOIN hccraf.patient_hcc_score s ON s.patient_id = m.patient_id AND s.payment_year = 2026
CROSS JOIN LATERAL hccraf.raf_score(m, string_to_array(m.dx, '|'), 'V28', 2026) r;

-- patient_diagnosis_hcc agrees with raf_explain: per patient, the HCCs in the score and the
-- hierarchy drops ("HCC63 dropped by HCC62") are the same sets.
WITH written AS (
    SELECT m.golden_id, array_agg(DISTINCT d.hcc_code::text ORDER BY d.hcc_code::text) FILTER (WHERE d.included_in_raf) AS included,
           array_agg(DISTINCT d.hcc_code || '<' || d.superseded_by_hcc ORDER BY d.hcc_code || '<' || d.superseded_by_hcc)
               FILTER (WHERE d.superseded_by_hcc IS NOT NULL) AS dropped
    FROM members m JOIN hccraf.patient_diagnosis_hcc d ON d.patient_id = m.patient_id
    WHERE d.payment_year = 2026 AND d.model_version = 'V28' GROUP BY m.golden_id
), explained AS (
    SELECT m.golden_id,
           (SELECT array_agg(DISTINCT h ORDER BY h) FROM unnest((hccraf.raf_score(m, string_to_array(m.dx, '|'))).hccs) h) AS included,
           (SELECT array_agg(DISTINCT e.item || '<' || substring(e.detail FROM 'dropped by ((RX)?HCC[0-9]+)')
                             ORDER BY e.item || '<' || substring(e.detail FROM 'dropped by ((RX)?HCC[0-9]+)'))
            FROM hccraf.raf_explain(m, string_to_array(m.dx, '|')) e WHERE e.step = 'hierarchy') AS dropped
    FROM members m
)
SELECT count(*) AS patients,
       count(*) FILTER (WHERE w.included IS DISTINCT FROM x.included) AS included_differs,
       count(*) FILTER (WHERE w.dropped IS DISTINCT FROM x.dropped) AS drops_differ
FROM explained x LEFT JOIN written w USING (golden_id);
-- Golden H03 (62 + 63 + 202): HCC63 is dropped by HCC62, and 202 stays (CMS file order).
SELECT d.icd10_code, d.hcc_code, d.included_in_raf, d.superseded_by_hcc, d.coefficient
FROM members m JOIN hccraf.patient_diagnosis_hcc d ON d.patient_id = m.patient_id
WHERE m.golden_id = 'H03' ORDER BY d.icd10_code, d.hcc_code;

-- Skipped rows are counted per reason (golden rows carry invalid and retired codes on purpose).
SELECT payment_year, model_version, patients, patients_scored, diagnoses_read, diagnoses_eligible, problems
FROM hccraf.population_run ORDER BY run_id;

-- Idempotence: a second run leaves exactly the same rows.
CREATE TEMP TABLE first_scores AS
SELECT patient_id, payment_year, model_version, segment, hcc_list, raf_score, payment_score FROM hccraf.patient_hcc_score;
CREATE TEMP TABLE first_dx AS
SELECT patient_id, encounter_id, icd10_code, diagnosis_date, hcc_code, coefficient, included_in_raf, superseded_by_hcc
FROM hccraf.patient_diagnosis_hcc;
CALL hccraf.score_population(diagnoses => 'claims_dx', patients => 'members', payment_year => 2026, model => 'V28');
SELECT (SELECT count(*) FROM hccraf.patient_hcc_score) AS scores,
       (SELECT count(*) FROM (SELECT patient_id, payment_year, model_version, segment, hcc_list, raf_score, payment_score
                              FROM hccraf.patient_hcc_score EXCEPT ALL SELECT * FROM first_scores) x) AS scores_changed,
       (SELECT count(*) FROM hccraf.patient_diagnosis_hcc) = (SELECT count(*) FROM first_dx) AS same_dx_count,
       (SELECT count(*) FROM (SELECT patient_id, encounter_id, icd10_code, diagnosis_date, hcc_code, coefficient,
                                     included_in_raf, superseded_by_hcc FROM hccraf.patient_diagnosis_hcc
                              EXCEPT ALL SELECT * FROM first_dx) x) AS dx_changed;

-- Another model of the same payment year is kept beside it (RxHCC: the patients' RxHCC scores).
CALL hccraf.score_population(diagnoses => 'claims_dx', patients => 'members', payment_year => 2026, model => 'RxHCC');
SELECT model_version, count(*) FROM hccraf.patient_hcc_score GROUP BY 1 ORDER BY 1;

-- Bad input: a patient without sex, a code that is not a code, a date that is not there, a
-- diagnosis of nobody. Skipped and counted (the default) ...
INSERT INTO members (patient_id, golden_id, dob, sex) VALUES ('00000000-0000-0000-0000-0000000000b1', 'nosex', '1950-01-01', NULL);
INSERT INTO claims_dx VALUES
    ('00000000-0000-0000-0000-0000000000b1', 'E11.9', '2025-05-05', 'b1'),
    ((SELECT patient_id FROM members WHERE golden_id = 'H01'), 'E11.9!', '2025-05-05', 'bad code'),
    ((SELECT patient_id FROM members WHERE golden_id = 'H01'), 'I10', NULL, 'no date'),
    ('00000000-0000-0000-0000-0000000000c1', 'E11.9', '2025-05-05', 'nobody');
-- (Its NOTICEs, with progress and timings, are shown in README "From claims to scores".)
CALL hccraf.score_population(diagnoses => 'claims_dx', patients => 'members', payment_year => 2026, model => 'V28');
SELECT patients, patients_scored, problems FROM hccraf.population_run ORDER BY run_id DESC LIMIT 1;
-- ... and with on_error => 'stop' the run fails and the previous rows stay as they were.
CREATE TEMP TABLE before_stop AS SELECT * FROM hccraf.patient_hcc_score;
CALL hccraf.score_population(diagnoses => 'claims_dx', patients => 'members', payment_year => 2026, model => 'V28',
                             on_error => 'stop');
SELECT count(*) AS rows_kept,
       (SELECT count(*) FROM (SELECT * FROM hccraf.patient_hcc_score EXCEPT ALL SELECT * FROM before_stop) x) AS changed
FROM hccraf.patient_hcc_score;
-- Patients the scorer refuses (ESRD without esrd_status) are skipped with its message, or stop
-- the run (here on the first bad diagnosis row, which is checked before scoring).
DELETE FROM members WHERE golden_id = 'nosex';
CALL hccraf.score_population(diagnoses => 'claims_dx', patients => 'members', payment_year => 2026, model => 'ESRD');
SELECT model_version, patients, patients_scored, problems -> 'patient skipped: the ESRD model needs the person''s ESRD status' AS refused
FROM hccraf.population_run ORDER BY run_id DESC LIMIT 1;
DELETE FROM claims_dx WHERE encounter_id IN ('b1', 'nobody') OR service_date IS NULL OR CASE WHEN icd10_code ~* '^ *[a-z][0-9a-z]{2}\.?[0-9a-z]{0,4} *$'
                                                           THEN hccraf.hcc_map(icd10_code) IS NULL ELSE true END;
CALL hccraf.score_population(diagnoses => 'claims_dx', patients => 'members', payment_year => 2026, model => 'ESRD',
                             on_error => 'stop');
-- Arguments and tables it cannot use.
CALL hccraf.score_population(diagnoses => 'claims_dx', patients => 'members', payment_year => 2025, model => 'CMS-HCC');
CALL hccraf.score_population(diagnoses => 'members', patients => 'members', payment_year => 2026);
CALL hccraf.score_population(diagnoses => 'claims_dx', patients => 'members', payment_year => 2026, on_error => 'ignore');

-- A patient without any diagnosis gets the demographic score only (golden H01's age and sex).
INSERT INTO members (patient_id, golden_id, dob, sex, orec, dual_status)
VALUES ('00000000-0000-0000-0000-0000000000d1', 'nodx', '1957-06-15', 'M', '0', 'non');
CALL hccraf.score_population(diagnoses => 'claims_dx', patients => 'members', payment_year => 2026, model => 'V28');
-- M65_69 0.332 (CNA): 0.332 / 1.067 = 0.311; x 0.941 = 0.293.
SELECT segment, hcc_list, raf_score, normalized_score, payment_score, age, gender, medicaid_status,
       disabled_status, institutional_status
FROM hccraf.patient_hcc_score WHERE patient_id = '00000000-0000-0000-0000-0000000000d1';

-- The monthly run-rate of golden H01 (E11.9, N18.30, I50.22 on rows dated 2025-03-02..04):
-- nothing until February 2025, all three HCCs (1.123) from March 2025 to February 2026, then
-- the diagnoses leave the 12-month window: March 2026 falls to the demographic 0.293, and the
-- HCCs that fell out are the next visit's recapture targets.
CREATE VIEW member_h01 AS SELECT * FROM members WHERE golden_id = 'H01';
SELECT month_end, score, change, hccs, fell_out, diagnoses_in_window
FROM hccraf.raf_run_rate('claims_dx', 'member_h01', '2025-02-01', '2026-04-01')
WHERE month_end IN ('2025-02-28', '2025-03-31', '2026-02-28', '2026-03-31', '2026-04-30');
DROP VIEW member_h01;
DROP TABLE members, claims_dx;

-- Claims with their claim fields: only risk-adjustment-eligible rows count (README rule table).
-- A man of 68 (CNA): E11.9 on an office visit (99213: eligible), I50.22 on a lab-only claim
-- (80053: not eligible), N18.30 on an inpatient stay (bill type 0111: eligible without a
-- procedure filter), E11.9 again on a SNF claim (211: never eligible). Score: M65_69 0.332 +
-- HCC38 0.166 + HCC329 0.127 + D2 0.000 = 0.625 (no HF, so no DIABETES_HF / HF_KIDNEY);
-- 0.625 / 1.067 = 0.586; x 0.941 = 0.551 (with I50.22 it would be golden H01's 1.123).
CREATE TABLE members (patient_id uuid PRIMARY KEY, dob date, sex text, orec text, dual_status text);
INSERT INTO members VALUES ('00000000-0000-0000-0000-0000000000e1', '1957-06-15', 'M', '0', 'non');
CREATE TABLE claims_dx (patient_id uuid, encounter_id text, icd10_code text, service_date date,
                        claim_type text, bill_type text, procedure_codes text[]);
INSERT INTO claims_dx VALUES
    ('00000000-0000-0000-0000-0000000000e1', 'visit', 'E11.9', '2025-04-02', 'professional', NULL, '{99213}'),
    ('00000000-0000-0000-0000-0000000000e1', 'lab', 'I50.22', '2025-04-03', 'professional', NULL, '{80053}'),
    ('00000000-0000-0000-0000-0000000000e1', 'stay', 'N18.30', '2025-06-10', 'institutional', '0111', NULL),
    ('00000000-0000-0000-0000-0000000000e1', 'snf', 'E11.9', '2025-07-01', 'institutional', '211', '{99213}');
CALL hccraf.score_population(diagnoses => 'claims_dx', patients => 'members', payment_year => 2026, model => 'V28');
SELECT segment, hcc_list, raf_score, normalized_score, payment_score
FROM hccraf.patient_hcc_score WHERE patient_id = '00000000-0000-0000-0000-0000000000e1';
SELECT encounter_id, icd10_code, hcc_code, is_valid_encounter, included_in_raf, superseded_by_hcc
FROM hccraf.patient_diagnosis_hcc WHERE patient_id = '00000000-0000-0000-0000-0000000000e1' ORDER BY encounter_id;
SELECT diagnoses_read, diagnoses_eligible, diagnoses_written, problems FROM hccraf.population_run ORDER BY run_id DESC LIMIT 1;
-- score_population evaluates eligibility set-wise; it must agree with hccraf.ra_eligible on every row.
SELECT count(*) AS claim_rows,
       count(*) FILTER (WHERE d.is_valid_encounter IS DISTINCT FROM
                              hccraf.ra_eligible(c.claim_type, c.bill_type, c.procedure_codes, c.service_date)) AS disagree
FROM claims_dx c JOIN hccraf.patient_diagnosis_hcc d
  ON d.patient_id = c.patient_id AND d.encounter_id = c.encounter_id AND d.payment_year = 2026 AND d.model_version = 'V28';
DROP TABLE members, claims_dx;
