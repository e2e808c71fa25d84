-- ALTER EXTENSION hccraf UPDATE from 0.1.0 (its install script is kept in src/sql): user rows
-- survive, every score is identical before and after, the compiled images are retired, and the
-- updated extension's objects are exactly those of a fresh install of the current version.
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT current_database() AS suite_db, current_setting('port') AS port,
       split_part(current_setting('unix_socket_directories'), ',', 1) AS socket_dir \gset
CREATE DATABASE hccraf_upgrade;
\c hccraf_upgrade
CREATE EXTENSION hccraf VERSION '0.1.0';
CREATE EXTENSION dblink;
SELECT extversion FROM pg_extension WHERE extname = 'hccraf';

-- User rows: a release of the user's own (V28 PY2026 with HCC38 raised to 0.200 in CNA), a
-- specificity rule, a patient score.
INSERT INTO hccraf.model_release (model_version, payment_year, normalization_factor, ma_coding_adjustment,
                                  blend_weight, status)
VALUES ('V28X', 2026, 1.067, 0.059, 0.00, 'user');
INSERT INTO hccraf.hcc_label (model_version, payment_year, hcc_code, label)
SELECT 'V28X', 2026, hcc_code, label FROM hccraf.hcc_label WHERE (model_version, payment_year) = ('V28', 2026);
INSERT INTO hccraf.hcc_factor (model_version, payment_year, segment, variable, kind, coefficient)
SELECT 'V28X', 2026, segment, variable, kind,
       CASE WHEN (segment, variable) = ('CNA', 'HCC38') THEN 0.200 ELSE coefficient END
FROM hccraf.hcc_factor WHERE (model_version, payment_year) = ('V28', 2026);
INSERT INTO hccraf.hcc_crosswalk (model_version, icd10_code, hcc_code, effective_year)
SELECT 'V28X', icd10_code, hcc_code, 2026 FROM hccraf.hcc_crosswalk WHERE (model_version, effective_year) = ('V28', 2026);
INSERT INTO hccraf.hcc_hierarchy (model_version, payment_year, rule_order, superior_hcc, subordinate_hcc)
SELECT 'V28X', 2026, rule_order, superior_hcc, subordinate_hcc FROM hccraf.hcc_hierarchy WHERE (model_version, payment_year) = ('V28', 2026);
INSERT INTO hccraf.hcc_interaction (model_version, payment_year, interaction_name, hcc_combinations)
SELECT 'V28X', 2026, interaction_name, hcc_combinations FROM hccraf.hcc_interaction WHERE (model_version, payment_year) = ('V28', 2026);
INSERT INTO hccraf.hcc_interaction_member (model_version, payment_year, interaction_name, term, hcc_code)
SELECT 'V28X', 2026, interaction_name, term, hcc_code FROM hccraf.hcc_interaction_member WHERE (model_version, payment_year) = ('V28', 2026);
INSERT INTO hccraf.hcc_edit (model_version, payment_year, edit_order, edit_kind, icd10_code, sex, age_min, age_max, action, hcc_code)
SELECT 'V28X', 2026, edit_order, edit_kind, icd10_code, sex, age_min, age_max, action, hcc_code FROM hccraf.hcc_edit WHERE (model_version, payment_year) = ('V28', 2026);
INSERT INTO hccraf.specificity_rule (rule_id, requires, suggest, reason, guideline_reference)
VALUES ('USER_HTN_CKD', ARRAY['I10', 'N18*'], ARRAY['I129'], 'user rule', 'I.C.9.a.2');
INSERT INTO hccraf.patient_hcc_score (patient_id, payment_year, raf_score)
VALUES ('00000000-0000-0000-0000-000000000042', 2026, 1.123);

-- A panel: 2,000 made-up persons of every age, sex, OREC, dual status and institutional flag,
-- each with 1 to 6 codes of the V28 crosswalk (and one malformed code now and then).
CREATE TABLE panel AS
WITH codes AS (SELECT array_agg(DISTINCT icd10_code::text ORDER BY icd10_code::text) AS c
               FROM hccraf.hcc_crosswalk WHERE (model_version, effective_year) = ('V28', 2026))
SELECT i AS id, (i * 7) % 101 AS age, CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END AS sex,
       ((i / 2) % 4)::text AS orec, (ARRAY['non', 'full', 'partial'])[1 + i % 3] AS dual_status,
       i % 17 = 0 AS institutional,
       ARRAY(SELECT codes.c[1 + (i * 131 + k * 977) % cardinality(codes.c)] FROM generate_series(1, 1 + i % 6) k)
         || CASE WHEN i % 50 = 0 THEN ARRAY['E11'] ELSE '{}' END AS dx
FROM codes, generate_series(1, 2000) i;
CREATE FUNCTION scores() RETURNS TABLE (id int, what text, answer text) LANGUAGE sql AS $$
    SELECT p.id, 'V28 2026', hccraf.raf_score(p, p.dx)::text FROM panel p
    UNION ALL SELECT p.id, 'V24 2026', hccraf.raf_score(p, p.dx, 'V24', 2026)::text FROM panel p
    UNION ALL SELECT p.id, 'blend 2025', hccraf.raf_score(p, p.dx, 'CMS-HCC', 2025)::text FROM panel p
    UNION ALL SELECT p.id, 'V28X 2026', hccraf.raf_score(p, p.dx, 'V28X', 2026)::text FROM panel p
    UNION ALL SELECT p.id, 'explain', (SELECT string_agg(e::text, ';') FROM hccraf.raf_explain(p, p.dx) e) FROM panel p
    UNION ALL SELECT p.id, 'gaps', (SELECT string_agg(g::text, ';') FROM hccraf.hcc_gaps(p.dx, p.dx[1:2], p) g) FROM panel p
    UNION ALL SELECT p.id, 'specificity', (SELECT string_agg(s::text, ';') FROM hccraf.hcc_specificity(p.dx || '{I10,N18.30}'::text[], p) s) FROM panel p
    UNION ALL SELECT p.id, 'map', hccraf.hcc_map(p.dx[1])::text FROM panel p
$$;
CREATE TABLE before AS SELECT * FROM scores();

ALTER EXTENSION hccraf UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'hccraf';
-- The update counts as a reference change (a new version, starting from 1): no image of the
-- 0.1.0 objects is used after it.
SELECT reference_version > 1 AS images_retired FROM hccraf.shared_memory_usage();
-- Every answer identical (2,000 persons x 8 kinds of answer).
SELECT count(*) AS answers, count(*) FILTER (WHERE b.answer IS DISTINCT FROM a.answer) AS changed
FROM before b JOIN scores() a USING (id, what);
-- User rows intact.
SELECT (SELECT count(*) FROM hccraf.model_release WHERE NOT shipped) AS user_releases,
       (SELECT count(*) FROM hccraf.hcc_factor WHERE NOT shipped) AS user_factors,
       (SELECT count(*) FROM hccraf.hcc_crosswalk WHERE NOT shipped) = (SELECT count(*) FROM hccraf.hcc_crosswalk
         WHERE (model_version, effective_year) = ('V28', 2026)) AS user_crosswalk_complete,
       (SELECT count(*) FROM hccraf.specificity_rule WHERE NOT shipped) AS user_rules,
       (SELECT count(*) FROM hccraf.patient_hcc_score) AS patient_scores;
-- The user's release still differs from V28 where it should: a woman of 70 with E11.9 gets
-- F70_74 0.395 + HCC38 0.200 = 0.595 under V28X (0.561 under V28).
SELECT (hccraf.raf_score(p, ARRAY['E11.9'], 'V28X', 2026)).raw_score FROM (SELECT 70 AS age, 'F' AS sex) p;

-- The updated objects are those of a fresh install (the suite's database): functions with their
-- definitions, privileges and settings, constraints, triggers, relations, columns, views.
CREATE FUNCTION catalog_lines() RETURNS SETOF text LANGUAGE sql AS $$
    SELECT 'function ' || pg_get_functiondef(p.oid) || ' acl ' || coalesce(p.proacl::text, 'default')
    FROM pg_proc p WHERE p.pronamespace = 'hccraf'::regnamespace
    UNION ALL
    SELECT 'constraint ' || c.conrelid::regclass || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
    FROM pg_constraint c WHERE c.connamespace = 'hccraf'::regnamespace
    UNION ALL
    SELECT 'trigger ' || pg_get_triggerdef(t.oid)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = 'hccraf'::regnamespace AND NOT t.tgisinternal
    UNION ALL
    SELECT 'relation ' || c.relname || ' ' || c.relkind::text || ' acl ' || coalesce(c.relacl::text, 'default')
           || coalesce(' view ' || pg_get_viewdef(c.oid), '')
    FROM pg_class c WHERE c.relnamespace = 'hccraf'::regnamespace
    UNION ALL
    SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON (d.adrelid, d.adnum) = (a.attrelid, a.attnum)
    WHERE c.relnamespace = 'hccraf'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'comment on ' || coalesce(p.oid::regprocedure::text, c.relname::text) || ': ' || d.description
    FROM pg_description d
    LEFT JOIN pg_proc p ON d.classoid = 'pg_proc'::regclass AND p.oid = d.objoid
    LEFT JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid AND d.objsubid = 0
    WHERE p.pronamespace = 'hccraf'::regnamespace OR c.relnamespace = 'hccraf'::regnamespace
$$;
SELECT format('dbname=%s port=%s host=%s', :'suite_db', :'port', :'socket_dir') AS suite_conn \gset
-- The update loads the releases of the families added since 0.1.0 (RxHCC, ESRD, HHS-HCC): the
-- shipped reference rows are those of a fresh install, table by table.
CREATE FUNCTION shipped_rows() RETURNS TABLE (t text, n bigint) LANGUAGE sql AS $$
    SELECT 'model_release', count(*) FROM hccraf.model_release WHERE shipped UNION ALL
    SELECT 'hcc_label', count(*) FROM hccraf.hcc_label WHERE shipped UNION ALL
    SELECT 'hcc_crosswalk', count(*) FROM hccraf.hcc_crosswalk WHERE shipped UNION ALL
    SELECT 'hcc_hierarchy', count(*) FROM hccraf.hcc_hierarchy WHERE shipped UNION ALL
    SELECT 'hcc_interaction_member', count(*) FROM hccraf.hcc_interaction_member WHERE shipped UNION ALL
    SELECT 'hcc_factor', count(*) FROM hccraf.hcc_factor WHERE shipped UNION ALL
    SELECT 'hcc_edit', count(*) FROM hccraf.hcc_edit WHERE shipped UNION ALL
    SELECT 'hhs_member_set', count(*) FROM hccraf.hhs_member_set WHERE shipped UNION ALL
    SELECT 'hhs_drug_code', count(*) FROM hccraf.hhs_drug_code WHERE shipped UNION ALL
    SELECT 'hhs_csr_factor', count(*) FROM hccraf.hhs_csr_factor WHERE shipped
$$;
SELECT u.t AS table_name, u.n = f.n AS same_as_fresh, u.n > 0 AS loaded
FROM shipped_rows() u
JOIN dblink(:'suite_conn', (SELECT prosrc FROM pg_proc WHERE proname = 'shipped_rows')) AS f(t text, n bigint) USING (t)
ORDER BY 1;
-- And they score: the HHS-HCC worked example 11.1 (5.066 x 1.12 = 5.67392 -> 5.674).
SELECT (hccraf.hhs_score(ROW('1971-06-10', '2026-04-10', 'M', 'silver', 3, 100, NULL)::hccraf.enrollee,
                         ARRAY['E11.65', 'I50.22'], ARRAY['00002021301'])).csr_adjusted_score;
CREATE TABLE fresh AS  -- the same query in the suite's database (a fresh install)
SELECT l FROM dblink(:'suite_conn', (SELECT prosrc FROM pg_proc WHERE proname = 'catalog_lines')) AS t(l text);
SELECT count(*) > 100 AS compared_enough FROM fresh;
(SELECT 'only after the update: ' || l AS difference FROM catalog_lines() l
 EXCEPT SELECT 'only after the update: ' || l FROM fresh)
UNION ALL
(SELECT 'only in a fresh install: ' || l FROM fresh
 EXCEPT SELECT 'only in a fresh install: ' || l FROM catalog_lines() l)
ORDER BY 1;
\c :suite_db
DROP DATABASE hccraf_upgrade;
DROP EXTENSION dblink;
