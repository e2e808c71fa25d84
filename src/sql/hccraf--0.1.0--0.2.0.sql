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

-- suspect_list refuses a patients table with two rows for one patient.
CREATE OR REPLACE FUNCTION hccraf.suspect_list(dx regclass, current_year integer,
                                    prior_year integer DEFAULT NULL,
                                    patients regclass DEFAULT NULL,
                                    model text DEFAULT 'V28', payment_year integer DEFAULT NULL,
                                    base_rate numeric DEFAULT NULL)
RETURNS TABLE (patient_id text, hcc text, label text, status text, prior_codes text[],
               current_codes text[], raf_delta numeric, revenue_delta numeric, segment text,
               patient_basis text, detail text)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    id_names   constant text[] := ARRAY['patient_id', 'member_id', 'person_id'];
    code_names constant text[] := ARRAY['icd10_code', 'icd10', 'diagnosis_code', 'dx_code', 'dx', 'code'];
    year_names constant text[] := ARRAY['year', 'service_year', 'dx_year'];
    date_names constant text[] := ARRAY['service_date', 'diagnosis_date', 'date_of_service', 'dos'];
    id_col text;
    code_col text;
    year_expr text;
    patient_join text := '';
    patient_arg text := '';
    col text;
    dup text;
    py integer := coalesce(payment_year, current_year + 1);
    prior_y integer := coalesce(prior_year, current_year - 1);
BEGIN
    IF dx IS NULL OR current_year IS NULL THEN
        RETURN;
    END IF;
    -- Columns are found by name (first match in the lists above), then quoted with %I.
    SELECT a.attname INTO id_col FROM pg_attribute a
     WHERE a.attrelid = dx AND a.attnum > 0 AND NOT a.attisdropped AND a.attname::text = ANY (id_names)
     ORDER BY array_position(id_names, a.attname::text) LIMIT 1;
    SELECT a.attname INTO code_col FROM pg_attribute a
     WHERE a.attrelid = dx AND a.attnum > 0 AND NOT a.attisdropped AND a.attname::text = ANY (code_names)
     ORDER BY array_position(code_names, a.attname::text) LIMIT 1;
    SELECT a.attname INTO col FROM pg_attribute a
     WHERE a.attrelid = dx AND a.attnum > 0 AND NOT a.attisdropped AND a.attname::text = ANY (year_names)
     ORDER BY array_position(year_names, a.attname::text) LIMIT 1;
    IF col IS NOT NULL THEN
        year_expr := format('%I::integer', col);
    ELSE
        SELECT a.attname INTO col FROM pg_attribute a
         WHERE a.attrelid = dx AND a.attnum > 0 AND NOT a.attisdropped AND a.attname::text = ANY (date_names)
         ORDER BY array_position(date_names, a.attname::text) LIMIT 1;
        IF col IS NOT NULL THEN
            year_expr := format('extract(year FROM %I)::integer', col);
        END IF;
    END IF;
    IF id_col IS NULL OR code_col IS NULL OR year_expr IS NULL THEN
        RAISE EXCEPTION 'suspect_list: table % needs a patient column, a code column and a year or date column', dx
            USING ERRCODE = 'undefined_column',
                  HINT = format('Accepted names: patient %s; code %s; year %s or date %s.',
                                id_names, code_names, year_names, date_names);
    END IF;
    IF patients IS NOT NULL THEN
        SELECT a.attname INTO col FROM pg_attribute a
         WHERE a.attrelid = patients AND a.attnum > 0 AND NOT a.attisdropped AND a.attname::text = ANY (id_names)
         ORDER BY array_position(id_names, a.attname::text) LIMIT 1;
        IF col IS NULL THEN
            RAISE EXCEPTION 'suspect_list: patient table % has no patient column', patients
                USING ERRCODE = 'undefined_column', HINT = format('Accepted names: %s.', id_names);
        END IF;
        -- One row per patient: a second row would double the patient's gap rows (with values
        -- of two different persons). Refuse rather than pick one.
        EXECUTE format('SELECT %I::text FROM %s WHERE %I IS NOT NULL GROUP BY 1 HAVING count(*) > 1 LIMIT 1',
                       col, patients, col) INTO dup;
        IF dup IS NOT NULL THEN
            RAISE EXCEPTION 'suspect_list: patient % has more than one row in %', dup, patients
                USING ERRCODE = 'cardinality_violation',
                      HINT = 'The patients table must hold one row per patient (a primary key on the patient column ensures it).';
        END IF;
        patient_join := format('LEFT JOIN %s p ON p.%I::text = pp.pid', patients, col);
        patient_arg := 'patient => p, ';
    END IF;
    RETURN QUERY EXECUTE format($q$
        WITH d AS (
            SELECT %1$I::text AS pid, %2$s AS yr, %3$I::text AS code FROM %4$s
            WHERE %2$s IN ($1, $2) AND %3$I IS NOT NULL
        ), pp AS (
            SELECT d.pid, array_agg(DISTINCT d.code) FILTER (WHERE d.yr = $1) AS prior_dx,
                   array_agg(DISTINCT d.code) FILTER (WHERE d.yr = $2) AS current_dx
            FROM d GROUP BY d.pid
        )
        SELECT pp.pid, g.hcc, g.label, g.status, g.prior_codes, g.current_codes, g.raf_delta,
               g.revenue_delta, g.segment, g.patient_basis, g.detail
        FROM pp %5$s
        CROSS JOIN LATERAL hccraf.hcc_gaps(pp.prior_dx, pp.current_dx, %6$s model => $3,
                                           payment_year => $4, base_rate => $5) g
        WHERE g.status IN ('gap', 'downgraded')
        ORDER BY g.raf_delta DESC, pp.pid, substr(g.hcc, 4)::integer
        $q$, id_col, year_expr, code_col, dx, patient_join, patient_arg)
    USING prior_y, current_year, model, py, base_rate;
END;
$$;

-------------------------------------------------------------------------------
-- Model names: 1 to 10 characters everywhere (the other tables are varchar(10)).
-------------------------------------------------------------------------------

ALTER TABLE hccraf.model_release ADD CONSTRAINT model_release_model_version_length
    CHECK (pg_catalog.char_length(model_version) <= 10);

-------------------------------------------------------------------------------
-- One statement, one state: the reference version (see the install script), and the
-- introspection functions that show it instead of the old shared-memory generation.
-------------------------------------------------------------------------------

CREATE TABLE hccraf.reference_version (
    one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),
    version bigint  NOT NULL DEFAULT 1 CHECK (version > 0)
);
INSERT INTO hccraf.reference_version DEFAULT VALUES;

DROP VIEW hccraf.images;
DROP FUNCTION hccraf.images();
DROP FUNCTION hccraf.shared_memory_usage();
CREATE FUNCTION hccraf.images(OUT model_version text, OUT payment_year integer, OUT location text,
                              OUT bytes bigint, OUT build_ms double precision, OUT reference_version bigint,
                              OUT built_at timestamptz)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'hccraf_images'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;
CREATE VIEW hccraf.images AS SELECT * FROM hccraf.images();
COMMENT ON VIEW hccraf.images IS
    'Compiled images of this database: shared (one per server and reference version, with shared_preload_libraries = hccraf; "shared (other version)": of another reference version than this statement''s) or local (this backend''s own copies). model_version ICD10CM is the code-set image.';

CREATE FUNCTION hccraf.shared_memory_usage(OUT enabled boolean, OUT capacity_bytes bigint,
                                           OUT used_bytes bigint, OUT images integer,
                                           OUT reference_version bigint)
AS 'MODULE_PATHNAME', 'hccraf_shared_memory_usage'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;

-------------------------------------------------------------------------------
-- Retire every compiled image, in every session and in shared memory: a statement trigger of
-- the reference tables fires even when the statement changes no row (and increments the
-- reference version).
-------------------------------------------------------------------------------

UPDATE hccraf.model_release SET status = status WHERE false;
