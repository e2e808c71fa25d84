-- hccraf 0.1.0 -> 0.2.0: safety (issue "nothing a user types may take the server down or change
-- what another user sees"). The C library of 0.2.0 keeps every symbol of 0.1.0.
\echo Use "ALTER EXTENSION hccraf UPDATE TO '0.2.0'" to load this file. \quit

-------------------------------------------------------------------------------
-- The schema must be ours. CREATE EXTENSION silently uses an existing schema "hccraf"; a role
-- that prepared one could put functions in it that this script (or a CHECK constraint) would
-- bind to, or add them later. So: the schema must belong to a superuser, no other role may
-- create objects in it, and it may hold nothing that is not this extension's (at install: it
-- must be empty). The same check runs in every upgrade script.
-------------------------------------------------------------------------------

DO $$
DECLARE
    nsp      pg_catalog.oid := pg_catalog.to_regnamespace('hccraf')::pg_catalog.oid;
    owner    pg_catalog.name;
    creators pg_catalog.text;
    strays   pg_catalog.text;
BEGIN
    SELECT r.rolname INTO owner
    FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) n.nspowner
    WHERE n.oid OPERATOR(pg_catalog.=) nsp AND r.rolsuper;
    IF owner IS NULL THEN
        RAISE EXCEPTION 'schema "hccraf" is owned by a role that is not a superuser'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'hccraf installs into its own schema. Drop or rename the existing schema "hccraf" (after checking what it holds), then run CREATE EXTENSION hccraf again.';
    END IF;
    SELECT pg_catalog.string_agg(r.rolname, ', ') INTO creators
    FROM pg_catalog.pg_roles r
    WHERE NOT r.rolsuper AND pg_catalog.has_schema_privilege(r.oid, nsp, 'CREATE');
    IF creators IS NOT NULL THEN
        RAISE EXCEPTION 'roles other than superusers may create objects in schema "hccraf": %', creators
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'REVOKE CREATE ON SCHEMA hccraf FROM those roles first.';
    END IF;
    -- Objects in the schema that are neither members of the extension nor parts of one
    -- (row and array types, indexes, serial sequences depend on their owner object).
    SELECT pg_catalog.string_agg(o.kind || ' ' || o.name, ', ') INTO strays
    FROM (SELECT 'pg_catalog.pg_class'::pg_catalog.regclass AS cls, c.oid, 'relation' AS kind, c.relname::pg_catalog.text AS name
            FROM pg_catalog.pg_class c WHERE c.relnamespace OPERATOR(pg_catalog.=) nsp
          UNION ALL
          SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, p.oid, 'function', p.proname::pg_catalog.text
            FROM pg_catalog.pg_proc p WHERE p.pronamespace OPERATOR(pg_catalog.=) nsp
          UNION ALL
          SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, t.oid, 'type', t.typname::pg_catalog.text
            FROM pg_catalog.pg_type t WHERE t.typnamespace OPERATOR(pg_catalog.=) nsp
          UNION ALL
          SELECT 'pg_catalog.pg_operator'::pg_catalog.regclass, o.oid, 'operator', o.oprname::pg_catalog.text
            FROM pg_catalog.pg_operator o WHERE o.oprnamespace OPERATOR(pg_catalog.=) nsp
          UNION ALL
          SELECT 'pg_catalog.pg_collation'::pg_catalog.regclass, c.oid, 'collation', c.collname::pg_catalog.text
            FROM pg_catalog.pg_collation c WHERE c.collnamespace OPERATOR(pg_catalog.=) nsp
          UNION ALL
          SELECT 'pg_catalog.pg_conversion'::pg_catalog.regclass, c.oid, 'conversion', c.conname::pg_catalog.text
            FROM pg_catalog.pg_conversion c WHERE c.connamespace OPERATOR(pg_catalog.=) nsp
          UNION ALL
          SELECT 'pg_catalog.pg_opclass'::pg_catalog.regclass, c.oid, 'operator class', c.opcname::pg_catalog.text
            FROM pg_catalog.pg_opclass c WHERE c.opcnamespace OPERATOR(pg_catalog.=) nsp
          UNION ALL
          SELECT 'pg_catalog.pg_opfamily'::pg_catalog.regclass, f.oid, 'operator family', f.opfname::pg_catalog.text
            FROM pg_catalog.pg_opfamily f WHERE f.opfnamespace OPERATOR(pg_catalog.=) nsp
          UNION ALL
          SELECT 'pg_catalog.pg_ts_config'::pg_catalog.regclass, c.oid, 'text search configuration', c.cfgname::pg_catalog.text
            FROM pg_catalog.pg_ts_config c WHERE c.cfgnamespace OPERATOR(pg_catalog.=) nsp
          UNION ALL
          SELECT 'pg_catalog.pg_ts_dict'::pg_catalog.regclass, d.oid, 'text search dictionary', d.dictname::pg_catalog.text
            FROM pg_catalog.pg_ts_dict d WHERE d.dictnamespace OPERATOR(pg_catalog.=) nsp
          UNION ALL
          SELECT 'pg_catalog.pg_ts_parser'::pg_catalog.regclass, p.oid, 'text search parser', p.prsname::pg_catalog.text
            FROM pg_catalog.pg_ts_parser p WHERE p.prsnamespace OPERATOR(pg_catalog.=) nsp
          UNION ALL
          SELECT 'pg_catalog.pg_ts_template'::pg_catalog.regclass, t.oid, 'text search template', t.tmplname::pg_catalog.text
            FROM pg_catalog.pg_ts_template t WHERE t.tmplnamespace OPERATOR(pg_catalog.=) nsp
          UNION ALL
          SELECT 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass, s.oid, 'statistics object', s.stxname::pg_catalog.text
            FROM pg_catalog.pg_statistic_ext s WHERE s.stxnamespace OPERATOR(pg_catalog.=) nsp) o
    WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                      WHERE d.classid OPERATOR(pg_catalog.=) o.cls AND d.objid OPERATOR(pg_catalog.=) o.oid
                        AND d.deptype OPERATOR(pg_catalog.=) ANY ('{e,i,a}'::pg_catalog."char"[]));
    IF strays IS NOT NULL THEN
        RAISE EXCEPTION 'schema "hccraf" holds objects that are not part of extension hccraf: %', strays
            USING ERRCODE = 'duplicate_schema',
                  HINT = 'hccraf installs into its own schema. Drop or rename the existing schema "hccraf" (after checking what it holds), then run CREATE EXTENSION hccraf again.';
    END IF;
END;
$$;

-------------------------------------------------------------------------------
-- Internal functions are not PUBLIC's.
-------------------------------------------------------------------------------

REVOKE ALL ON FUNCTION hccraf._reference_changed() FROM PUBLIC;
REVOKE ALL ON FUNCTION hccraf.shipped_data_dir() FROM PUBLIC;

-------------------------------------------------------------------------------
-- CHECK constraints bind the functions they name when they are created: name pg_catalog's.
-------------------------------------------------------------------------------

ALTER TABLE hccraf.specificity_rule
    DROP CONSTRAINT IF EXISTS specificity_rule_requires_check,
    DROP CONSTRAINT IF EXISTS specificity_rule_unless_present_check,
    DROP CONSTRAINT IF EXISTS specificity_rule_replaces_check,
    DROP CONSTRAINT IF EXISTS specificity_rule_suggest_check,
    ADD CONSTRAINT specificity_rule_requires_check CHECK (pg_catalog.array_to_string(requires, ' ')
        ~ '^[A-Z][0-9A-Z]{2,6}\*?(\|[A-Z][0-9A-Z]{2,6}\*?)*( [A-Z][0-9A-Z]{2,6}\*?(\|[A-Z][0-9A-Z]{2,6}\*?)*)*$'),
    ADD CONSTRAINT specificity_rule_unless_present_check CHECK (pg_catalog.array_to_string(unless_present, ' ')
        ~ '^([A-Z][0-9A-Z]{2,6}\*?( [A-Z][0-9A-Z]{2,6}\*?)*)?$'),
    ADD CONSTRAINT specificity_rule_replaces_check CHECK (pg_catalog.array_to_string(replaces, ' ')
        ~ '^([A-Z][0-9A-Z]{2,6}\*?( [A-Z][0-9A-Z]{2,6}\*?)*)?$'),
    ADD CONSTRAINT specificity_rule_suggest_check CHECK (pg_catalog.array_to_string(suggest, ' ')
        ~ '^[A-Z][0-9A-Z]{2,6}( [A-Z][0-9A-Z]{2,6})*$');

-------------------------------------------------------------------------------
-- SQL functions: every function they call is schema-qualified (search_path is pinned too).
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION hccraf.model_factors(model text DEFAULT 'V28', payment_year integer DEFAULT 2026)
RETURNS TABLE (segment text, variable text, kind text, label text, coefficient numeric)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT f.segment, f.variable, f.kind, l.label, f.coefficient
    FROM hccraf.hcc_factor f
    LEFT JOIN hccraf.hcc_label l
           ON (l.model_version, l.payment_year, l.hcc_code) = (f.model_version, f.payment_year, f.variable)
    WHERE f.model_version = $1 AND f.payment_year = $2
    ORDER BY pg_catalog.array_position(ARRAY['CNA','CND','CFA','CFD','CPA','CPD','INS','NE','SNPNE'], f.segment),
             f.kind, f.variable;
$$;

CREATE OR REPLACE FUNCTION hccraf.model_labels(model text DEFAULT 'V28', payment_year integer DEFAULT 2026)
RETURNS TABLE (hcc_code text, label text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT l.hcc_code, l.label FROM hccraf.hcc_label l
    WHERE l.model_version = $1 AND l.payment_year = $2
    ORDER BY pg_catalog.substr(l.hcc_code, 4)::pg_catalog.int4;
$$;

CREATE OR REPLACE FUNCTION hccraf.icd10cm_description(code text)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT c.description FROM hccraf.icd10cm_code c
    WHERE c.code = pg_catalog.upper(pg_catalog.replace(pg_catalog.btrim($1), '.', ''))
    ORDER BY c.fiscal_year DESC LIMIT 1;
$$;

-------------------------------------------------------------------------------
-- Retire every compiled image, in every session and in shared memory: a statement trigger of
-- the reference tables fires even when the statement changes no row.
-------------------------------------------------------------------------------

UPDATE hccraf.model_release SET status = status WHERE false;
