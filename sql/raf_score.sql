-- raf_score on a user's own table: any row type, fields found by name.
\pset null '(null)'
CREATE TABLE members (
    member_id   int PRIMARY KEY,
    dob         date,
    gender      char(1),           -- "gender" is accepted for sex
    orec        int,               -- OREC as an integer
    dual_status text,
    institutional int,             -- flags as 0/1 integers
    dx          text[]
);
INSERT INTO members VALUES
    (1, '1957-06-15', 'M', 0, 'non', 0, '{E11.9,N18.30,I50.22}'),
    (2, '1980-08-20', 'F', 1, '02', 0, '{C50.911,D66,E11.9,C93.30}'),   -- CMS dual code 02 = full
    (3, '1940-01-01', 'F', NULL, NULL, 1, '{}'),                         -- NULL OREC, dual, no dx
    (4, '1950-05-05', 'M', 0, 'partial', 0, NULL);                       -- NULL diagnoses
SELECT m.member_id, r.segment, r.hccs, r.raw_score, r.payment_score
FROM members m, hccraf.raf_score(m, m.dx) r ORDER BY 1;
-- Parts add up to the raw score.
SELECT member_id, (r).demographic_score + (r).disease_score + (r).interaction_score = (r).raw_score AS parts_add_up
FROM (SELECT member_id, hccraf.raf_score(m, m.dx) r FROM members m) s ORDER BY 1;
-- An anonymous ROW with named fields via a subquery, and the typed composite.
SELECT (hccraf.raf_score(p, ARRAY['E11.9'])).raw_score
FROM (SELECT 70 AS age, 'F' AS sex) p;
SELECT (hccraf.raf_score(ROW('1955-03-01', 'F', '0', 'non', false, false, false)::hccraf.patient, ARRAY['E11.9'])).raw_score;
-- Duplicates count once, NULL elements are ignored, dotted/undotted/lower case are the same code.
SELECT (hccraf.raf_score(p, ARRAY['E11.9', 'e119', NULL, ' E11.9 '])).hccs AS one_hcc,
       (hccraf.raf_score(p, ARRAY['E11.9', 'e119', NULL, ' E11.9 '])).raw_score
     = (hccraf.raf_score(p, ARRAY['E11.9'])).raw_score AS same_score
FROM (SELECT 70 AS age, 'F' AS sex) p;
-- Malformed and unknown codes are skipped (raf_explain lists them) ...
SELECT (hccraf.raf_score(p, ARRAY['E11.9', 'not a code', 'Z99.999'])).hccs
FROM (SELECT 70 AS age, 'F' AS sex) p;
-- ... or reported, as hccraf.unknown_code_action says.
SET hccraf.unknown_code_action = 'warning';
SELECT (hccraf.raf_score(p, ARRAY['E11.9', 'Z99.999'])).hccs FROM (SELECT 70 AS age, 'F' AS sex) p;
SELECT (hccraf.raf_score(p, ARRAY['E11.9', 'xx'])).hccs FROM (SELECT 70 AS age, 'F' AS sex) p;
SET hccraf.unknown_code_action = 'error';
SELECT (hccraf.raf_score(p, ARRAY['E11.9', 'Z99.999'])).hccs FROM (SELECT 70 AS age, 'F' AS sex) p;
RESET hccraf.unknown_code_action;
-- 10,000-element arrays work (E11.9 repeated, plus I50.22 once).
SELECT (r).hccs, (r).raw_score
FROM (SELECT hccraf.raf_score(p, array_fill('E11.9'::text, ARRAY[9999]) || 'I50.22'::text) r
      FROM (SELECT 70 AS age, 'F' AS sex) p) s;
-- NULL patient, model or year: NULL result.
SELECT hccraf.raf_score(NULL::hccraf.patient, ARRAY['E11.9']) IS NULL AS null_patient,
       hccraf.raf_score(p, ARRAY['E11.9'], NULL) IS NULL AS null_model
FROM (SELECT 70 AS age, 'F' AS sex) p;
-- model => 'CMS-HCC' is the payment model of the year: V28 alone from 2026.
SELECT (r).model, (r).payment_score FROM
  (SELECT hccraf.raf_score(m, m.dx, 'CMS-HCC', 2026) r FROM members m WHERE member_id = 1) s;
-- Payment years: 2024 blend, 2027 initial (normalization 1.079), V24 2026 (no payment role).
SELECT y, m, (r).model, (r).raw_score, (r).normalized_score, (r).payment_score
FROM members mb, unnest(ARRAY[2024, 2027]) y, unnest(ARRAY['CMS-HCC']) m,
     LATERAL (SELECT hccraf.raf_score(mb, mb.dx, m, y) r) s
WHERE member_id = 1 ORDER BY 1;
SELECT (hccraf.raf_score(m, m.dx, 'V24', 2026)).* FROM members m WHERE member_id = 1;
-- Two numbers of one result 4.096 apart (M90_94 0.800 and a payment score of 4.896) once shared a
-- slot of the numeric cache, and demographic_score read 4.896. By hand (CNA): 0.800 + HCC1
-- 0.301 + HCC17 4.209 + HCC139 0.242 = 5.552; round3(5.552 / 1.067) = 5.203;
-- round3(5.203 x 0.941) = 4.896. The second row reuses the cache across rows.
SELECT (r).demographic_score, (r).disease_score, (r).raw_score, (r).normalized_score, (r).payment_score
FROM (SELECT hccraf.raf_score(p, ARRAY['B20', 'F10.130', 'C77.1']) r
      FROM (VALUES (90, 'M'), (91, 'M')) p(age, sex)) s;
-- Functions are declared for parallel query and postgres_fdw pushdown.
SELECT proname, provolatile, proparallel FROM pg_proc
WHERE pronamespace = 'hccraf'::regnamespace AND proname IN ('raf_score', 'raf_explain', 'hcc_map') ORDER BY 1;
DROP TABLE members;
