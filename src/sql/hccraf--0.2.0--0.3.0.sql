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
        PERFORM hccraf.load_release(dir, r[1], r[2]::pg_catalog.int4, true);
    END LOOP;
END;
$$;

ANALYZE hccraf.model_release, hccraf.hcc_label, hccraf.hcc_crosswalk, hccraf.hcc_hierarchy,
        hccraf.hcc_interaction, hccraf.hcc_interaction_member, hccraf.hcc_factor, hccraf.hcc_edit;
