-- An ordinary role tries to poison what every other session sees (issue: safety, items 2 and 3)
-- and the superuser's answers stay those of the CMS tables: README member 1 (V28 PY2026, male
-- aged 68, E11.9 + I50.22 + N18.30) pays 1.123; E11.9 maps to HCC38 (V28) and HCC19 (V24).
-- V24 PY2025 by hand (CNA, data/V24/2025): M65_69 0.308 + HCC19 0.105 + HCC85 0.331 + HCC138
-- 0.069 + DIABETES_CHF 0.121 + HCC85_gRenal_V24 0.156 = 1.090; round3(1.090 / 1.153) = 0.945;
-- round3(0.945 x 0.941) = 0.889.
CREATE ROLE hccraf_mallory LOGIN;
GRANT USAGE ON SCHEMA hccraf TO hccraf_mallory;           -- a DBA lets the role score
GRANT CREATE ON SCHEMA public TO hccraf_mallory;          -- as in databases created before PG 15
CREATE VIEW public.member1 AS SELECT 68 AS age, 'M' AS sex, ARRAY['E11.9', 'I50.22', 'N18.30'] AS dx;
GRANT SELECT ON public.member1 TO hccraf_mallory;

SET ROLE hccraf_mallory;
-- Item 2: the reference-change trigger function is not the role's to call or to attach.
SELECT hccraf._reference_changed();
CREATE TEMP TABLE mallory_t (x int);
CREATE TRIGGER retire_images AFTER INSERT ON mallory_t
    FOR EACH STATEMENT EXECUTE FUNCTION hccraf._reference_changed();
-- A pg_temp.text domain that would cut 1.067 to 1.06 if an internal query cast with ::text.
CREATE DOMAIN pg_temp.text AS varchar(4);
-- Item 3: functions in a schema of the caller's search_path that would win over pg_catalog's
-- for varchar / text[] arguments if an internal query called substr or array_to_string
-- unqualified, or under the caller's search_path. If ever called, they say so.
CREATE FUNCTION public.substr(varchar, int4) RETURNS text LANGUAGE plpgsql AS
$$ BEGIN RAISE NOTICE 'mallory''s substr ran as %', current_user; RETURN '17'; END $$;
CREATE FUNCTION public.array_to_string(text[], text) RETURNS text LANGUAGE plpgsql AS
$$ BEGIN RAISE NOTICE 'mallory''s array_to_string ran as %', current_user; RETURN 'E119'; END $$;
-- Scoring as the role compiles images (V24 PY2025 is compiled for the first time here; with
-- shared_preload_libraries it is published for every session): exact all the same.
SET search_path = public, hccraf;
SELECT (raf_score(m, m.dx)).payment_score, hcc_map('E11.9', 'V24', 2025) FROM public.member1 m;
SELECT (raf_score(m, m.dx, 'V24', 2025)).payment_score FROM public.member1 m;
RESET search_path;
-- The role cannot reach the reference tables or the data-loading functions either.
SELECT count(*) FROM hccraf.hcc_factor;
SELECT hccraf.load_release('/tmp', 'V28', 2026);
SELECT hccraf.shipped_data_dir();
RESET ROLE;

-- The superuser, with the role's functions first in its search_path (and the role's pg_temp
-- domain still in this session): every image is rebuilt, and none of the role's code runs.
SET search_path = public, hccraf;
UPDATE hccraf.model_release SET notes = notes WHERE false;  -- retires every compiled image
SELECT (raf_score(m, m.dx)).payment_score, hcc_map('E11.9'), hcc_map('E11.9', 'V24', 2025) FROM public.member1 m;
SELECT (raf_score(m, m.dx, 'V24', 2025)).payment_score FROM public.member1 m;
SELECT rule_id, suggested_codes, raf_delta FROM hcc_specificity(ARRAY['E11.9', 'N18.30'], model => 'V24',
                                                                payment_year => 2026);
-- The specificity rules' CHECK constraints are bound to pg_catalog's array_to_string.
INSERT INTO hccraf.specificity_rule (rule_id, requires, suggest, reason, guideline_reference)
VALUES ('BAD_RULE', ARRAY['not a code'], ARRAY['E1122'], 'test', 'test');
RESET search_path;

DROP FUNCTION public.substr(varchar, int4);
DROP FUNCTION public.array_to_string(text[], text);
DROP DOMAIN pg_temp.text;
DROP VIEW public.member1;
REVOKE CREATE ON SCHEMA public FROM hccraf_mallory;
REVOKE USAGE ON SCHEMA hccraf FROM hccraf_mallory;

-- CREATE EXTENSION refuses a schema "hccraf" that it did not make its own (in a database of
-- its own, so the rest of the suite keeps its extension).
SELECT current_database() AS suite_db \gset
CREATE DATABASE hccraf_schema_trap;
\c hccraf_schema_trap
CREATE SCHEMA hccraf AUTHORIZATION hccraf_mallory;
CREATE EXTENSION hccraf;
ALTER SCHEMA hccraf OWNER TO CURRENT_USER;
GRANT CREATE ON SCHEMA hccraf TO hccraf_mallory;
CREATE EXTENSION hccraf;
REVOKE CREATE ON SCHEMA hccraf FROM hccraf_mallory;
CREATE FUNCTION hccraf.substr(varchar, int4) RETURNS text LANGUAGE sql AS $$ SELECT '17' $$;
CREATE EXTENSION hccraf;
DROP SCHEMA hccraf CASCADE;
\c :suite_db
DROP DATABASE hccraf_schema_trap;
DROP ROLE hccraf_mallory;
