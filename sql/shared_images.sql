-- One compiled image per server with shared_preload_libraries = 'hccraf' (expected output
-- shared_images.out), one per backend without it (shared_images_1.out). Same answers either way.
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT enabled, capacity_bytes FROM hccraf.shared_memory_usage();
SELECT (hccraf.raf_score(p, ARRAY['E11.9', 'I50.22'])).payment_score FROM (SELECT 70 AS age, 'F' AS sex) p;
-- ("shared (other version)" rows are images of older reference versions, left by earlier tests.)
SELECT model_version, payment_year, location, bytes BETWEEN 100000 AND 1000000 AS sized, build_ms >= 0 AS timed
FROM hccraf.images WHERE model_version = 'V28' AND payment_year = 2026 AND location <> 'shared (other version)';
-- A second backend: with shared memory it finds the image ready, without it compiles its own.
SELECT dblink_connect('other', format('dbname=%s port=%s host=%s', current_database(),
       current_setting('port'), split_part(current_setting('unix_socket_directories'), ',', 1)));
SELECT * FROM dblink('other', $$SELECT (hccraf.raf_score(p, ARRAY['E11.9', 'I50.22'])).payment_score::text
                                FROM (SELECT 70 AS age, 'F' AS sex) p$$) AS t(score text);
SELECT * FROM dblink('other', $$SELECT location FROM hccraf.images
                                WHERE model_version = 'V28' AND payment_year = 2026
                                  AND location <> 'shared (other version)'$$) AS t(image text);
SELECT count(*) AS shared_v28_2026_copies FROM hccraf.images
WHERE model_version = 'V28' AND payment_year = 2026 AND location = 'shared';
-- A committed change is a new reference version (the same in both modes); the next statement
-- uses (and compiles) the images of that version.
SELECT reference_version AS before FROM hccraf.shared_memory_usage() \gset
UPDATE hccraf.model_release SET notes = notes WHERE model_version = 'V28' AND payment_year = 2026;
SELECT reference_version - :before AS versions_later FROM hccraf.shared_memory_usage();
SELECT (hccraf.raf_score(p, ARRAY['E11.9', 'I50.22'])).payment_score FROM (SELECT 70 AS age, 'F' AS sex) p;
SELECT location, count(*) FROM hccraf.images WHERE model_version = 'V28' AND payment_year = 2026
  AND location <> 'shared (other version)' GROUP BY 1 ORDER BY 1;
-- Inside a transaction that changes reference data, this backend uses private images built from
-- its own uncommitted view; the other backend keeps the committed one.
BEGIN;
UPDATE hccraf.hcc_factor SET coefficient = 0.500
WHERE (model_version, payment_year, segment, variable) = ('V28', 2026, 'CNA', 'HCC38');
SELECT (hccraf.raf_score(p, ARRAY['E11.9'])).raw_score AS mine FROM (SELECT 70 AS age, 'F' AS sex) p;
SELECT * FROM dblink('other', $$SELECT (hccraf.raf_score(p, ARRAY['E11.9'])).raw_score::text
                                FROM (SELECT 70 AS age, 'F' AS sex) p$$) AS t(theirs text);
ROLLBACK;
SELECT (hccraf.raf_score(p, ARRAY['E11.9'])).raw_score AS after_rollback FROM (SELECT 70 AS age, 'F' AS sex) p;
SELECT dblink_disconnect('other');
DROP EXTENSION dblink;
