-- Impossible demographics are errors with a SQLSTATE that name the field; missing optional
-- fields take their documented defaults.
\set VERBOSITY default
-- No sex column / no dob or age column.
SELECT hccraf.raf_score(p, ARRAY['E11.9']) FROM (SELECT DATE '1950-01-01' AS dob) p;
SELECT hccraf.raf_score(p, ARRAY['E11.9']) FROM (SELECT 'F' AS sex) p;
-- NULL sex, bad sex, bad OREC, birth after the payment year, bad dual code, bad flag, bad type.
SELECT hccraf.raf_score(p, ARRAY['E11.9']) FROM (SELECT 70 AS age, NULL::text AS sex) p;
SELECT hccraf.raf_score(p, ARRAY['E11.9']) FROM (SELECT 70 AS age, 'X' AS sex) p;
SELECT hccraf.raf_score(p, ARRAY['E11.9']) FROM (SELECT 70 AS age, 'F' AS sex, '7' AS orec) p;
SELECT hccraf.raf_score(p, ARRAY['E11.9']) FROM (SELECT DATE '2027-01-01' AS dob, 'F' AS sex) p;
SELECT hccraf.raf_score(p, ARRAY['E11.9']) FROM (SELECT 70 AS age, 'F' AS sex, '07' AS dual_status) p;
SELECT hccraf.raf_score(p, ARRAY['E11.9']) FROM (SELECT 70 AS age, 'F' AS sex, 2 AS institutional) p;
SELECT hccraf.raf_score(p, ARRAY['E11.9']) FROM (SELECT 70 AS age, 'F' AS sex, 1.5 AS orec) p;
SELECT hccraf.raf_score(p, ARRAY['E11.9']) FROM (SELECT -1 AS age, 'F' AS sex) p;
\set VERBOSITY terse
-- SQLSTATEs.
DO $$ BEGIN PERFORM hccraf.raf_score(p, NULL) FROM (SELECT 70 AS age, NULL::text AS sex) p;
EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'NULL sex: %', SQLSTATE; END $$;
DO $$ BEGIN PERFORM hccraf.raf_score(p, NULL) FROM (SELECT 70 AS age, 'F' AS sex, 9 AS orec) p;
EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'OREC 9: %', SQLSTATE; END $$;
DO $$ BEGIN PERFORM hccraf.raf_score(p, NULL) FROM (SELECT DATE '1950-01-01' AS dob) p;
EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'no sex column: %', SQLSTATE; END $$;
-- Accepted spellings: sex as CMS '1'/'2', as int, as "char"; OREC as text/int/NULL/'';
-- flags as boolean, int and text; dual as text, CMS code and boolean.
SELECT s.label, (hccraf.raf_score(s.p, ARRAY['E11.9'])).segment
FROM (VALUES
    ('sex 1',          (SELECT p FROM (SELECT 70 AS age, '1' AS sex) p)::record),
    ('sex 2 int',      (SELECT p FROM (SELECT 70 AS age, 2 AS sex) p)::record),
    ('sex "char"',     (SELECT p FROM (SELECT 70 AS age, 'm'::"char" AS sex) p)::record),
    ('orec empty',     (SELECT p FROM (SELECT 60 AS age, 'F' AS sex, '' AS orec) p)::record),
    ('dual 04',        (SELECT p FROM (SELECT 70 AS age, 'F' AS sex, '04' AS dual_status) p)::record),
    ('dual code 3',    (SELECT p FROM (SELECT 70 AS age, 'F' AS sex, 3 AS dual_status) p)::record),
    ('medicaid bool',  (SELECT p FROM (SELECT 70 AS age, 'F' AS sex, true AS medicaid) p)::record),
    ('institutional t',(SELECT p FROM (SELECT 70 AS age, 'F' AS sex, 't' AS institutional) p)::record),
    ('new enrollee 1', (SELECT p FROM (SELECT 70 AS age, 'F' AS sex, 1 AS new_enrollee) p)::record),
    ('snp only',       (SELECT p FROM (SELECT 70 AS age, 'F' AS sex, true AS snp_new_enrollee) p)::record)
) s(label, p);
