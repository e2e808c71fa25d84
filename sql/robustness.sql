-- Nothing a caller types takes the server down, poisons a session or runs unbounded (issue:
-- safety, items 1, 4, 5, 6 and 7). CI also checks the server log for a backend that died.
CREATE EXTENSION IF NOT EXISTS dblink;
CREATE TEMP TABLE early AS SELECT '1799-12-31'::date AS dob, 'M'::text AS sex;

-- Item 1: a date of birth before 1800 was a C++ exception outside the guard (std::terminate,
-- every session restarted). Now an error naming the field, from every function that reads one.
SELECT hccraf.raf_payment_score('1799-12-31'::date, 'M', NULL, NULL, NULL, NULL, NULL, '{}');
SELECT hccraf.raf_score(e, '{E11.9}') FROM early e;
SELECT hccraf.raf_payment_score(e, '{E11.9}') FROM early e;
SELECT * FROM early e, hccraf.raf_explain(e, '{E11.9}');
SELECT * FROM early e, hccraf.hcc_gaps('{E11.9}', '{}', e);
SELECT * FROM early e, hccraf.hcc_gap_summary('{E11.9}', '{}', e);
SELECT * FROM early e, hccraf.hcc_specificity('{E11.9,N18.30}', e);
CREATE TEMP TABLE early_dx (patient_id int, year int, icd10_code text);
INSERT INTO early_dx VALUES (1, 2025, 'E11.9');
CREATE TEMP TABLE early_patient (patient_id int, dob date, sex text);
INSERT INTO early_patient VALUES (1, '1799-12-31', 'M');
SELECT * FROM hccraf.suspect_list('early_dx', 2025, patients => 'early_patient');
SELECT hccraf.raf_payment_score('0044-03-15 BC'::date, 'F', NULL, NULL, NULL, NULL, NULL, '{}');
SELECT hccraf.raf_payment_score('infinity'::date, 'F', NULL, NULL, NULL, NULL, NULL, '{}');
-- The session is alive and answers.
SELECT hccraf.raf_payment_score('1800-01-01'::date, 'M', NULL, NULL, NULL, NULL, NULL, '{}') IS NOT NULL AS alive;

-- Item 4: a first load that fails (here: lock_timeout while another session holds the registry
-- table) leaves the cache unloaded; the next call loads it, instead of "unknown model" for the
-- rest of the (pooled) connection's life.
SELECT format('dbname=%s port=%s host=%s', current_database(), current_setting('port'),
              split_part(current_setting('unix_socket_directories'), ',', 1)) AS conninfo \gset
SELECT dblink_connect('locker', :'conninfo'), dblink_connect('fresh', :'conninfo');
SELECT dblink_exec('locker', 'BEGIN');
SELECT dblink_exec('locker', 'LOCK TABLE hccraf.model_release IN ACCESS EXCLUSIVE MODE');
SELECT dblink_exec('fresh', 'SET lock_timeout = ''200ms''');
SELECT * FROM dblink('fresh', $$SELECT hccraf.hcc_map('E11.9')::text$$) AS t(hccs text);
SELECT dblink_exec('locker', 'ROLLBACK');
SELECT * FROM dblink('fresh', $$SELECT hccraf.hcc_map('E11.9')::text$$) AS t(hccs text);
SELECT * FROM dblink('fresh', $$SELECT (hccraf.raf_score(p, ARRAY['E11.9'])).raw_score::text
                                FROM (SELECT 70 AS age, 'F' AS sex) p$$) AS t(raw text);

-- Item 5: every loop over the caller's codes is O(n log n) and can be cancelled. 1,000,000
-- distinct codes (a quarter of them real codes with HCCs, repeated) through raf_explain
-- finishes, and statement_timeout = 1s cancels it within 2 s.
CREATE TABLE million AS
SELECT array_agg(CASE WHEN i % 4 = 0 THEN (ARRAY['E11.9', 'I50.22', 'N18.30', 'J44.9'])[1 + i % 16 / 4]
                      ELSE 'Z' || lpad(i::text, 6, '0') END) AS dx
FROM generate_series(1, 1000000) i;
-- By hand (CNA factors, data/V28/2026/factors.csv): F70_74 0.395 + HCC38 0.166 + HCC226 0.360
-- + HCC329 0.127 + HCC280 0.319 + DIABETES_HF 0.112 + HF_KIDNEY 0.176 + HF_CHR_LUNG 0.078 + D4 0
-- = 1.733; rows: 750,000 unknown + 249,996 repeated codes + 17 rows of the score itself.
SELECT count(*) AS explain_rows, sum(coefficient) AS raw
FROM million m, hccraf.raf_explain((SELECT p FROM (SELECT 70 AS age, 'F' AS sex) p), m.dx);
CREATE FUNCTION pg_temp.cancelled_within(query text, limit_s numeric) RETURNS text LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
    EXECUTE query;
    RETURN 'not cancelled';
EXCEPTION WHEN query_canceled THEN
    RETURN CASE WHEN clock_timestamp() - t0 < limit_s * interval '1 s' THEN 'cancelled in time'
                ELSE 'cancelled too late: ' || (clock_timestamp() - t0)::text END;
END $$;
SET statement_timeout = '1s';
SELECT pg_temp.cancelled_within($q$SELECT count(*) FROM million m,
        hccraf.raf_explain((SELECT p FROM (SELECT 70 AS age, 'F' AS sex) p), m.dx)$q$, 2);
RESET statement_timeout;
-- The HHS-HCC functions: 1,000,000 codes and 1,000,000 drug codes through hhs_explain give the
-- score of the distinct codes (its coefficients sum to hhs_score's raw score), and
-- statement_timeout = 1s cancels 3,000,000 codes within 2 s.
SELECT count(*) AS explain_rows,
       sum(x.coefficient) = min((hccraf.hhs_score(e, ARRAY['E11.9', 'I50.22', 'N18.30', 'J44.9'],
                                                  ARRAY['00002021301'])).raw_score) AS same_score
FROM million m, (SELECT 40 AS age_last, 'F' AS sex, 'silver' AS metal) e,
     hccraf.hhs_explain(e, m.dx, array_fill('00002021301'::text, ARRAY[1000000])) x;
SET statement_timeout = '1s';
SELECT pg_temp.cancelled_within($q$SELECT count(*) FROM million m,
        hccraf.hhs_explain((SELECT e FROM (SELECT 40 AS age_last, 'F' AS sex, 'silver' AS metal) e),
                           m.dx || m.dx || m.dx)$q$, 2);
RESET statement_timeout;
-- pg_cancel_backend from another session stops a long call too (3,000,000 codes: still running
-- after 1.5 s).
SELECT pid AS fresh_pid FROM dblink('fresh', 'SELECT pg_backend_pid()') AS t(pid int) \gset
SELECT dblink_send_query('fresh', $q$SELECT count(*) FROM million m,
    hccraf.raf_explain((SELECT p FROM (SELECT 70 AS age, 'F' AS sex) p), m.dx || m.dx || m.dx)$q$);
SELECT pg_sleep(1.5);
SELECT pg_cancel_backend(:fresh_pid);
SELECT * FROM dblink_get_result('fresh') AS t(n bigint);
SELECT dblink_disconnect('fresh'), dblink_disconnect('locker');

-- Item 6: a label the CHECK allows but no model has (HCC2147483647) is rejected before anything
-- is sized by it (it once made every compiling backend allocate 2 GB).
BEGIN;
INSERT INTO hccraf.model_release (model_version, payment_year, blend_weight, status)
VALUES ('HUGE', 2026, 0, 'user');
INSERT INTO hccraf.hcc_label (model_version, payment_year, hcc_code, label)
VALUES ('HUGE', 2026, 'HCC2147483647', 'no such HCC');
SELECT hccraf.hcc_map('E11.9', 'HUGE', 2026);
ROLLBACK;
BEGIN;
INSERT INTO hccraf.model_release (model_version, payment_year, blend_weight, status)
VALUES ('HUGE', 2026, 0, 'user');
INSERT INTO hccraf.hcc_label (model_version, payment_year, hcc_code, label)
VALUES ('HUGE', 2026, 'HCC99999999999', 'nor this');
SELECT hccraf.hcc_map('E11.9', 'HUGE', 2026);
ROLLBACK;
SELECT hccraf.hcc_map('E11.9');
DROP TABLE million;
DROP EXTENSION dblink;

-- Item 7: loading the shipped rows is a reference change like any other (the triggers exist
-- before the rows are loaded), so DROP + CREATE EXTENSION, e.g. after new data files were
-- installed, retires the shared images of the old rows instead of serving them on.
-- (Images are keyed by hccraf.reference_version, whose new incarnation is a new relation.)
SELECT hccraf.hcc_map('E11.9');
SELECT clock_timestamp() AS recreated_at \gset
DROP EXTENSION hccraf;
CREATE EXTENSION hccraf;
SELECT hccraf.hcc_map('E11.9');
SELECT count(*) AS old_images_in_use FROM hccraf.images
WHERE location = 'shared' AND built_at < :'recreated_at';
