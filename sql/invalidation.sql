-- Compiled images follow the reference tables transactionally: a backend sees its own
-- uncommitted change, other backends see it only after commit, and a rollback is never seen.
CREATE EXTENSION dblink;
CREATE VIEW probe AS
SELECT (hccraf.raf_score(p, ARRAY['E11.9'])).raw_score FROM (SELECT 70 AS age, 'F' AS sex) p;
-- F70_74 0.395 + HCC38 0.166.
SELECT * FROM probe;
SELECT dblink_connect('other', format('dbname=%s port=%s host=%s', current_database(),
       current_setting('port'), split_part(current_setting('unix_socket_directories'), ',', 1)));
SELECT * FROM dblink('other', 'SELECT * FROM probe') AS t(raw numeric);

BEGIN;
UPDATE hccraf.hcc_factor SET coefficient = 1.000
WHERE (model_version, payment_year, segment, variable) = ('V28', 2026, 'CNA', 'HCC38');
SELECT * FROM probe;                                                      -- own change: 1.395
SELECT * FROM dblink('other', 'SELECT * FROM probe') AS t(raw numeric);   -- not yet: 0.561
ROLLBACK;
SELECT * FROM probe;                                                      -- rolled back: 0.561
SELECT * FROM dblink('other', 'SELECT * FROM probe') AS t(raw numeric);   -- never saw it

BEGIN;
UPDATE hccraf.hcc_factor SET coefficient = 1.000
WHERE (model_version, payment_year, segment, variable) = ('V28', 2026, 'CNA', 'HCC38');
COMMIT;
SELECT * FROM dblink('other', 'SELECT * FROM probe') AS t(raw numeric);   -- after commit: 1.395
SELECT * FROM probe;

-- Removing and re-loading a whole release is seen the same way (the other session does it;
-- this one has the V28 2027 image compiled already).
SELECT hccraf.hcc_map('E11.9', 'V28', 2027);
SELECT dblink_exec('other', $$DELETE FROM hccraf.model_release WHERE (model_version, payment_year) = ('V28', 2027)$$);
SELECT hccraf.hcc_map('E11.9', 'V28', 2027);
SELECT * FROM dblink('other', format('SELECT hccraf.load_release(%L, %L, 2027, true)::text',
                                     hccraf.shipped_data_dir(), 'V28')) AS t(loaded text);
SELECT hccraf.hcc_map('E11.9', 'V28', 2027);
SELECT count(*) FROM hccraf.hcc_crosswalk WHERE model_version = 'V28' AND effective_year = 2027;
UPDATE hccraf.hcc_factor SET coefficient = 0.166
WHERE (model_version, payment_year, segment, variable) = ('V28', 2026, 'CNA', 'HCC38');
SELECT * FROM dblink('other', 'SELECT * FROM probe') AS t(raw numeric);   -- back to 0.561
SELECT dblink_disconnect('other');
DROP VIEW probe;
DROP EXTENSION dblink;

-- Parallel workers run on the leader's snapshot, so they use the leader's reference version,
-- its own uncommitted change included: one value (1.395) from every worker and the leader.
CREATE TABLE parallel_probe AS SELECT 70 AS age, 'F'::text AS sex FROM generate_series(1, 1000);
BEGIN;
UPDATE hccraf.hcc_factor SET coefficient = 1.000
WHERE (model_version, payment_year, segment, variable) = ('V28', 2026, 'CNA', 'HCC38');
SET LOCAL force_parallel_mode = on;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SELECT (hccraf.raf_score(p, ARRAY['E11.9'])).raw_score, count(*) FROM parallel_probe p GROUP BY 1;
ROLLBACK;
SELECT (hccraf.raf_score(p, ARRAY['E11.9'])).raw_score, count(*) FROM parallel_probe p GROUP BY 1;
DROP TABLE parallel_probe;
