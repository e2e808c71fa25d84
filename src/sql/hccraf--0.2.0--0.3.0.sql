-- hccraf 0.2.0 -> 0.3.0: the other Medicare models (RxHCC V08, ESRD V24) in the same engine, and
-- risk profiles. The C library of 0.3.0 keeps every symbol of 0.2.0.
\echo Use "ALTER EXTENSION hccraf UPDATE TO '0.3.0'" to load this file. \quit

-------------------------------------------------------------------------------
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
-- Reference tables: a model family per release; RXHCC spellings, the new segments and kinds,
-- the NONAGED term, negative factors (ESRD).
-------------------------------------------------------------------------------

ALTER TABLE hccraf.model_release
    ADD COLUMN model_family text NOT NULL DEFAULT 'CMS-HCC' CHECK (model_family IN ('CMS-HCC', 'RxHCC', 'ESRD'));
ALTER TABLE hccraf.hcc_label
    DROP CONSTRAINT hcc_label_hcc_code_check,
    ADD CONSTRAINT hcc_label_hcc_code_check CHECK (hcc_code ~ '^(RX)?HCC[0-9]+$');
ALTER TABLE hccraf.hcc_crosswalk
    DROP CONSTRAINT hcc_crosswalk_hcc_code_check,
    ADD CONSTRAINT hcc_crosswalk_hcc_code_check CHECK (hcc_code ~ '^(RX)?HCC[0-9]+$');
ALTER TABLE hccraf.hcc_hierarchy
    DROP CONSTRAINT hcc_hierarchy_superior_hcc_check,
    ADD CONSTRAINT hcc_hierarchy_superior_hcc_check CHECK (superior_hcc ~ '^(RX)?HCC[0-9]+$'),
    DROP CONSTRAINT hcc_hierarchy_subordinate_hcc_check,
    ADD CONSTRAINT hcc_hierarchy_subordinate_hcc_check CHECK (subordinate_hcc ~ '^(RX)?HCC[0-9]+$');
ALTER TABLE hccraf.hcc_interaction_member
    DROP CONSTRAINT hcc_interaction_member_hcc_code_check,
    ADD CONSTRAINT hcc_interaction_member_hcc_code_check CHECK (hcc_code ~ '^(RX)?HCC[0-9]+$'),
    DROP CONSTRAINT hcc_interaction_member_check,
    ADD CONSTRAINT hcc_interaction_member_check CHECK ((term IN ('DISABL', 'NONAGED')) = (hcc_code IS NULL));
ALTER TABLE hccraf.hcc_factor
    DROP CONSTRAINT hcc_factor_segment_check,
    ADD CONSTRAINT hcc_factor_segment_check CHECK (segment IN ('CNA','CND','CFA','CFD','CPA','CPD','INS','NE','SNPNE',
                                                 'CE_NonLow_Aged','CE_NonLow_NonAged','CE_Low_Aged','CE_Low_NonAged','CE_LTI',
                                                 'NE_NonLow_Community','NE_Low_Community','NE_LTI',
                                                 'DIAL','DIAL_NE','TRANSPLANT_1M','TRANSPLANT_2M','TRANSPLANT_3M',
                                                 'G_COMM_ND_PBD_GE65','G_COMM_ND_PBD_LT65','G_COMM_FBD_GE65','G_COMM_FBD_LT65',
                                                 'GRAFT_INST','GRAFT_NE')),
    DROP CONSTRAINT hcc_factor_kind_check,
    ADD CONSTRAINT hcc_factor_kind_check CHECK (kind IN ('demographic','new_enrollee','graft','hcc','interaction','count',
                                                'divisor','normalization')),
    DROP CONSTRAINT hcc_factor_coefficient_check;
ALTER TABLE hccraf.hcc_edit
    DROP CONSTRAINT hcc_edit_hcc_code_check,
    ADD CONSTRAINT hcc_edit_hcc_code_check CHECK (hcc_code ~ '^(RX)?HCC[0-9]+$');
COMMENT ON TABLE hccraf.model_release IS
    'One row per release (model x payment year) of a model family (CMS-HCC, RxHCC, ESRD): normalization factor, MA coding adjustment, blend weight (the share of the family''s payment score), sources.';
COMMENT ON TABLE hccraf.hcc_crosswalk IS
    'ICD-10-CM (CMS spelling, no dot) to payment HCC per release; effective_year = payment year. coefficient = the factor in the family''s first segment (CMS-HCC CNA, RxHCC CE_NonLow_Aged, ESRD DIAL), for reading only: scores use hcc_factor, which is per segment.';
COMMENT ON TABLE hccraf.hcc_interaction_member IS
    'A term is 1 when any member HCC is present after hierarchies; DISABL = age < 65 and OREC not 0; NONAGED = age < 65.';
COMMENT ON TABLE hccraf.hcc_factor IS
    'Relative factors per segment. A variable is in a segment''s CMS variable list iff it has a row here (0.000 rows are meaningful). Kinds beyond the CMS-HCC ones: graft (ESRD add-ons), divisor (ESRD GRAFT_NE ActAdj), normalization (NF: the segment''s own factor; NF_PDP: the RxHCC stand-alone PDP basis). Factors may be negative (ESRD).';

-- Every field the scoring functions read, also the RxHCC and ESRD ones (hccraf.patient keeps
-- its 0.2.0 shape: a ROW(...)::hccraf.patient of seven values must keep working).
CREATE TYPE hccraf.patient_full AS (
    dob                     date,
    sex                     text,
    orec                    text,
    dual_status             text,
    institutional           boolean,
    new_enrollee            boolean,
    snp_new_enrollee        boolean,
    low_income              boolean,
    esrd                    boolean,
    esrd_status             text,
    months_since_transplant integer
);

-------------------------------------------------------------------------------
-- Functions and views that name families, segments or HCC spellings.
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION hccraf.load_release(data_dir text, model_version text, payment_year integer,
                                    shipped boolean DEFAULT false)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    dir text := data_dir || '/' || model_version || '/' || payment_year;
    r text[];
    found_release boolean := false;
    hcc text;          -- the family's spelling of an HCC: HCC38, RXHCC31
    first_seg text;    -- the family's first segment (the reading coefficient of the crosswalk)
BEGIN
    FOR r IN SELECT * FROM hccraf.read_data_file(data_dir || '/model_releases.csv',
            ARRAY['model_version','payment_year','normalization_factor','ma_coding_adjustment',
                  'blend_weight','status','crosswalk_source','factor_source',
                  'normalization_source','notes','model_family'])
    LOOP
        CONTINUE WHEN r[1] <> load_release.model_version OR r[2]::int <> load_release.payment_year;
        INSERT INTO hccraf.model_release (model_version, payment_year, model_family, normalization_factor,
                ma_coding_adjustment, blend_weight, status, crosswalk_source, factor_source,
                normalization_source, notes, shipped)
        VALUES (r[1], r[2]::int, r[11], nullif(r[3], '')::numeric, nullif(r[4], '')::numeric,
                r[5]::numeric, CASE WHEN shipped THEN r[6] ELSE 'user' END, r[7], r[8], r[9],
                r[10], shipped);
        hcc := CASE r[11] WHEN 'RxHCC' THEN 'RXHCC' ELSE 'HCC' END;
        first_seg := CASE r[11] WHEN 'RxHCC' THEN 'CE_NonLow_Aged' WHEN 'ESRD' THEN 'DIAL' ELSE 'CNA' END;
        found_release := true;
    END LOOP;
    IF NOT found_release THEN
        RAISE EXCEPTION 'release %/% is not listed in %/model_releases.csv', model_version, payment_year, data_dir
            USING ERRCODE = 'undefined_object';
    END IF;

    INSERT INTO hccraf.hcc_label (model_version, payment_year, hcc_code, label, shipped)
    SELECT model_version, payment_year, hcc || f[1], f[2], shipped
    FROM hccraf.read_data_file(dir || '/labels.csv', ARRAY['hcc','label']) f;

    INSERT INTO hccraf.hcc_factor (model_version, payment_year, segment, variable, kind, coefficient, shipped)
    SELECT model_version, payment_year, f[1], f[2], f[3], f[4]::numeric, shipped
    FROM hccraf.read_data_file(dir || '/factors.csv', ARRAY['segment','variable','kind','coefficient']) f;

    INSERT INTO hccraf.hcc_crosswalk (model_version, icd10_code, hcc_code, hcc_description,
                                      coefficient, effective_year, shipped)
    SELECT model_version, f[1], hcc || f[2], l.label, cna.coefficient, payment_year, shipped
    FROM hccraf.read_data_file(dir || '/crosswalk.csv', ARRAY['icd10_code','cc']) f
    LEFT JOIN hccraf.hcc_label l
           ON (l.model_version, l.payment_year, l.hcc_code) = (load_release.model_version, load_release.payment_year, hcc || f[2])
    LEFT JOIN hccraf.hcc_factor cna
           ON (cna.model_version, cna.payment_year, cna.segment, cna.variable) = (load_release.model_version, load_release.payment_year, first_seg, hcc || f[2]);

    INSERT INTO hccraf.hcc_hierarchy (model_version, payment_year, rule_order, superior_hcc, subordinate_hcc, shipped)
    SELECT model_version, payment_year, f[1]::int, hcc || f[2], hcc || f[3], shipped
    FROM hccraf.read_data_file(dir || '/hierarchy.csv', ARRAY['rule_order','superior_hcc','subordinate_hcc']) f;

    -- (no temporary table: during CREATE EXTENSION it would become a member of the extension)
    INSERT INTO hccraf.hcc_interaction (model_version, payment_year, interaction_name, hcc_combinations, coefficient, shipped)
    SELECT model_version, payment_year, i.name, i.terms, cna.coefficient, shipped
    FROM (SELECT f[1] AS name, array_agg(DISTINCT f[2] ORDER BY f[2]) AS terms
          FROM hccraf.read_data_file(dir || '/interactions.csv', ARRAY['interaction','term','member_hcc']) f
          GROUP BY f[1]) i
    LEFT JOIN hccraf.hcc_factor cna
           ON (cna.model_version, cna.payment_year, cna.segment, cna.variable)
            = (load_release.model_version, load_release.payment_year, first_seg, i.name);

    INSERT INTO hccraf.hcc_interaction_member (model_version, payment_year, interaction_name, term, hcc_code, shipped)
    SELECT model_version, payment_year, f[1], f[2], CASE WHEN f[3] = '' THEN NULL ELSE hcc || f[3] END, shipped
    FROM hccraf.read_data_file(dir || '/interactions.csv', ARRAY['interaction','term','member_hcc']) f;

    INSERT INTO hccraf.hcc_edit (model_version, payment_year, edit_order, edit_kind, icd10_code, sex,
                                 age_min, age_max, action, hcc_code, shipped)
    SELECT model_version, payment_year, f[1]::int, f[2], f[3], nullif(f[4], ''),
           nullif(f[5], '')::int, nullif(f[6], '')::int, f[7],
           CASE WHEN f[8] = '' THEN NULL ELSE hcc || f[8] END, shipped
    FROM hccraf.read_data_file(dir || '/edits.csv',
            ARRAY['edit_order','edit_kind','icd10_code','sex','age_min','age_max','action','cc']) f;
END;
$$;

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
        ORDER BY g.raf_delta DESC, pp.pid, ltrim(g.hcc, 'RXHC')::integer
        $q$, id_col, year_expr, code_col, dx, patient_join, patient_arg)
    USING prior_y, current_year, model, py, base_rate;
END;
$$;

CREATE OR REPLACE VIEW hccraf.models AS
SELECT r.model_version, r.payment_year, r.status, r.normalization_factor, r.ma_coding_adjustment,
       r.blend_weight,
       (SELECT count(*) FROM hccraf.hcc_label l
         WHERE (l.model_version, l.payment_year) = (r.model_version, r.payment_year)) AS payment_hccs,
       (SELECT count(DISTINCT c.icd10_code) FROM hccraf.hcc_crosswalk c
         WHERE (c.model_version, c.effective_year) = (r.model_version, r.payment_year)) AS mapped_codes,
       (SELECT count(*) FROM hccraf.hcc_hierarchy h
         WHERE (h.model_version, h.payment_year) = (r.model_version, r.payment_year)) AS hierarchy_rules,
       (SELECT count(*) FROM hccraf.hcc_factor f
         WHERE (f.model_version, f.payment_year) = (r.model_version, r.payment_year)) AS factors,
       r.shipped, r.crosswalk_source, r.factor_source, r.normalization_source, r.notes, r.model_family
FROM hccraf.model_release r
ORDER BY r.model_version, r.payment_year;
COMMENT ON VIEW hccraf.models IS 'Inventory of the loaded releases (model_family: CMS-HCC, RxHCC, ESRD).';

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
    ORDER BY pg_catalog.array_position(ARRAY['CNA','CND','CFA','CFD','CPA','CPD','INS','NE','SNPNE',
                                             'CE_NonLow_Aged','CE_NonLow_NonAged','CE_Low_Aged','CE_Low_NonAged','CE_LTI',
                                             'NE_NonLow_Community','NE_Low_Community','NE_LTI',
                                             'DIAL','DIAL_NE','TRANSPLANT_1M','TRANSPLANT_2M','TRANSPLANT_3M',
                                             'G_COMM_ND_PBD_GE65','G_COMM_ND_PBD_LT65','G_COMM_FBD_GE65','G_COMM_FBD_LT65',
                                             'GRAFT_INST','GRAFT_NE'], f.segment),
             f.kind, f.variable;
$$;

CREATE OR REPLACE FUNCTION hccraf.model_labels(model text DEFAULT 'V28', payment_year integer DEFAULT 2026)
RETURNS TABLE (hcc_code text, label text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT l.hcc_code, l.label FROM hccraf.hcc_label l
    WHERE l.model_version = $1 AND l.payment_year = $2
    ORDER BY pg_catalog.ltrim(l.hcc_code, 'RXHC')::pg_catalog.int4;
$$;

CREATE FUNCTION hccraf.raf_risk_profiles(patient record, diagnoses text[], model text DEFAULT 'V28',
                                         payment_year integer DEFAULT 2026,
                                         OUT segment text, OUT description text, OUT chosen boolean,
                                         OUT demographic_variables text[], OUT demographic_coefficients numeric[],
                                         OUT hccs text[], OUT hcc_coefficients numeric[],
                                         OUT interactions text[], OUT interaction_coefficients numeric[],
                                         OUT raw_score numeric, OUT normalized_score numeric,
                                         OUT payment_score numeric)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'hccraf_raf_risk_profiles'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 11;
COMMENT ON FUNCTION hccraf.raf_risk_profiles(record, text[], text, integer) IS
    'The risk profile of a person under every segment of one model: the person''s variables read through each segment''s lists, with their coefficients and the segment''s scores; chosen marks the segment raf_score uses (its scores equal raf_score''s). The coefficients of a row sum to its raw score.';

-------------------------------------------------------------------------------
-- The shipped releases of the new families (data/model_releases.csv rows not loaded yet).
-------------------------------------------------------------------------------

DO $$
DECLARE
    dir pg_catalog.text := hccraf.shipped_data_dir();
    r pg_catalog.text[];
BEGIN
    FOR r IN SELECT * FROM hccraf.read_data_file(dir OPERATOR(pg_catalog.||) '/model_releases.csv',
            ARRAY['model_version','payment_year','normalization_factor','ma_coding_adjustment',
                  'blend_weight','status','crosswalk_source','factor_source',
                  'normalization_source','notes','model_family'])
    LOOP
        CONTINUE WHEN EXISTS (SELECT FROM hccraf.model_release m
                              WHERE m.model_version OPERATOR(pg_catalog.=) r[1]
                                AND m.payment_year OPERATOR(pg_catalog.=) r[2]::pg_catalog.int4);
        -- The data files are those of the version being installed: a family of a later version
        -- (HHS-HCC, 0.4.0) is loaded by that version's upgrade step.
        CONTINUE WHEN r[11] OPERATOR(pg_catalog.<>) ALL (ARRAY['CMS-HCC', 'RxHCC', 'ESRD']);
        PERFORM hccraf.load_release(dir, r[1], r[2]::pg_catalog.int4, true);
    END LOOP;
END;
$$;

ANALYZE hccraf.model_release, hccraf.hcc_label, hccraf.hcc_crosswalk, hccraf.hcc_hierarchy,
        hccraf.hcc_interaction, hccraf.hcc_interaction_member, hccraf.hcc_factor, hccraf.hcc_edit;

-------------------------------------------------------------------------------
-- From claims to paid scores (README "From claims to scores"): the guide's patient tables hold
-- one row per patient, payment year AND model (several models pay one year: CMS-HCC, RxHCC,
-- ESRD), and patient_diagnosis_hcc says which run wrote a row.
-------------------------------------------------------------------------------

ALTER TABLE hccraf.patient_hcc_score
    DROP CONSTRAINT patient_hcc_score_patient_id_payment_year_key,
    ADD CONSTRAINT patient_hcc_score_patient_year_model_key
        UNIQUE NULLS NOT DISTINCT (patient_id, payment_year, model_version);
ALTER TABLE hccraf.patient_diagnosis_hcc
    ADD COLUMN payment_year integer,
    ADD COLUMN model_version text;
CREATE INDEX patient_diagnosis_hcc_run_idx ON hccraf.patient_diagnosis_hcc (payment_year, model_version);
COMMENT ON TABLE hccraf.patient_hcc_score IS
    'The guide''s patient scores: one row per patient, payment year and model (model_version as raf_score names it: V28, CMS-HCC for a blend, RxHCC_V08, RxHCC_V08:PDP, ESRD_V24). Written by score_population, or by your own INSERT.';
COMMENT ON TABLE hccraf.patient_diagnosis_hcc IS
    'The guide''s diagnosis rows: one per (diagnosis, HCC it set); included_in_raf = the HCC is in the score, superseded_by_hcc = the HCC whose hierarchy rule dropped it, is_valid_encounter = the claim is risk-adjustment eligible. payment_year and model_version name the score_population run that wrote the row.';

CREATE TABLE hccraf.population_run (
    run_id             bigserial PRIMARY KEY,
    payment_year       integer NOT NULL,
    model_version      text NOT NULL,
    diagnoses_table    text NOT NULL,
    patients_table     text NOT NULL,
    started_at         timestamptz NOT NULL,
    finished_at        timestamptz NOT NULL,
    patients           bigint NOT NULL,
    patients_scored    bigint NOT NULL,
    diagnoses_read     bigint NOT NULL,
    diagnoses_eligible bigint NOT NULL,
    diagnoses_written  bigint NOT NULL,
    problems           jsonb NOT NULL
);
COMMENT ON TABLE hccraf.population_run IS
    'One row per completed score_population run: counts, and the skipped rows per reason (problems: reason -> count).';
SELECT pg_catalog.pg_extension_config_dump('hccraf.population_run', '');
SELECT pg_catalog.pg_extension_config_dump('hccraf.population_run_run_id_seq', '');

-------------------------------------------------------------------------------
-- Risk-adjustment eligibility of a claim, as CMS filters MA encounter data (README "From claims
-- to scores"; data/FORMAT.md, data/ra_eligible/).
-------------------------------------------------------------------------------

-- CMS's risk-adjustment-eligible CPT/HCPCS lists, one per year of service. Shipped rows come
-- from data/ra_eligible/cpt_hcpcs.csv; add a year's list (or a code CMS added mid-year) as rows
-- with shipped = false: pg_dump keeps them.
CREATE TABLE hccraf.ra_eligible_code (
    service_year integer NOT NULL
                 CONSTRAINT ra_eligible_code_service_year_check CHECK (service_year BETWEEN 2000 AND 2100),
    code         text    NOT NULL
                 CONSTRAINT ra_eligible_code_code_check CHECK (code ~ '^[0-9A-Z]{5}$'),
    shipped      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (service_year, code)
);
COMMENT ON TABLE hccraf.ra_eligible_code IS
    'CMS risk-adjustment-eligible CPT/HCPCS codes per year of service (data/ra_eligible/cpt_hcpcs.csv): a professional claim, or an institutional claim of an outpatient bill type, is eligible when one of its lines carries a code of its service year. Codes as CMS spells them (five characters, upper case: 99213, 0071T, G0438). Add your own rows (shipped = false; they are dumped by pg_dump).';

-- CMS's acceptable types of bill (first two digits: facility type + bill classification).
-- A bill type whose prefix is not here is not eligible.
CREATE TABLE hccraf.ra_eligible_bill_type (
    bill_type_prefix          text    PRIMARY KEY
                              CONSTRAINT ra_eligible_bill_type_prefix_check CHECK (bill_type_prefix ~ '^[0-9]{2}$'),
    setting                   text    NOT NULL
                              CONSTRAINT ra_eligible_bill_type_setting_check CHECK (setting IN ('inpatient', 'outpatient')),
    claim_type                text    NOT NULL DEFAULT 'institutional'
                              CONSTRAINT ra_eligible_bill_type_claim_type_check CHECK (claim_type = 'institutional'),
    requires_procedure_filter boolean NOT NULL,
    source                    text,
    shipped                   boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE hccraf.ra_eligible_bill_type IS
    'Types of bill CMS accepts for risk adjustment (data/ra_eligible/bill_types.csv; CMS encounter data filtering logic, 2015-12-22): 11X and 41X (inpatient) without a procedure filter; 12X, 13X, 43X, 71X, 73X, 76X, 77X, 85X (outpatient) only with an eligible CPT/HCPCS code. Other bill types are not eligible. Add your own rows (shipped = false; they are dumped by pg_dump).';

SELECT pg_catalog.pg_extension_config_dump('hccraf.ra_eligible_code', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('hccraf.ra_eligible_bill_type', 'WHERE NOT shipped');

INSERT INTO hccraf.ra_eligible_code (service_year, code, shipped)
SELECT f[1]::pg_catalog.int4, f[2], true
FROM hccraf.read_data_file(hccraf.shipped_data_dir() OPERATOR(pg_catalog.||) '/ra_eligible/cpt_hcpcs.csv',
        ARRAY['service_year','code']) f;

INSERT INTO hccraf.ra_eligible_bill_type (bill_type_prefix, setting, claim_type, requires_procedure_filter,
                                          source, shipped)
SELECT f[1], f[2], f[3], f[4]::pg_catalog.bool, f[5], true
FROM hccraf.read_data_file(hccraf.shipped_data_dir() OPERATOR(pg_catalog.||) '/ra_eligible/bill_types.csv',
        ARRAY['bill_type_prefix','setting','claim_type','requires_procedure_filter','source']) f;

-- The decision and its reason. NULL handling (README): a NULL or unknown claim_type, a NULL,
-- empty or malformed bill type on an institutional claim, a bill type on a professional claim,
-- a NULL or infinite service_date, and a service year without a list are errors (SQLSTATE
-- 22023, with a HINT); procedure_codes NULL = no codes; NULL or blank elements are ignored.
CREATE FUNCTION hccraf.ra_eligibility(claim_type text, bill_type text, procedure_codes text[],
                                      service_date date)
RETURNS TABLE (eligible boolean, reason text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    kind      text := pg_catalog.lower(pg_catalog.btrim(claim_type));
    tob       text := pg_catalog.upper(pg_catalog.btrim(bill_type));
    prefix    text;
    yr        integer;
    years     text;
    codes     text[];
    hit       text;
    given     text;
    bt        record;
BEGIN
    IF kind IS NULL OR kind NOT IN ('professional', 'institutional') THEN
        RAISE EXCEPTION 'hccraf.ra_eligibility: claim_type % is neither professional nor institutional',
                        COALESCE(pg_catalog.quote_literal(claim_type), 'NULL')
              USING ERRCODE = '22023',
                    HINT = 'Use ''professional'' (837P / CMS-1500, DME) or ''institutional'' (837I / UB-04, with a type of bill).';
    END IF;
    IF service_date IS NULL OR NOT pg_catalog.isfinite(service_date) THEN
        RAISE EXCEPTION 'hccraf.ra_eligibility: service_date is %',
                        COALESCE(service_date::pg_catalog.text, 'NULL')
              USING ERRCODE = '22023',
                    HINT = 'Pass the claim''s date of service (CMS uses the through date); its year selects the CPT/HCPCS list.';
    END IF;
    IF kind OPERATOR(pg_catalog.=) 'professional' THEN
        IF tob IS NOT NULL AND tob OPERATOR(pg_catalog.<>) '' THEN
            RAISE EXCEPTION 'hccraf.ra_eligibility: a professional claim has no type of bill (got %)',
                            pg_catalog.quote_literal(bill_type)
                  USING ERRCODE = '22023',
                        HINT = 'Pass NULL as bill_type, or claim_type ''institutional'' for a UB-04 / 837I claim.';
        END IF;
    ELSE
        IF tob IS NULL OR tob OPERATOR(pg_catalog.!~) '^0?[0-9]{2}[0-9A-Z]$' THEN
            RAISE EXCEPTION 'hccraf.ra_eligibility: bill type % of an institutional claim is not 3 or 4 characters',
                            COALESCE(pg_catalog.quote_literal(bill_type), 'NULL')
                  USING ERRCODE = '22023',
                        HINT = 'Give the type of bill as the claim carries it: ''111'' or ''0111'' (facility type, bill classification, frequency).';
        END IF;
        IF pg_catalog.length(tob) OPERATOR(pg_catalog.=) 4 THEN
            tob := pg_catalog.substr(tob, 2);
        END IF;
        prefix := pg_catalog.substr(tob, 1, 2);
    END IF;

    yr := pg_catalog.extract('year', service_date)::pg_catalog.int4;
    IF NOT EXISTS (SELECT 1 FROM hccraf.ra_eligible_code c
                   WHERE c.service_year OPERATOR(pg_catalog.=) yr) THEN
        SELECT pg_catalog.string_agg(y::pg_catalog.text, ', ' ORDER BY y) INTO years
        FROM (SELECT DISTINCT c.service_year AS y FROM hccraf.ra_eligible_code c) s;
        RAISE EXCEPTION 'hccraf.ra_eligibility: no risk-adjustment-eligible CPT/HCPCS list for service year %', yr
              USING ERRCODE = '22023',
                    DETAIL = COALESCE('Lists exist for service years ' OPERATOR(pg_catalog.||) years
                                                 OPERATOR(pg_catalog.||) '.', 'hccraf.ra_eligible_code is empty.'),
                    HINT = 'Insert CMS''s list of that year into hccraf.ra_eligible_code (service_year, code).';
    END IF;

    codes := ARRAY(SELECT DISTINCT pg_catalog.upper(pg_catalog.btrim(u.c))
                   FROM pg_catalog.unnest(procedure_codes) AS u(c)
                   WHERE pg_catalog.btrim(u.c) OPERATOR(pg_catalog.<>) ''
                   ORDER BY 1);
    SELECT x.code INTO hit
    FROM pg_catalog.unnest(codes) AS x(code)
    JOIN hccraf.ra_eligible_code c ON c.code OPERATOR(pg_catalog.=) x.code
                                  AND c.service_year OPERATOR(pg_catalog.=) yr
    ORDER BY x.code LIMIT 1;
    given := CASE WHEN pg_catalog.cardinality(codes) OPERATOR(pg_catalog.=) 0 THEN 'no CPT/HCPCS code given'
                  ELSE 'codes given: ' OPERATOR(pg_catalog.||)
                       pg_catalog.array_to_string(codes[1:5], ', ') OPERATOR(pg_catalog.||)
                       CASE WHEN pg_catalog.cardinality(codes) OPERATOR(pg_catalog.>) 5
                            THEN pg_catalog.format(' and %s more', pg_catalog.cardinality(codes) OPERATOR(pg_catalog.-) 5)
                            ELSE '' END END;

    IF kind OPERATOR(pg_catalog.=) 'professional' THEN
        IF hit IS NOT NULL THEN
            RETURN QUERY SELECT true, pg_catalog.format(
                'professional claim with risk-adjustment-eligible CPT/HCPCS code %s for %s', hit, yr);
        ELSE
            RETURN QUERY SELECT false, pg_catalog.format(
                'professional claim without a risk-adjustment-eligible CPT/HCPCS code for %s (%s)', yr, given);
        END IF;
        RETURN;
    END IF;

    SELECT b.setting, b.requires_procedure_filter INTO bt
    FROM hccraf.ra_eligible_bill_type b
    WHERE b.bill_type_prefix OPERATOR(pg_catalog.=) prefix
      AND b.claim_type OPERATOR(pg_catalog.=) 'institutional';
    IF NOT FOUND THEN
        RETURN QUERY SELECT false, pg_catalog.format(
            'institutional claim (bill type %s): type of bill %sX is not a risk-adjustment-eligible source (eligible: %s)',
            tob, prefix,
            (SELECT pg_catalog.string_agg(b.bill_type_prefix OPERATOR(pg_catalog.||) 'X', ', ' ORDER BY b.bill_type_prefix)
             FROM hccraf.ra_eligible_bill_type b));
    ELSIF NOT bt.requires_procedure_filter THEN
        RETURN QUERY SELECT true, pg_catalog.format(
            'institutional %s claim (bill type %s): type of bill %sX is eligible without a procedure filter',
            bt.setting, tob, prefix);
    ELSIF hit IS NOT NULL THEN
        RETURN QUERY SELECT true, pg_catalog.format(
            'institutional %s claim (bill type %s) with risk-adjustment-eligible CPT/HCPCS code %s for %s',
            bt.setting, tob, hit, yr);
    ELSE
        RETURN QUERY SELECT false, pg_catalog.format(
            'institutional %s claim (bill type %s) without a risk-adjustment-eligible CPT/HCPCS code for %s (%s)',
            bt.setting, tob, yr, given);
    END IF;
END
$$;
COMMENT ON FUNCTION hccraf.ra_eligibility(text, text, text[], date) IS
    'Whether CMS''s encounter data filtering accepts a claim for risk adjustment, and why (reason for a coder). claim_type professional or institutional; bill_type as the claim carries it (''131'' or ''0131'', NULL for professional); procedure_codes the CPT/HCPCS codes of its lines; service_date selects the year''s list. Bad input and a year without a list raise SQLSTATE 22023.';

CREATE FUNCTION hccraf.ra_eligible(claim_type text, bill_type text, procedure_codes text[],
                                   service_date date)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT e.eligible FROM hccraf.ra_eligibility(claim_type, bill_type, procedure_codes, service_date) AS e
$$;
COMMENT ON FUNCTION hccraf.ra_eligible(text, text, text[], date) IS
    'hccraf.ra_eligibility(...).eligible: true when CMS''s encounter data filtering accepts the claim for risk adjustment.';

CREATE FUNCTION hccraf.diagnosis_hccs(patient record, diagnoses text[], model text DEFAULT 'V28',
                                      payment_year integer DEFAULT 2026,
                                      OUT ordinality integer, OUT icd10_code text, OUT hcc_code text,
                                      OUT hcc_description text, OUT coefficient numeric,
                                      OUT included_in_raf boolean, OUT superseded_by_hcc text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'hccraf_diagnosis_hccs'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100 ROWS 8;
COMMENT ON FUNCTION hccraf.diagnosis_hccs(record, text[], text, integer) IS
    'What each diagnosis did in the person''s score: one row per (array element, HCC it set after the edits), in array order (ordinality = position); included_in_raf = the HCC is in the score, superseded_by_hcc = the HCC whose hierarchy rule dropped it, coefficient = its factor in the person''s segment (NULL when the segment does not list it). An element that sets no HCC gives one row with hcc_code NULL. One model at a time.';

CREATE FUNCTION hccraf.patient_facts(patient record, payment_year integer,
                                     OUT age integer, OUT sex text, OUT orec text, OUT dual_status text,
                                     OUT institutional boolean, OUT new_enrollee boolean)
RETURNS record
AS 'MODULE_PATHNAME', 'hccraf_patient_facts'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION hccraf.patient_facts(record, integer) IS
    'A patient row as the scoring functions read it (README "The patient row"): age on 1 February of the payment year, sex M/F, OREC, dual status non/full/partial, institutional, new enrollee.';

-- score_population: every patient of a patient table scored from the data-collection year's
-- eligible diagnoses, written to the guide's tables in the caller's transaction (a failed run
-- changes nothing). Batches of patients keep memory flat and give progress NOTICEs; a batch
-- that fails is re-run one patient at a time so that the failing patients are counted by reason
-- (or, with on_error => 'stop', the first one stops the run with its message).
CREATE PROCEDURE hccraf.score_population(diagnoses regclass, patients regclass, payment_year integer,
                                         model text DEFAULT 'V28', on_error text DEFAULT 'skip',
                                         batch_size integer DEFAULT 20000)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET hccraf.unknown_code_action = 'ignore'
AS $$
#variable_conflict use_variable
DECLARE
    dcy          constant integer := payment_year - 1;  -- the data-collection year
    release      text;
    has_claims   boolean;
    enc_expr     text := 'NULL::pg_catalog.text';
    npi_expr     text := 'NULL::pg_catalog.text';
    claim_cols   text[];
    missing      text;
    total        bigint;
    lo           bigint := 1;
    scored       bigint := 0;
    problems     jsonb := '{}';
    started      constant timestamptz := pg_catalog.clock_timestamp();
    last_note    timestamptz := pg_catalog.clock_timestamp();
    n            bigint;
    patients_n   bigint;
    eligible_n   bigint;
    read_n       bigint;
    written      bigint := 0;
    p            record;
    reason       text;
    err_hint     text;
    list_years   integer[];
    uuid_re      constant text := '^[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}$';
BEGIN
    IF diagnoses IS NULL OR patients IS NULL OR payment_year IS NULL OR model IS NULL THEN
        RAISE EXCEPTION 'score_population: diagnoses, patients, payment_year and model are required'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF on_error IS NULL OR on_error NOT IN ('skip', 'stop') THEN
        RAISE EXCEPTION 'score_population: on_error must be ''skip'' or ''stop'', not %', coalesce(on_error, 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'skip (the default) skips and counts bad rows; stop fails the run at the first one.';
    END IF;
    IF batch_size IS NULL OR batch_size < 1 THEN
        RAISE EXCEPTION 'score_population: batch_size must be positive' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Columns (README "From claims to scores"): the claim fields come as a set or not at all.
    SELECT pg_catalog.string_agg(c, ', ') INTO missing
    FROM pg_catalog.unnest(ARRAY['patient_id', 'icd10_code', 'service_date']) c
    WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = diagnoses
                        AND a.attname OPERATOR(pg_catalog.=) c AND a.attnum > 0 AND NOT a.attisdropped);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'score_population: diagnosis table % has no column %', diagnoses, missing
            USING ERRCODE = 'undefined_column',
                  HINT = 'It needs patient_id, icd10_code and service_date (and optionally claim_type, bill_type, procedure_codes text[], encounter_id, provider_npi).';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = patients
                     AND a.attname OPERATOR(pg_catalog.=) 'patient_id' AND a.attnum > 0 AND NOT a.attisdropped) THEN
        RAISE EXCEPTION 'score_population: patient table % has no column patient_id', patients
            USING ERRCODE = 'undefined_column';
    END IF;
    SELECT pg_catalog.array_agg(a.attname::pg_catalog.text) INTO claim_cols FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = diagnoses AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname::pg_catalog.text = ANY (ARRAY['claim_type', 'bill_type', 'procedure_codes']);
    has_claims := COALESCE(pg_catalog.cardinality(claim_cols), 0) = 3;
    IF claim_cols IS NOT NULL AND NOT has_claims THEN
        RAISE EXCEPTION 'score_population: diagnosis table % has only some of the claim columns (%)', diagnoses, claim_cols
            USING ERRCODE = 'undefined_column',
                  HINT = 'Give claim_type, bill_type and procedure_codes together (eligibility needs all three), or none (every row counts as eligible).';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = diagnoses AND a.attname OPERATOR(pg_catalog.=) 'encounter_id' AND a.attnum > 0 AND NOT a.attisdropped) THEN
        enc_expr := 'd.encounter_id::pg_catalog.text';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = diagnoses AND a.attname OPERATOR(pg_catalog.=) 'provider_npi' AND a.attnum > 0 AND NOT a.attisdropped) THEN
        npi_expr := 'd.provider_npi::pg_catalog.text';
    END IF;
    -- The model as raf_score names it (refuses unknown models and years with its own hint).
    SELECT r.model INTO release
    FROM hccraf.raf_score(ROW('1950-01-01', 'F', '0', 'non', false, false, false, false, false, 'dialysis', NULL)::hccraf.patient_full,
                          '{}', model, payment_year) r;
    IF release = 'CMS-HCC' THEN
        RAISE EXCEPTION 'score_population: model "%" is a blend of two models in payment year %', model, payment_year
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Score each model of the blend (V24, V28) in its own run: patient_hcc_score keeps one row per model.';
    END IF;
    RAISE NOTICE 'score_population: % for payment year % (diagnoses of %), from % and %',
        release, payment_year, dcy, diagnoses, patients;

    -- 1. The patients (one row each; rn numbers the ones that can be scored), then the
    --    data-collection year's diagnosis rows, each with its problem (NULL = none) and its
    --    eligibility, in one pass over each table. Codes are compared in the CMS spelling.
    IF pg_catalog.to_regclass('pg_temp.score_population_patients') IS NOT NULL THEN DROP TABLE pg_temp.score_population_patients; END IF;
    EXECUTE pg_catalog.format($q$
        CREATE TEMP TABLE score_population_patients AS
        SELECT q.pid, q.prow, q.problem,
               CASE WHEN q.problem IS NULL
                    THEN pg_catalog.row_number() OVER (PARTITION BY q.problem IS NULL ORDER BY q.pid) END AS rn
        FROM (SELECT p.pid, p.prow,
                     CASE WHEN p.pid IS NULL THEN 'patient_id is NULL'
                          WHEN p.pid !~ $1 THEN 'patient_id is not a uuid'
                          WHEN p.n > 1 THEN 'patient listed more than once in the patient table' END AS problem
              FROM (SELECT t.patient_id::pg_catalog.text AS pid, t AS prow,
                           pg_catalog.count(*) OVER (PARTITION BY t.patient_id::pg_catalog.text) AS n
                    FROM %s t) p) q
        $q$, patients) USING uuid_re;
    CREATE INDEX ON pg_temp.score_population_patients (pid);
    list_years := ARRAY(SELECT DISTINCT c.service_year FROM hccraf.ra_eligible_code c);
    IF pg_catalog.to_regclass('pg_temp.score_population_dx') IS NOT NULL THEN DROP TABLE pg_temp.score_population_dx; END IF;
    -- Eligibility (README rule table; the same data as hccraf.ra_eligibility, evaluated set-wise:
    -- one call of that plpgsql function per row cost more than the whole scoring).
    EXECUTE pg_catalog.format($q$
        CREATE TEMP TABLE score_population_dx AS
        SELECT y.*, y.problem IS NULL AND (%7$s) AS eligible
        FROM (
            SELECT x.*, CASE
                WHEN x.pid IS NULL THEN 'diagnosis without patient_id'
                WHEN x.service_date IS NULL THEN 'service_date is NULL'
                WHEN x.norm IS NULL OR x.norm = '' THEN 'icd10_code is NULL or blank'
                WHEN x.norm !~ '^[A-Z][0-9A-Z]{2,6}$' THEN 'icd10_code is not an ICD-10-CM code (malformed)'
                WHEN NOT EXISTS (SELECT FROM pg_temp.score_population_patients s WHERE s.pid = x.pid AND s.problem IS NULL)
                    THEN 'diagnosis of a patient that is not in the patient table, or skipped'
                WHEN hccraf.hcc_map(x.norm, $2, $3) IS NULL
                    THEN 'icd10_code is not a valid ICD-10-CM code for payment year ' || $3
                %8$s
            END AS problem
            FROM (SELECT pg_catalog.row_number() OVER () AS dx_id, d.patient_id::pg_catalog.text AS pid,
                         d.icd10_code::pg_catalog.text AS code,
                         pg_catalog.upper(pg_catalog.replace(pg_catalog.btrim(d.icd10_code::pg_catalog.text), '.', '')) AS norm,
                         d.service_date::pg_catalog.date AS service_date, %1$s AS encounter_id, %2$s AS provider_npi,
                         pg_catalog.lower(pg_catalog.btrim(%3$s)) AS claim_type,
                         pg_catalog.upper(pg_catalog.btrim(%4$s)) AS bill_type, %5$s AS procedure_codes
                  FROM %6$s d
                  WHERE d.service_date IS NULL
                     OR (d.service_date >= pg_catalog.make_date($1, 1, 1)
                         AND d.service_date < pg_catalog.make_date($1 + 1, 1, 1))) x
        ) y
        $q$, enc_expr, npi_expr,
        CASE WHEN has_claims THEN 'd.claim_type::pg_catalog.text' ELSE 'NULL::pg_catalog.text' END,
        CASE WHEN has_claims THEN 'd.bill_type::pg_catalog.text' ELSE 'NULL::pg_catalog.text' END,
        CASE WHEN has_claims THEN 'd.procedure_codes::pg_catalog.text[]' ELSE 'NULL::pg_catalog.text[]' END,
        diagnoses,
        CASE WHEN NOT has_claims THEN 'true' ELSE $e$
            CASE WHEN y.claim_type = 'professional'
                 THEN EXISTS (SELECT FROM pg_catalog.unnest(y.procedure_codes) pc
                              JOIN hccraf.ra_eligible_code e
                                ON e.service_year = pg_catalog.date_part('year', y.service_date)::pg_catalog.int4
                               AND e.code = pg_catalog.upper(pg_catalog.btrim(pc)))
                 ELSE COALESCE((SELECT NOT b.requires_procedure_filter
                                       OR EXISTS (SELECT FROM pg_catalog.unnest(y.procedure_codes) pc
                                                  JOIN hccraf.ra_eligible_code e
                                                    ON e.service_year = pg_catalog.date_part('year', y.service_date)::pg_catalog.int4
                                                   AND e.code = pg_catalog.upper(pg_catalog.btrim(pc)))
                                FROM hccraf.ra_eligible_bill_type b
                                WHERE b.claim_type = 'institutional'
                                  AND b.bill_type_prefix = pg_catalog.substr(pg_catalog.right(y.bill_type, 3), 1, 2)), false)
            END $e$ END,
        CASE WHEN NOT has_claims THEN '' ELSE $p$
                WHEN x.claim_type IS NULL OR x.claim_type NOT IN ('professional', 'institutional')
                    THEN 'claim_type is not professional or institutional'
                WHEN x.claim_type = 'institutional' AND (x.bill_type IS NULL OR x.bill_type !~ '^0?[0-9]{2}[0-9A-Z]$')
                    THEN 'bill_type of an institutional claim is not 3 or 4 characters'
                WHEN x.claim_type = 'professional' AND x.bill_type IS NOT NULL AND x.bill_type <> ''
                    THEN 'bill_type given on a professional claim'
                WHEN NOT pg_catalog.date_part('year', x.service_date)::pg_catalog.int4 = ANY ($4)
                    THEN 'no risk-adjustment-eligible CPT/HCPCS list for the service year'
            $p$ END)
        USING dcy, release, payment_year, list_years;
    GET DIAGNOSTICS read_n = ROW_COUNT;
    IF on_error = 'stop' THEN
        SELECT pg_catalog.format('%s (patient %s, code %L, service_date %s)', problem, pid, code,
                                 pg_catalog.to_char(service_date, 'YYYY-MM-DD'))
        INTO reason FROM pg_temp.score_population_dx WHERE problem IS NOT NULL ORDER BY dx_id LIMIT 1;
        IF reason IS NULL THEN
            SELECT pg_catalog.format('%s (patient %s)', problem, pid) INTO reason
            FROM pg_temp.score_population_patients WHERE problem IS NOT NULL ORDER BY pid LIMIT 1;
        END IF;
        IF reason IS NOT NULL THEN
            RAISE EXCEPTION 'score_population: %', reason USING ERRCODE = 'data_exception',
                  HINT = 'on_error => ''skip'' skips and counts such rows.';
        END IF;
    END IF;
    SELECT pg_catalog.count(*) FILTER (WHERE problem IS NULL AND eligible) INTO eligible_n FROM pg_temp.score_population_dx;
    -- Each patient's eligible codes with the fields of their rows, in row order (the batches
    -- pick a row's fields by the code's position: no join back to the diagnosis rows).
    IF pg_catalog.to_regclass('pg_temp.score_population_codes') IS NOT NULL THEN DROP TABLE pg_temp.score_population_codes; END IF;
    CREATE TEMP TABLE score_population_codes AS
    SELECT pid, pg_catalog.array_agg(norm ORDER BY dx_id) AS codes,
           pg_catalog.array_agg(service_date ORDER BY dx_id) AS dates,
           pg_catalog.array_agg(encounter_id ORDER BY dx_id) AS encounters,
           pg_catalog.array_agg(provider_npi ORDER BY dx_id) AS npis
    FROM pg_temp.score_population_dx WHERE problem IS NULL AND eligible GROUP BY pid;
    CREATE INDEX ON pg_temp.score_population_patients (rn);
    CREATE INDEX ON pg_temp.score_population_codes (pid);
    ANALYZE pg_temp.score_population_patients, pg_temp.score_population_codes;
    SELECT pg_catalog.count(*) INTO total FROM pg_temp.score_population_patients WHERE problem IS NULL;

    -- 3. This run replaces that of the same payment year and model; nothing else is touched.
    DELETE FROM hccraf.patient_hcc_score s
    WHERE s.payment_year OPERATOR(pg_catalog.=) payment_year AND s.model_version OPERATOR(pg_catalog.=) release;
    DELETE FROM hccraf.patient_diagnosis_hcc d
    WHERE d.payment_year OPERATOR(pg_catalog.=) payment_year AND d.model_version OPERATOR(pg_catalog.=) release;

    -- 4. Score in batches of patients.
    WHILE lo <= total LOOP
        BEGIN
            CALL hccraf._score_population_batch(lo, lo + batch_size - 1, payment_year, release);
        EXCEPTION WHEN OTHERS THEN
            -- One patient at a time: the failing ones are counted by their error (or stop the run).
            FOR p IN SELECT rn, pid FROM pg_temp.score_population_patients
                     WHERE rn BETWEEN lo AND lo + batch_size - 1 ORDER BY rn LOOP
                BEGIN
                    CALL hccraf._score_population_batch(p.rn, p.rn, payment_year, release);
                EXCEPTION WHEN OTHERS THEN
                    IF on_error = 'stop' THEN
                        GET STACKED DIAGNOSTICS err_hint = PG_EXCEPTION_HINT;
                        RAISE EXCEPTION 'score_population: patient %: %', p.pid, SQLERRM
                            USING ERRCODE = SQLSTATE, HINT = COALESCE(NULLIF(err_hint, ''), 'on_error => ''skip'' skips and counts such patients.');
                    END IF;
                    UPDATE pg_temp.score_population_patients SET problem = SQLERRM WHERE rn = p.rn;
                END;
            END LOOP;
        END;
        lo := lo + batch_size;
        IF pg_catalog.clock_timestamp() - last_note >= interval '2 seconds' OR lo > total THEN
            RAISE NOTICE 'score_population: % of % patients (% s)', LEAST(lo - 1, total), total,
                pg_catalog.round(EXTRACT(epoch FROM pg_catalog.clock_timestamp() - started)::pg_catalog.numeric, 1);
            last_note := pg_catalog.clock_timestamp();
        END IF;
    END LOOP;

    -- 5. Diagnosis rows that are not risk-adjustment eligible are kept too (is_valid_encounter
    --    false, no HCC); rows with a problem are counted, not written.
    INSERT INTO hccraf.patient_diagnosis_hcc (patient_id, encounter_id, icd10_code, diagnosis_date, provider_npi,
                                              is_valid_encounter, included_in_raf, payment_year, model_version)
    SELECT x.pid::pg_catalog.uuid, x.encounter_id, pg_catalog.left(x.norm, 10), x.service_date,
           pg_catalog.left(x.provider_npi, 10), false, false, payment_year, release
    FROM pg_temp.score_population_dx x
    WHERE x.problem IS NULL AND NOT x.eligible
      AND EXISTS (SELECT FROM pg_temp.score_population_patients s WHERE s.pid = x.pid AND s.problem IS NULL);
    SELECT pg_catalog.count(*) INTO written FROM hccraf.patient_diagnosis_hcc d
    WHERE d.payment_year OPERATOR(pg_catalog.=) payment_year AND d.model_version OPERATOR(pg_catalog.=) release;
    SELECT pg_catalog.count(*) INTO scored FROM hccraf.patient_hcc_score s
    WHERE s.payment_year OPERATOR(pg_catalog.=) payment_year AND s.model_version OPERATOR(pg_catalog.=) release;

    SELECT coalesce(pg_catalog.jsonb_object_agg(r.problem, r.n), '{}') INTO problems
    FROM (SELECT problem, pg_catalog.count(*) AS n FROM pg_temp.score_population_dx WHERE problem IS NOT NULL GROUP BY 1
          UNION ALL
          SELECT 'patient skipped: ' || problem, pg_catalog.count(*) FROM pg_temp.score_population_patients
          WHERE problem IS NOT NULL GROUP BY problem) r;
    SELECT pg_catalog.count(*) INTO patients_n FROM pg_temp.score_population_patients;
    INSERT INTO hccraf.population_run (payment_year, model_version, diagnoses_table, patients_table, started_at,
                                       finished_at, patients, patients_scored, diagnoses_read, diagnoses_eligible,
                                       diagnoses_written, problems)
    VALUES (payment_year, release, diagnoses::pg_catalog.text, patients::pg_catalog.text, started,
            pg_catalog.clock_timestamp(), patients_n, scored, read_n, eligible_n, written, problems);
    FOR reason, n IN SELECT e.key, e.value::pg_catalog.int8 FROM pg_catalog.jsonb_each(problems) e ORDER BY 1 LOOP
        RAISE NOTICE 'score_population: skipped % row(s): %', n, reason;
    END LOOP;
    RAISE NOTICE 'score_population: done: % of % patients scored, % diagnosis rows written (% eligible), % s',
        scored, patients_n, written, eligible_n,
        pg_catalog.round(EXTRACT(epoch FROM pg_catalog.clock_timestamp() - started)::pg_catalog.numeric, 1);
    DROP TABLE pg_temp.score_population_dx, pg_temp.score_population_patients, pg_temp.score_population_codes;
END;
$$;
COMMENT ON PROCEDURE hccraf.score_population(regclass, regclass, integer, text, text, integer) IS
    'Scores every patient of a patient table (patient_id uuid plus the patient-row fields) from the data-collection year''s risk-adjustment-eligible diagnoses of a diagnosis table (patient_id, icd10_code, service_date; optionally claim_type, bill_type, procedure_codes, encounter_id, provider_npi) into patient_hcc_score and patient_diagnosis_hcc, replacing the rows of the same payment year and model. Bad rows are skipped and counted per reason (population_run.problems, NOTICEs) unless on_error => ''stop''.';

-- One batch of score_population (patients numbered lo..hi in its temporary tables).
CREATE PROCEDURE hccraf._score_population_batch(lo bigint, hi bigint, payment_year integer, release text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
BEGIN
    INSERT INTO hccraf.patient_hcc_score (patient_id, payment_year, data_collection_year, age, gender,
           medicaid_status, disabled_status, institutional_status, demographic_score, hcc_list, disease_score,
           interaction_score, raf_score, model_version, segment, normalized_score, payment_score)
    SELECT s.pid::pg_catalog.uuid, payment_year, payment_year - 1, f.age, f.sex, f.dual_status <> 'non',
           f.age < 65 AND f.orec IS DISTINCT FROM '0', f.institutional, r.demographic_score, r.hccs,
           r.disease_score, r.interaction_score, r.raw_score, r.model, r.segment, r.normalized_score,
           r.payment_score
    FROM pg_temp.score_population_patients s
    LEFT JOIN pg_temp.score_population_codes c ON c.pid = s.pid
    CROSS JOIN LATERAL hccraf.patient_facts(s.prow, payment_year) f
    CROSS JOIN LATERAL hccraf.raf_score(s.prow, c.codes, release, payment_year) r
    WHERE s.rn BETWEEN lo AND hi;
    INSERT INTO hccraf.patient_diagnosis_hcc (patient_id, encounter_id, icd10_code, diagnosis_date, provider_npi,
           hcc_code, hcc_description, coefficient, is_valid_encounter, included_in_raf, superseded_by_hcc,
           payment_year, model_version)
    SELECT s.pid::pg_catalog.uuid, c.encounters[o.ordinality], pg_catalog.left(o.icd10_code, 10),
           c.dates[o.ordinality], pg_catalog.left(c.npis[o.ordinality], 10), o.hcc_code, o.hcc_description,
           o.coefficient, true, o.included_in_raf, o.superseded_by_hcc, payment_year, release
    FROM pg_temp.score_population_patients s
    JOIN pg_temp.score_population_codes c ON c.pid = s.pid
    CROSS JOIN LATERAL hccraf.diagnosis_hccs(s.prow, c.codes, release, payment_year) o
    WHERE s.rn BETWEEN lo AND hi;
END;
$$;
REVOKE ALL ON PROCEDURE hccraf._score_population_batch(bigint, bigint, integer, text) FROM PUBLIC;

-- The monthly run-rate: each patient's score at each month end on the trailing 12 months of
-- diagnoses, its change against the month before, and the HCCs that left the window without
-- being documented again (the next visit's recapture targets).
CREATE FUNCTION hccraf.raf_run_rate(diagnoses regclass, patients regclass, first_month date, last_month date,
                                    model text DEFAULT 'V28', payment_year integer DEFAULT 2026)
RETURNS TABLE (patient_id text, month_end date, score numeric, change numeric, hccs text[],
               fell_out text[], diagnoses_in_window bigint)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
SET hccraf.unknown_code_action = 'ignore'
AS $$
#variable_conflict use_variable
DECLARE
    has_claims boolean;
BEGIN
    IF diagnoses IS NULL OR patients IS NULL OR first_month IS NULL OR last_month IS NULL THEN
        RETURN;
    END IF;
    IF last_month < first_month OR last_month > first_month + interval '10 years' THEN
        RAISE EXCEPTION 'raf_run_rate: last_month must be on or after first_month, within 10 years'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    has_claims := (SELECT pg_catalog.count(*) = 3 FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid = diagnoses AND a.attnum > 0 AND NOT a.attisdropped
                     AND a.attname::pg_catalog.text = ANY (ARRAY['claim_type', 'bill_type', 'procedure_codes']));
    RETURN QUERY EXECUTE pg_catalog.format($q$
        WITH months AS (
            SELECT (m + interval '1 month' - interval '1 day')::pg_catalog.date AS month_end
            FROM pg_catalog.generate_series(pg_catalog.date_trunc('month', $1::pg_catalog.timestamp),
                                            pg_catalog.date_trunc('month', $2::pg_catalog.timestamp),
                                            interval '1 month') m
        ), scored AS (
            SELECT p.patient_id::pg_catalog.text AS pid, mo.month_end, w.n,
                   COALESCE(r.payment_score, r.raw_score) AS score, r.hccs
            FROM %1$s p
            CROSS JOIN months mo
            CROSS JOIN LATERAL (
                SELECT pg_catalog.array_agg(d.icd10_code::pg_catalog.text) AS codes, pg_catalog.count(*) AS n
                FROM %2$s d
                WHERE d.patient_id = p.patient_id
                  AND d.service_date > mo.month_end - interval '12 months' AND d.service_date <= mo.month_end
                  AND %3$s) w
            CROSS JOIN LATERAL hccraf.raf_score(p, w.codes, $3, $4) r
        ), lagged AS (
            SELECT s.*, pg_catalog.lag(s.score) OVER w AS prev_score, pg_catalog.lag(s.hccs) OVER w AS prev_hccs
            FROM scored s WINDOW w AS (PARTITION BY s.pid ORDER BY s.month_end)
        )
        SELECT l.pid, l.month_end, l.score, l.score - l.prev_score,
               l.hccs, ARRAY(SELECT h FROM pg_catalog.unnest(l.prev_hccs) h
                             WHERE NOT h = ANY (COALESCE(l.hccs, '{}'))),
               l.n
        FROM lagged l ORDER BY l.pid, l.month_end
        $q$, patients, diagnoses,
        CASE WHEN has_claims THEN 'hccraf.ra_eligible(d.claim_type, d.bill_type, d.procedure_codes, d.service_date)'
             ELSE 'true' END)
    USING first_month, last_month, model, payment_year;
END;
$$;
COMMENT ON FUNCTION hccraf.raf_run_rate(regclass, regclass, date, date, text, integer) IS
    'Monthly run-rate: for each patient of the patient table and each month end from first_month to last_month, the score (payment score, else raw) on the trailing 12 months of diagnoses (eligible ones when the table has the claim columns), the change against the month before, the HCCs, and fell_out: the HCCs of the month before that left the window without being documented again. One raf_score per patient and month: index the diagnosis table on (patient_id, service_date).';

-------------------------------------------------------------------------------
-- Chart audit (README "Chart audit"): what the documentation supports against what is coded,
-- valued exactly with the model's rules (hierarchies, interactions, counts), not weight x rate.
-------------------------------------------------------------------------------

-- Internal: the CMS spelling of a code, and the score the audit values (payment, else raw).
CREATE FUNCTION hccraf._audit_code(code text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.upper(pg_catalog.replace(pg_catalog.btrim($1), '.', '')) $$;
CREATE FUNCTION hccraf._audit_score(patient record, codes text[], model text, payment_year integer) RETURNS numeric
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ BEGIN RETURN (SELECT COALESCE(r.payment_score, r.raw_score) FROM hccraf.raf_score(patient, codes, model, payment_year) r); END $$;

-- One row per code: confirmed (documented and coded: 0), missed (documented, not coded:
-- score(coded + code) - score(coded)), unsupported (coded, not documented: score(coded) -
-- score(coded - code), what a RADV audit would take back), upgrade (a more specific code that a
-- specificity rule finds in the documentation: score(coded - replaced + code) - score(coded)).
CREATE FUNCTION hccraf.hcc_audit(documented text[], coded text[], patient record DEFAULT NULL,
                                 model text DEFAULT 'V28', payment_year integer DEFAULT 2026,
                                 base_rate numeric DEFAULT NULL)
RETURNS TABLE (code text, description text, bucket text, hcc text, raf_delta numeric,
               revenue_delta numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    -- Without a patient: the default patient of hcc_gaps (README "Recapture gaps").
    p        record;
    doc      text[];
    cod      text[];
    base     numeric;
    rate     numeric := COALESCE(base_rate, NULLIF(pg_catalog.current_setting('hccraf.base_rate', true), '')::pg_catalog.numeric);
    c        text;
    h        record;
BEGIN
    IF model IS NULL OR payment_year IS NULL THEN
        RETURN;
    END IF;
    IF patient IS NULL THEN
        p := ROW(pg_catalog.make_date(payment_year - 72, 1, 1), 'F', '0', 'non', false, false, false)::hccraf.patient;
    ELSE
        p := patient;
    END IF;
    IF rate = 0 THEN
        rate := NULL;  -- hccraf.base_rate 0 means "not set"
    END IF;
    doc := ARRAY(SELECT DISTINCT hccraf._audit_code(x) FROM pg_catalog.unnest(documented) x
                 WHERE NULLIF(pg_catalog.btrim(x), '') IS NOT NULL);
    cod := ARRAY(SELECT DISTINCT hccraf._audit_code(x) FROM pg_catalog.unnest(coded) x
                 WHERE NULLIF(pg_catalog.btrim(x), '') IS NOT NULL);
    -- Each code is valued by scoring the coded list with and without it: n codes cost n
    -- scorings of up to n codes. A chart has dozens; the bound keeps a caller's array from
    -- turning that into an unbounded quadratic cost.
    IF pg_catalog.cardinality(doc || cod) > 1000 THEN
        RAISE EXCEPTION 'hcc_audit: % distinct codes; at most 1000 per call', pg_catalog.cardinality(doc || cod)
            USING ERRCODE = 'program_limit_exceeded',
                  HINT = 'Audit one encounter or person per call (hcc_audit_worklist does it for a whole table).';
    END IF;
    base := hccraf._audit_score(p, cod, model, payment_year);
    FOR c IN SELECT x FROM pg_catalog.unnest(doc || cod) x GROUP BY x ORDER BY x LOOP
        code := c;
        description := COALESCE(hccraf.icd10cm_description(c), 'not a valid ICD-10-CM code');
        hcc := (SELECT pg_catalog.string_agg(d.hcc_code, ', ' ORDER BY d.hcc_code)
                FROM hccraf.diagnosis_hccs(p, ARRAY[c], model, payment_year) d);
        IF c = ANY (doc) AND c = ANY (cod) THEN
            bucket := 'confirmed';
            raf_delta := 0;
        ELSIF c = ANY (doc) THEN
            bucket := 'missed';
            raf_delta := hccraf._audit_score(p, cod || c, model, payment_year) - base;
        ELSE
            bucket := 'unsupported';
            raf_delta := base - hccraf._audit_score(p, pg_catalog.array_remove(cod, c), model, payment_year);
        END IF;
        revenue_delta := pg_catalog.round(raf_delta * rate, 2);
        RETURN NEXT;
    END LOOP;
    -- Upgrades: a specificity rule that the documentation meets suggests codes not documented.
    FOR h IN SELECT DISTINCT s.suggested_codes, s.replaced_codes, s.rule_id
             FROM hccraf.hcc_specificity(doc, p, model, payment_year) s LOOP
        FOREACH c IN ARRAY h.suggested_codes LOOP
            c := hccraf._audit_code(c);
            CONTINUE WHEN c = ANY (doc) OR c = ANY (cod);
            code := c;
            description := COALESCE(hccraf.icd10cm_description(c), 'not a valid ICD-10-CM code')
                           || ' (specificity rule ' || h.rule_id || ')';
            hcc := (SELECT pg_catalog.string_agg(d.hcc_code, ', ' ORDER BY d.hcc_code)
                    FROM hccraf.diagnosis_hccs(p, ARRAY[c], model, payment_year) d);
            bucket := 'upgrade';
            raf_delta := hccraf._audit_score(p, ARRAY(SELECT x FROM pg_catalog.unnest(cod) x
                                                      WHERE NOT x = ANY (COALESCE(ARRAY(SELECT hccraf._audit_code(r) FROM pg_catalog.unnest(h.replaced_codes) r), '{}')))
                                                || c, model, payment_year) - base;
            revenue_delta := pg_catalog.round(raf_delta * rate, 2);
            RETURN NEXT;
        END LOOP;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION hccraf.hcc_audit(text[], text[], record, text, integer, numeric) IS
    'Chart audit of one encounter or person: every documented or coded code (compared in the CMS spelling: case, dot and blanks do not matter) with its bucket (confirmed, missed, unsupported, upgrade), its HCC after the person''s edits and its exact value on the payment score (raw where the release has no payment role): missed = score(coded + code) - score(coded); unsupported = score(coded) - score(coded - code); upgrade = a specificity rule met by the documentation, score(coded - replaced + suggested) - score(coded); confirmed = 0. Without a patient: the default patient of hcc_gaps. revenue_delta = raf_delta x base rate (argument, else hccraf.base_rate; NULL when neither is set).';

-- The totals, with joint values (all missed codes added at once; all unsupported removed at once).
CREATE FUNCTION hccraf.hcc_audit_summary(documented text[], coded text[], patient record DEFAULT NULL,
                                         model text DEFAULT 'V28', payment_year integer DEFAULT 2026,
                                         base_rate numeric DEFAULT NULL)
RETURNS TABLE (codes_confirmed integer, codes_missed integer, codes_unsupported integer,
               codes_upgrade integer, coded_score numeric, missed_raf numeric,
               missed_raf_sum_of_singles numeric, at_risk_raf numeric, missed_revenue numeric,
               at_risk_revenue numeric, model_version text, payment_year_used integer,
               base_rate_used numeric, score_kind text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    p      record;
    doc    text[];
    cod    text[];
    missed text[];
    unsup  text[];
    r      record;
    rate   numeric := COALESCE(base_rate, NULLIF(pg_catalog.current_setting('hccraf.base_rate', true), '')::pg_catalog.numeric);
BEGIN
    IF model IS NULL OR payment_year IS NULL THEN
        RETURN;
    END IF;
    IF patient IS NULL THEN
        p := ROW(pg_catalog.make_date(payment_year - 72, 1, 1), 'F', '0', 'non', false, false, false)::hccraf.patient;
    ELSE
        p := patient;
    END IF;
    IF rate = 0 THEN
        rate := NULL;
    END IF;
    doc := ARRAY(SELECT DISTINCT hccraf._audit_code(x) FROM pg_catalog.unnest(documented) x WHERE NULLIF(pg_catalog.btrim(x), '') IS NOT NULL);
    cod := ARRAY(SELECT DISTINCT hccraf._audit_code(x) FROM pg_catalog.unnest(coded) x WHERE NULLIF(pg_catalog.btrim(x), '') IS NOT NULL);
    missed := ARRAY(SELECT x FROM pg_catalog.unnest(doc) x WHERE NOT x = ANY (cod));
    unsup := ARRAY(SELECT x FROM pg_catalog.unnest(cod) x WHERE NOT x = ANY (doc));
    SELECT pg_catalog.count(*) FILTER (WHERE a.bucket = 'confirmed') AS confirmed,
           pg_catalog.count(*) FILTER (WHERE a.bucket = 'missed') AS missed_n,
           pg_catalog.count(*) FILTER (WHERE a.bucket = 'unsupported') AS unsup_n,
           pg_catalog.count(*) FILTER (WHERE a.bucket = 'upgrade') AS upgrade_n,
           COALESCE(pg_catalog.sum(a.raf_delta) FILTER (WHERE a.bucket = 'missed'), 0) AS singles
    INTO r FROM hccraf.hcc_audit(doc, cod, p, model, payment_year, rate) a;
    codes_confirmed := r.confirmed;
    codes_missed := r.missed_n;
    codes_unsupported := r.unsup_n;
    codes_upgrade := r.upgrade_n;
    coded_score := hccraf._audit_score(p, cod, model, payment_year);
    missed_raf := hccraf._audit_score(p, cod || missed, model, payment_year) - coded_score;
    missed_raf_sum_of_singles := r.singles;
    at_risk_raf := coded_score - hccraf._audit_score(p, ARRAY(SELECT x FROM pg_catalog.unnest(cod) x WHERE NOT x = ANY (unsup)),
                                                      model, payment_year);
    missed_revenue := pg_catalog.round(missed_raf * rate, 2);
    at_risk_revenue := pg_catalog.round(at_risk_raf * rate, 2);
    SELECT x.model, CASE WHEN x.payment_score IS NULL THEN 'raw' ELSE 'payment' END
    INTO model_version, score_kind FROM hccraf.raf_score(p, '{}', model, payment_year) x;
    payment_year_used := payment_year;
    base_rate_used := rate;
    RETURN NEXT;
END;
$$;
COMMENT ON FUNCTION hccraf.hcc_audit_summary(text[], text[], record, text, integer, numeric) IS
    'Totals of hcc_audit: codes per bucket, the coded score, missed_raf (joint: every missed code added at once) beside missed_raf_sum_of_singles, at_risk_raf (joint: every unsupported code removed at once), both in dollars, and the model, payment year, base rate and score kind used.';

-- The set-based form for a coding team's work list: a table of (encounter_id, code, source)
-- rows, source 'documented' or 'coded' (optionally patient_id, to score with the patient table's
-- row), every encounter audited, sorted by value.
CREATE FUNCTION hccraf.hcc_audit_worklist(audit regclass, patients regclass DEFAULT NULL,
                                          model text DEFAULT 'V28', payment_year integer DEFAULT 2026,
                                          base_rate numeric DEFAULT NULL)
RETURNS TABLE (encounter_id text, patient_id text, code text, description text, bucket text, hcc text,
               raf_delta numeric, revenue_delta numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    has_patient boolean;
    bad text;
BEGIN
    IF audit IS NULL THEN
        RETURN;
    END IF;
    IF (SELECT pg_catalog.count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = audit AND a.attnum > 0
          AND NOT a.attisdropped AND a.attname::pg_catalog.text = ANY (ARRAY['encounter_id', 'code', 'source'])) < 3 THEN
        RAISE EXCEPTION 'hcc_audit_worklist: table % needs the columns encounter_id, code and source', audit
            USING ERRCODE = 'undefined_column', HINT = 'source is ''documented'' or ''coded''; patient_id is optional.';
    END IF;
    has_patient := EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = audit AND a.attnum > 0
                             AND NOT a.attisdropped AND a.attname OPERATOR(pg_catalog.=) 'patient_id');
    IF patients IS NOT NULL AND NOT has_patient THEN
        RAISE EXCEPTION 'hcc_audit_worklist: a patient table needs a patient_id column in %', audit
            USING ERRCODE = 'undefined_column';
    END IF;
    EXECUTE pg_catalog.format('SELECT COALESCE(pg_catalog.quote_literal(source::pg_catalog.text), ''NULL'') FROM %s
                               WHERE source IS NULL OR source::pg_catalog.text NOT IN (''documented'', ''coded'') LIMIT 1', audit)
    INTO bad;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'hcc_audit_worklist: source % in % is neither documented nor coded', bad, audit
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Each row says where its code comes from: ''documented'' or ''coded''.';
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format($q$
        WITH e AS (
            SELECT a.encounter_id::pg_catalog.text AS enc, %1$s AS pid,
                   pg_catalog.array_agg(a.code::pg_catalog.text) FILTER (WHERE a.source = 'documented') AS documented,
                   pg_catalog.array_agg(a.code::pg_catalog.text) FILTER (WHERE a.source = 'coded') AS coded
            FROM %2$s a GROUP BY 1, 2
        )
        SELECT e.enc, e.pid, x.code, x.description, x.bucket, x.hcc, x.raf_delta, x.revenue_delta
        FROM e %3$s
        CROSS JOIN LATERAL hccraf.hcc_audit(COALESCE(e.documented, '{}'), COALESCE(e.coded, '{}'), %4$s, $1, $2, $3) x
        ORDER BY x.raf_delta DESC, e.enc, x.code
        $q$,
        CASE WHEN has_patient THEN 'a.patient_id::pg_catalog.text' ELSE 'NULL::pg_catalog.text' END,
        audit,
        CASE WHEN patients IS NOT NULL THEN pg_catalog.format('LEFT JOIN %s p ON p.patient_id::pg_catalog.text = e.pid', patients) ELSE '' END,
        CASE WHEN patients IS NOT NULL THEN 'p' ELSE 'NULL' END)
    USING model, payment_year, base_rate;
END;
$$;
COMMENT ON FUNCTION hccraf.hcc_audit_worklist(regclass, regclass, text, integer, numeric) IS
    'hcc_audit for every encounter of a table of (encounter_id, code, source = documented | coded[, patient_id]) rows, optionally with a patient table (patient_id + patient-row fields), sorted by raf_delta, highest first: a coding team''s work list.';

