-- Odd inputs get an error or a documented answer, never a silently guessed number (issue:
-- consistency, items 3 to 9). Expected values by hand from data/V28/2026/factors.csv (CNA/CND).
\set VERBOSITY default

-- Item 3: a timestamptz date of birth is read in UTC whatever TimeZone says. 1961-02-01 20:00-05
-- is 1961-02-02 01:00 UTC: age 64 on 1 February 2026, blank OREC -> disabled, CND; F60_64 in CND
-- is 0.436 (read as 1961-02-01, New York's date, she would be 65: CNA, F65_69 0.330).
CREATE TEMP TABLE tz_person AS SELECT '1961-02-01 20:00-05'::timestamptz AS dob, 'F'::text AS sex;
SET TimeZone = 'America/New_York';
SELECT (hccraf.raf_score(p, '{}')).segment, (hccraf.raf_score(p, '{}')).raw_score FROM tz_person p;
SET TimeZone = 'UTC';
SELECT (hccraf.raf_score(p, '{}')).segment, (hccraf.raf_score(p, '{}')).raw_score FROM tz_person p;
SET TimeZone = 'Asia/Tokyo';
SELECT (hccraf.raf_score(p, '{}')).segment, (hccraf.raf_score(p, '{}')).raw_score FROM tz_person p;
RESET TimeZone;
SELECT hccraf.raf_score(p, '{}') FROM (SELECT 'infinity'::timestamptz AS dob, 'F' AS sex) p;

-- Item 4: an age over 130 is an error from any source (the age column was already checked).
SELECT (hccraf.raf_score(p, '{}')).segment FROM (SELECT DATE '1895-06-01' AS dob, 'F' AS sex) p;  -- 130
SELECT hccraf.raf_score(p, '{}') FROM (SELECT DATE '1895-01-01' AS dob, 'F' AS sex) p;            -- 131
SELECT hccraf.raf_score(p, '{}') FROM (SELECT DATE '1800-01-01' AS dob, 'F' AS sex) p;
SELECT hccraf.raf_score(p, '{}') FROM (SELECT 131 AS age, 'F' AS sex) p;

-- Item 5: two columns for one field are an error naming both, whatever their order.
SELECT hccraf.raf_score(p, '{}') FROM (SELECT 70 AS age, 'F' AS gender, 'M' AS sex) p;
SELECT hccraf.raf_score(p, '{}') FROM (SELECT 70 AS age, 'F' AS sex, 'full' AS medicaid, 'partial' AS dual_status) p;
SELECT hccraf.raf_score(p, '{}') FROM (SELECT 70 AS age, 71 AS age, 'F' AS sex) p;
-- dob and age together must agree (born 1955-06-01: age 70 on 1 February 2026).
SELECT (hccraf.raf_score(p, '{}')).raw_score FROM (SELECT DATE '1955-06-01' AS dob, 70 AS age, 'F' AS sex) p;
SELECT hccraf.raf_score(p, '{}') FROM (SELECT DATE '1955-06-01' AS dob, 71 AS age, 'F' AS sex) p;

-- Item 6: a patients table with two rows for one patient is refused (it doubled the gap rows).
CREATE TEMP TABLE dup_dx (patient_id int, year int, icd10_code text);
INSERT INTO dup_dx VALUES (1, 2024, 'J44.9'), (1, 2025, 'E11.9');
CREATE TEMP TABLE dup_patient (patient_id int, age int, sex text);
INSERT INTO dup_patient VALUES (1, 70, 'F'), (1, 80, 'M');
SELECT * FROM hccraf.suspect_list('dup_dx', 2025, patients => 'dup_patient');
DELETE FROM dup_patient WHERE sex = 'M';
-- J44.9 is HCC280 (CNA 0.319): woman of 70, E11.9 now (F70_74 0.395 + HCC38 0.166 = 0.561,
-- payment round3(round3(0.561 / 1.067) x 0.941) = round3(0.526 x 0.941) = 0.495); closing the
-- gap adds HCC280 and D2: 0.880 -> round3(0.825 x 0.941) = 0.776; delta 0.281.
SELECT patient_id, hcc, raf_delta FROM hccraf.suspect_list('dup_dx', 2025, patients => 'dup_patient');

-- Item 7: base rates are exact dollars and cents, from the setting and from the argument alike.
SET hccraf.base_rate = 1.005;
SET hccraf.base_rate = '-5';
SET hccraf.base_rate = 'a lot';
SET hccraf.base_rate = 11500.50;
SHOW hccraf.base_rate;
-- 0.281 x 11500.50 = 3231.6405 -> 3231.64 (half away from zero, to the cent).
SELECT hcc, raf_delta, revenue_delta FROM hccraf.hcc_gaps('{J44.9}', '{E11.9}', (SELECT p FROM (SELECT 70 AS age, 'F' AS sex) p));
RESET hccraf.base_rate;
SELECT hcc, revenue_delta FROM hccraf.hcc_gaps('{J44.9}', '{E11.9}', base_rate => 1.005);
SELECT hcc, revenue_delta FROM hccraf.hcc_gaps('{J44.9}', '{E11.9}', base_rate => -0.004);
SELECT hcc, revenue_delta FROM hccraf.hcc_gaps('{J44.9}', '{E11.9}', base_rate => 'NaN');
SELECT hcc, revenue_delta FROM hccraf.hcc_gaps('{J44.9}', '{E11.9}', (SELECT p FROM (SELECT 70 AS age, 'F' AS sex) p),
                                               base_rate => 2.500);  -- 0.281 x 2.50 = 0.7025 -> 0.70

-- Item 8: the messages name the code sets actually used (PY2024: FY2023 and FY2024 are not
-- shipped, FY2025 stands in); a 2-D array is refused by raf_explain as by raf_score; a release
-- named with lower case is found as written; model names are at most 10 characters.
SET hccraf.unknown_code_action = 'warning';
SELECT hccraf.hcc_map('A00.0', 'V28', 2024);  -- cholera: valid, no HCC
SELECT hccraf.hcc_map('Q99.99', 'V28', 2024);
SELECT hccraf.hcc_map('Q99.99', 'V28', 2026);
RESET hccraf.unknown_code_action;
SELECT * FROM hccraf.raf_explain((SELECT p FROM (SELECT 70 AS age, 'F' AS sex) p), '{{E11.9},{I10}}');
SELECT hccraf.raf_score(p, '{{E11.9},{I10}}') FROM (SELECT 70 AS age, 'F' AS sex) p;
BEGIN;
INSERT INTO hccraf.model_release (model_version, payment_year, blend_weight, status) VALUES ('V28x', 2026, 0, 'user');
INSERT INTO hccraf.hcc_label (model_version, payment_year, hcc_code, label) VALUES ('V28x', 2026, 'HCC38', 'Diabetes');
INSERT INTO hccraf.hcc_crosswalk (model_version, icd10_code, hcc_code, effective_year) VALUES ('V28x', 'E119', 'HCC38', 2026);
SELECT hccraf.hcc_map('E11.9', 'V28x', 2026) AS as_written, hccraf.hcc_map('E11.9', 'v28', 2026) AS upper_cased;
\set VERBOSITY terse
INSERT INTO hccraf.model_release (model_version, payment_year, blend_weight, status) VALUES ('V28_ELEVENX', 2026, 0, 'user');
\set VERBOSITY default
ROLLBACK;

-- Item 9: hcc_map on a string that cannot be a code is an error under every setting; a
-- well-formed code outside the code sets is NULL under 'ignore' (the default).
SELECT hccraf.hcc_map('E11.9.9');
SELECT hccraf.hcc_map('Q99.99') IS NULL AS unknown_is_null;
SET hccraf.unknown_code_action = 'ignore';
SELECT hccraf.hcc_map('not a code');
RESET hccraf.unknown_code_action;
