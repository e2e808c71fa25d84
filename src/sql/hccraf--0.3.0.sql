-- hccraf 0.2.0: exact CMS-HCC risk adjustment.
\echo Use "CREATE EXTENSION hccraf" to load this file. \quit

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

-- Contents, by topic: 1. tables (reference data, specificity rules, patient tables) and what
-- pg_dump keeps of them; 2. types; 3. loading (file reader, loaders, the change trigger, the
-- shipped rows); 4. functions by family: mapping, scoring, recapture gaps, introspection.

-------------------------------------------------------------------------------
-- 1. Tables. Reference data. The guide's tables (hcc_crosswalk, hcc_hierarchy, hcc_interaction) keep their
-- names and columns; every model table is versioned by (model_version, payment_year) and has a
-- `shipped` flag: rows loaded by CREATE EXTENSION are shipped (and not dumped by pg_dump, the
-- extension recreates them); rows a user loads are dumped.
-------------------------------------------------------------------------------

CREATE TABLE hccraf.model_release (
    -- 1 to 10 characters (the other tables' varchar(10)): a letter, then letters, digits, _.
    model_version        text    NOT NULL CHECK (model_version ~ '^[A-Z][A-Za-z0-9_]*$')
                                 CONSTRAINT model_release_model_version_length CHECK (pg_catalog.char_length(model_version) <= 10),
    payment_year         integer NOT NULL CHECK (payment_year BETWEEN 2000 AND 2100),
    normalization_factor numeric(6,3) CHECK (normalization_factor > 0),
    ma_coding_adjustment numeric(6,3) CHECK (ma_coding_adjustment >= 0 AND ma_coding_adjustment < 1),
    blend_weight         numeric(4,2) NOT NULL CHECK (blend_weight BETWEEN 0 AND 1),
    status               text    NOT NULL CHECK (status IN ('final', 'initial', 'mapping_only', 'user')),
    crosswalk_source     text,
    factor_source        text,
    normalization_source text,
    notes                text,
    shipped              boolean NOT NULL DEFAULT false,
    loaded_at            timestamptz NOT NULL DEFAULT now(),
    model_family         text    NOT NULL DEFAULT 'CMS-HCC' CHECK (model_family IN ('CMS-HCC', 'RxHCC', 'ESRD')),
    PRIMARY KEY (model_version, payment_year),
    CHECK ((normalization_factor IS NULL) = (ma_coding_adjustment IS NULL))
);
COMMENT ON TABLE hccraf.model_release IS
    'One row per release (model x payment year) of a model family (CMS-HCC, RxHCC, ESRD): normalization factor, MA coding adjustment, blend weight (the share of the family''s payment score), sources.';

CREATE TABLE hccraf.hcc_label (
    model_version text    NOT NULL,
    payment_year  integer NOT NULL,
    hcc_code      text    NOT NULL CHECK (hcc_code ~ '^(RX)?HCC[0-9]+$'),
    label         text    NOT NULL,
    shipped       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (model_version, payment_year, hcc_code),
    FOREIGN KEY (model_version, payment_year) REFERENCES hccraf.model_release ON DELETE CASCADE
);
COMMENT ON TABLE hccraf.hcc_label IS 'The payment HCCs of a release and their CMS labels.';

CREATE TABLE hccraf.hcc_crosswalk (
    id              serial PRIMARY KEY,
    model_version   varchar(10) NOT NULL,
    icd10_code      varchar(10) NOT NULL CHECK (icd10_code ~ '^[A-Z][0-9A-Z]{2,6}$'),
    hcc_code        varchar(10) NOT NULL CHECK (hcc_code ~ '^(RX)?HCC[0-9]+$'),
    hcc_description text,
    coefficient     decimal(6,3),
    effective_year  integer NOT NULL,
    shipped         boolean NOT NULL DEFAULT false,
    UNIQUE (model_version, effective_year, icd10_code, hcc_code),
    FOREIGN KEY (model_version, effective_year) REFERENCES hccraf.model_release ON DELETE CASCADE
);
CREATE INDEX hcc_crosswalk_icd_idx ON hccraf.hcc_crosswalk (icd10_code, model_version);
CREATE INDEX hcc_crosswalk_hcc_idx ON hccraf.hcc_crosswalk (hcc_code, model_version);
COMMENT ON TABLE hccraf.hcc_crosswalk IS
    'ICD-10-CM (CMS spelling, no dot) to payment HCC per release; effective_year = payment year. coefficient = the factor in the family''s first segment (CMS-HCC CNA, RxHCC CE_NonLow_Aged, ESRD DIAL), for reading only: scores use hcc_factor, which is per segment.';

CREATE TABLE hccraf.hcc_hierarchy (
    id              serial PRIMARY KEY,
    model_version   varchar(10) NOT NULL,
    payment_year    integer NOT NULL,
    rule_order      integer NOT NULL CHECK (rule_order > 0),
    superior_hcc    varchar(10) NOT NULL CHECK (superior_hcc ~ '^(RX)?HCC[0-9]+$'),
    subordinate_hcc varchar(10) NOT NULL CHECK (subordinate_hcc ~ '^(RX)?HCC[0-9]+$'),
    shipped         boolean NOT NULL DEFAULT false,
    UNIQUE (model_version, payment_year, superior_hcc, subordinate_hcc),
    FOREIGN KEY (model_version, payment_year) REFERENCES hccraf.model_release ON DELETE CASCADE
);
COMMENT ON TABLE hccraf.hcc_hierarchy IS
    'Hierarchy rules. CMS applies them in rule_order (its macro''s file order), each on the current HCC values.';

CREATE TABLE hccraf.hcc_interaction (
    id               serial PRIMARY KEY,
    model_version    varchar(10) NOT NULL,
    payment_year     integer NOT NULL,
    interaction_name varchar(100) NOT NULL,
    hcc_combinations text[] NOT NULL,
    coefficient      decimal(6,3),
    shipped          boolean NOT NULL DEFAULT false,
    UNIQUE (model_version, payment_year, interaction_name),
    FOREIGN KEY (model_version, payment_year) REFERENCES hccraf.model_release ON DELETE CASCADE
);
COMMENT ON TABLE hccraf.hcc_interaction IS
    'Interaction variables: hcc_combinations lists the terms (groups, single HCCs, DISABL) that must all be present; members in hcc_interaction_member. coefficient = CNA factor when CNA has one (per-segment values in hcc_factor).';

CREATE TABLE hccraf.hcc_interaction_member (
    model_version    varchar(10) NOT NULL,
    payment_year     integer NOT NULL,
    interaction_name varchar(100) NOT NULL,
    term             varchar(100) NOT NULL,
    hcc_code         varchar(10) CHECK (hcc_code ~ '^(RX)?HCC[0-9]+$'),
    shipped          boolean NOT NULL DEFAULT false,
    UNIQUE (model_version, payment_year, interaction_name, term, hcc_code),
    CHECK ((term IN ('DISABL', 'NONAGED')) = (hcc_code IS NULL)),
    FOREIGN KEY (model_version, payment_year, interaction_name)
        REFERENCES hccraf.hcc_interaction (model_version, payment_year, interaction_name) ON DELETE CASCADE
);
COMMENT ON TABLE hccraf.hcc_interaction_member IS
    'A term is 1 when any member HCC is present after hierarchies; DISABL = age < 65 and OREC not 0; NONAGED = age < 65.';

CREATE TABLE hccraf.hcc_factor (
    model_version varchar(10) NOT NULL,
    payment_year  integer NOT NULL,
    segment       text NOT NULL CHECK (segment IN ('CNA','CND','CFA','CFD','CPA','CPD','INS','NE','SNPNE',
                                                 'CE_NonLow_Aged','CE_NonLow_NonAged','CE_Low_Aged','CE_Low_NonAged','CE_LTI',
                                                 'NE_NonLow_Community','NE_Low_Community','NE_LTI',
                                                 'DIAL','DIAL_NE','TRANSPLANT_1M','TRANSPLANT_2M','TRANSPLANT_3M',
                                                 'G_COMM_ND_PBD_GE65','G_COMM_ND_PBD_LT65','G_COMM_FBD_GE65','G_COMM_FBD_LT65',
                                                 'GRAFT_INST','GRAFT_NE')),
    variable      text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('demographic','new_enrollee','graft','hcc','interaction','count',
                                                'divisor','normalization')),
    coefficient   decimal(6,3) NOT NULL,
    shipped       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (model_version, payment_year, segment, variable),
    FOREIGN KEY (model_version, payment_year) REFERENCES hccraf.model_release ON DELETE CASCADE
);
COMMENT ON TABLE hccraf.hcc_factor IS
    'Relative factors per segment. A variable is in a segment''s CMS variable list iff it has a row here (0.000 rows are meaningful). Kinds beyond the CMS-HCC ones: graft (ESRD add-ons), divisor (ESRD GRAFT_NE ActAdj), normalization (NF: the segment''s own factor; NF_PDP: the RxHCC stand-alone PDP basis). Factors may be negative (ESRD).';

CREATE TABLE hccraf.hcc_edit (
    model_version varchar(10) NOT NULL,
    payment_year  integer NOT NULL,
    edit_order    integer NOT NULL CHECK (edit_order >= 0),
    edit_kind     text NOT NULL CHECK (edit_kind IN ('mandatory', 'mce_age')),
    icd10_code    varchar(10) NOT NULL CHECK (icd10_code ~ '^[A-Z][0-9A-Z]{2,6}$'),
    sex           char(1) CHECK (sex IN ('M', 'F')),
    age_min       integer,
    age_max       integer,
    action        text NOT NULL CHECK (action IN ('drop', 'cc')),
    hcc_code      varchar(10) CHECK (hcc_code ~ '^(RX)?HCC[0-9]+$'),
    shipped       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (model_version, payment_year, edit_kind, edit_order, icd10_code),
    CHECK ((action = 'cc') = (hcc_code IS NOT NULL)),
    FOREIGN KEY (model_version, payment_year) REFERENCES hccraf.model_release ON DELETE CASCADE
);
COMMENT ON TABLE hccraf.hcc_edit IS
    'Age/sex edits run before the crosswalk. An edit fires when the sex matches (if given) and the age is outside [age_min, age_max]; mandatory edits form one chain (first match wins), mce_age edits follow and can only drop.';

CREATE TABLE hccraf.icd10cm_code_set (
    fiscal_year    integer PRIMARY KEY,
    effective_from date NOT NULL,
    effective_to   date NOT NULL,
    status         text NOT NULL,
    source         text,
    sha256         text,
    shipped        boolean NOT NULL DEFAULT false
);

CREATE TABLE hccraf.icd10cm_code (
    fiscal_year integer NOT NULL REFERENCES hccraf.icd10cm_code_set ON DELETE CASCADE,
    code        varchar(7) NOT NULL,
    billable    boolean NOT NULL,
    description text NOT NULL,
    shipped     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (fiscal_year, code)
);
CREATE INDEX icd10cm_code_code_idx ON hccraf.icd10cm_code (code);

-- The version of the reference data: incremented by every statement that changes a reference
-- table (its trigger below), in that statement's transaction. A snapshot that sees version v
-- sees exactly the reference rows of v, so compiled images are keyed by it: one statement, one
-- state, in every session and parallel worker. Internal (not dumped: CREATE EXTENSION makes it).
CREATE TABLE hccraf.reference_version (
    one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),
    version bigint  NOT NULL DEFAULT 1 CHECK (version > 0)
);
INSERT INTO hccraf.reference_version DEFAULT VALUES;
COMMENT ON TABLE hccraf.icd10cm_code IS
    'Official ICD-10-CM code sets (every entry of the order file; billable = valid code, false = category header).';

-------------------------------------------------------------------------------
-- Specificity rules (hcc_specificity): shipped from data/specificity_rules.csv, users add rows.
-------------------------------------------------------------------------------

CREATE TABLE hccraf.specificity_rule (
    rule_id             text PRIMARY KEY CONSTRAINT specificity_rule_rule_id_check CHECK (rule_id ~ '^[A-Z][A-Z0-9_]*$'),
    -- pg_catalog.array_to_string: a CHECK binds the function it names when it is created.
    requires            text[] NOT NULL CONSTRAINT specificity_rule_requires_check
                            CHECK (pg_catalog.array_to_string(requires, ' ')
                            ~ '^[A-Z][0-9A-Z]{2,6}\*?(\|[A-Z][0-9A-Z]{2,6}\*?)*( [A-Z][0-9A-Z]{2,6}\*?(\|[A-Z][0-9A-Z]{2,6}\*?)*)*$'),
    unless_present      text[] NOT NULL DEFAULT '{}' CONSTRAINT specificity_rule_unless_present_check
                            CHECK (pg_catalog.array_to_string(unless_present, ' ')
                            ~ '^([A-Z][0-9A-Z]{2,6}\*?( [A-Z][0-9A-Z]{2,6}\*?)*)?$'),
    replaces            text[] NOT NULL DEFAULT '{}' CONSTRAINT specificity_rule_replaces_check
                            CHECK (pg_catalog.array_to_string(replaces, ' ')
                            ~ '^([A-Z][0-9A-Z]{2,6}\*?( [A-Z][0-9A-Z]{2,6}\*?)*)?$'),
    suggest             text[] NOT NULL CONSTRAINT specificity_rule_suggest_check
                            CHECK (pg_catalog.array_to_string(suggest, ' ')
                            ~ '^[A-Z][0-9A-Z]{2,6}( [A-Z][0-9A-Z]{2,6})*$'),
    reason              text NOT NULL,
    guideline_reference text NOT NULL,
    shipped             boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE hccraf.specificity_rule IS
    'Rules of hcc_specificity (data/FORMAT.md, specificity_rules.csv): when every requires group (alternatives joined by |, prefix*) matches a current code and no unless_present pattern does, the codes matched by replaces give way to the suggest codes. Codes in the CMS spelling (no dot). Add your own rows (shipped = false; they are dumped by pg_dump).';

-------------------------------------------------------------------------------
-- Patient tables of the guide (user data; hccraf never writes them by itself).
-------------------------------------------------------------------------------

CREATE TABLE hccraf.patient_hcc_score (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    patient_id           uuid NOT NULL,
    payment_year         integer NOT NULL,
    data_collection_year integer,
    age                  integer,
    gender               char(1),
    medicaid_status      boolean,
    disabled_status      boolean,
    institutional_status boolean,
    demographic_score    decimal(8,3),
    hcc_list             text[],
    disease_score        decimal(8,3),
    interaction_score    decimal(8,3),
    raf_score            decimal(8,3) NOT NULL,
    model_version        text,
    segment              text,
    normalized_score     decimal(8,3),
    payment_score        decimal(8,3),
    calculated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (patient_id, payment_year)
);

CREATE TABLE hccraf.patient_diagnosis_hcc (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    patient_id         uuid NOT NULL,
    encounter_id       text,
    icd10_code         varchar(10) NOT NULL,
    diagnosis_date     date,
    provider_npi       varchar(10),
    hcc_code           varchar(10),
    hcc_description    text,
    coefficient        decimal(6,3),
    is_valid_encounter boolean NOT NULL DEFAULT true,
    included_in_raf    boolean NOT NULL DEFAULT true,
    superseded_by_hcc  varchar(10),
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX patient_diagnosis_hcc_patient_idx ON hccraf.patient_diagnosis_hcc (patient_id, diagnosis_date);

-------------------------------------------------------------------------------
-- pg_dump: user rows of the reference tables and all patient rows are dumped.
-------------------------------------------------------------------------------

SELECT pg_catalog.pg_extension_config_dump('hccraf.model_release', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('hccraf.hcc_label', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('hccraf.hcc_crosswalk', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('hccraf.hcc_crosswalk_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('hccraf.hcc_hierarchy', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('hccraf.hcc_hierarchy_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('hccraf.hcc_interaction', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('hccraf.hcc_interaction_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('hccraf.hcc_interaction_member', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('hccraf.hcc_factor', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('hccraf.hcc_edit', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('hccraf.icd10cm_code_set', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('hccraf.icd10cm_code', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('hccraf.patient_hcc_score', '');
SELECT pg_catalog.pg_extension_config_dump('hccraf.patient_diagnosis_hcc', '');
SELECT pg_catalog.pg_extension_config_dump('hccraf.specificity_rule', 'WHERE NOT shipped');

-------------------------------------------------------------------------------
-- 2. Types of the scoring API.
-------------------------------------------------------------------------------

CREATE TYPE hccraf.patient AS (
    dob              date,
    sex              text,
    orec             text,
    dual_status      text,
    institutional    boolean,
    new_enrollee     boolean,
    snp_new_enrollee boolean
);

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

CREATE TYPE hccraf.raf_result AS (
    model             text,
    payment_year      integer,
    segment           text,
    hccs              text[],
    interactions      text[],
    demographic_score numeric,
    disease_score     numeric,
    interaction_score numeric,
    raw_score         numeric,
    normalized_score  numeric,
    payment_score     numeric
);

-------------------------------------------------------------------------------
-- 3. Loading: the data-file reader, the loaders (a new CMS release is one importer run away),
-- the change trigger, then the shipped rows.
-------------------------------------------------------------------------------

CREATE FUNCTION hccraf.read_data_file(path text, header text[])
RETURNS SETOF text[]
AS 'MODULE_PATHNAME', 'hccraf_read_data_file'
LANGUAGE C STRICT VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION hccraf.read_data_file(text, text[]) IS
    'Reads a server-side CSV data file (data/FORMAT.md) as rows of text; header must match. Superuser or pg_read_server_files only.';
REVOKE ALL ON FUNCTION hccraf.read_data_file(text, text[]) FROM PUBLIC;

CREATE FUNCTION hccraf.shipped_data_dir()
RETURNS text
AS 'MODULE_PATHNAME', 'hccraf_shipped_data_dir'
LANGUAGE C STRICT STABLE PARALLEL SAFE;
COMMENT ON FUNCTION hccraf.shipped_data_dir() IS
    'Where `make install` put the data files shipped with this version.';
REVOKE ALL ON FUNCTION hccraf.shipped_data_dir() FROM PUBLIC;

-- Internal: the reference tables' statement trigger. Not PUBLIC, so no other role can attach it
-- to a table of its own (it also refuses to run for a table outside this schema).
CREATE FUNCTION hccraf._reference_changed()
RETURNS trigger
AS 'MODULE_PATHNAME', 'hccraf_reference_changed'
LANGUAGE C;
REVOKE ALL ON FUNCTION hccraf._reference_changed() FROM PUBLIC;

CREATE FUNCTION hccraf.load_release(data_dir text, model_version text, payment_year integer,
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
COMMENT ON FUNCTION hccraf.load_release(text, text, integer, boolean) IS
    'Loads one release (model x payment year) from a folder in the hccraf data format (data/FORMAT.md), e.g. one written by tools/import_cms.py from a new CMS release.';
REVOKE ALL ON FUNCTION hccraf.load_release(text, text, integer, boolean) FROM PUBLIC;

CREATE FUNCTION hccraf.load_icd10cm(data_dir text, fiscal_year integer, shipped boolean DEFAULT false)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
BEGIN
    INSERT INTO hccraf.icd10cm_code_set (fiscal_year, effective_from, effective_to, status, source, sha256, shipped)
    SELECT f[1]::int, f[2]::date, f[3]::date, f[4], f[5], f[6], shipped
    FROM hccraf.read_data_file(data_dir || '/icd10cm/code_sets.csv',
            ARRAY['fiscal_year','effective_from','effective_to','status','source','sha256']) f
    WHERE f[1]::int = load_icd10cm.fiscal_year;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'fiscal year % is not listed in %/icd10cm/code_sets.csv', fiscal_year, data_dir
            USING ERRCODE = 'undefined_object';
    END IF;
    INSERT INTO hccraf.icd10cm_code (fiscal_year, code, billable, description, shipped)
    SELECT load_icd10cm.fiscal_year, f[1], f[2] = '1', f[3], shipped
    FROM hccraf.read_data_file(data_dir || '/icd10cm/fy' || fiscal_year || '.csv',
            ARRAY['code','billable','description']) f;
END;
$$;
REVOKE ALL ON FUNCTION hccraf.load_icd10cm(text, integer, boolean) FROM PUBLIC;

-------------------------------------------------------------------------------
-- The change trigger: every statement that changes a reference table increments
-- hccraf.reference_version in its own transaction (src/pg/invalidation.cpp). Created BEFORE the
-- shipped rows are loaded, so that loading them is a change like any other.
-------------------------------------------------------------------------------

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['model_release','hcc_label','hcc_crosswalk','hcc_hierarchy',
                             'hcc_interaction','hcc_interaction_member','hcc_factor','hcc_edit',
                             'icd10cm_code_set','icd10cm_code']
    LOOP
        EXECUTE format('CREATE TRIGGER reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
                        ON hccraf.%I FOR EACH STATEMENT EXECUTE FUNCTION hccraf._reference_changed()', t);
    END LOOP;
END;
$$;

-- Shipped content.
DO $$
DECLARE
    dir text := hccraf.shipped_data_dir();
    r text[];
BEGIN
    FOR r IN SELECT * FROM hccraf.read_data_file(dir || '/model_releases.csv',
            ARRAY['model_version','payment_year','normalization_factor','ma_coding_adjustment',
                  'blend_weight','status','crosswalk_source','factor_source',
                  'normalization_source','notes','model_family'])
    LOOP
        PERFORM hccraf.load_release(dir, r[1], r[2]::int, true);
    END LOOP;
    FOR r IN SELECT * FROM hccraf.read_data_file(dir || '/icd10cm/code_sets.csv',
            ARRAY['fiscal_year','effective_from','effective_to','status','source','sha256'])
    LOOP
        PERFORM hccraf.load_icd10cm(dir, r[1]::int, true);
    END LOOP;
END;
$$;
INSERT INTO hccraf.specificity_rule (rule_id, requires, unless_present, replaces, suggest, reason,
                                     guideline_reference, shipped)
SELECT f[1], string_to_array(f[2], ' '), coalesce(string_to_array(nullif(f[3], ''), ' '), '{}'),
       coalesce(string_to_array(nullif(f[4], ''), ' '), '{}'), string_to_array(f[5], ' '), f[6], f[7], true
FROM hccraf.read_data_file(hccraf.shipped_data_dir() || '/specificity_rules.csv',
        ARRAY['rule_id','requires','unless','replaces','suggest','reason','guideline_reference']) f;

-- Fresh statistics, so that the first queries after CREATE EXTENSION get sensible plans.
ANALYZE hccraf.model_release, hccraf.hcc_label, hccraf.hcc_crosswalk, hccraf.hcc_hierarchy,
        hccraf.hcc_interaction, hccraf.hcc_interaction_member, hccraf.hcc_factor, hccraf.hcc_edit,
        hccraf.icd10cm_code_set, hccraf.icd10cm_code;

-------------------------------------------------------------------------------
-- 4. Functions. Mapping and scoring (IMMUTABLE: see README "Volatility").
-------------------------------------------------------------------------------

CREATE FUNCTION hccraf.hcc_map(icd text, model text DEFAULT 'V28', payment_year integer DEFAULT 2026)
RETURNS text[]
AS 'MODULE_PATHNAME', 'hccraf_hcc_map'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION hccraf.hcc_map(text, text, integer) IS
    'ICD-10-CM code -> payment HCCs of a release ({} = valid code without HCC, NULL = code not in the ICD-10-CM code sets in force).';

CREATE FUNCTION hccraf.raf_score(patient record, diagnoses text[], model text DEFAULT 'V28',
                                 payment_year integer DEFAULT 2026)
RETURNS hccraf.raf_result
AS 'MODULE_PATHNAME', 'hccraf_raf_score'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;
COMMENT ON FUNCTION hccraf.raf_score(record, text[], text, integer) IS
    'CMS-HCC risk score of one person, as CMS''s SAS software computes it, plus normalization, MA coding adjustment and blends.';

CREATE FUNCTION hccraf.raf_payment_score(patient record, diagnoses text[], model text DEFAULT 'V28',
                                         payment_year integer DEFAULT 2026)
RETURNS numeric
AS 'MODULE_PATHNAME', 'hccraf_raf_payment_score'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;
COMMENT ON FUNCTION hccraf.raf_payment_score(record, text[], text, integer) IS
    'The payment score of raf_score alone (no composite): the lean form for sum() and GROUP BY over large populations.';

CREATE FUNCTION hccraf.raf_payment_score(dob date, sex text, orec text, dual_status text,
                                         institutional boolean, new_enrollee boolean,
                                         snp_new_enrollee boolean, diagnoses text[],
                                         model text DEFAULT 'V28', payment_year integer DEFAULT 2026)
RETURNS numeric
AS 'MODULE_PATHNAME', 'hccraf_raf_payment_score_fields'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;
COMMENT ON FUNCTION hccraf.raf_payment_score(date, text, text, text, boolean, boolean, boolean, text[], text, integer) IS
    'raf_payment_score from plain columns (NULL orec = blank, NULL dual_status = non, NULL flags = false): no whole-row value per row, and postgres_fdw can push it down to shards.';

CREATE FUNCTION hccraf.raf_explain(patient record, diagnoses text[], model text DEFAULT 'V28',
                                   payment_year integer DEFAULT 2026,
                                   OUT model_version text, OUT step text, OUT item text,
                                   OUT detail text, OUT coefficient numeric)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'hccraf_raf_explain'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 20;
COMMENT ON FUNCTION hccraf.raf_explain(record, text[], text, integer) IS
    'Every factor and decision behind raf_score, one row each; the coefficients of one model sum to its raw score.';

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
-- Recapture gaps: hcc_gaps, hcc_gap_summary, hcc_specificity, suspect_list (README.md
-- "Recapture gaps").
--
-- Without a patient row every gap function uses the DEFAULT PATIENT: female, age 72, community,
-- non-dual, OREC 0, not institutional, not a new enrollee (segment CNA). Revenue is raf_delta x
-- base rate (the base_rate argument, else the hccraf.base_rate setting; NULL when neither is
-- set: hccraf ships no CMS dollar figure), in cents rounded half away from zero. The functions
-- are STABLE because revenue depends on that setting (hcc_specificity also reads a table).
-- One model per call: 'CMS-HCC' in a blend year (2024, 2025) is rejected with a hint.
-------------------------------------------------------------------------------

CREATE FUNCTION hccraf.hcc_gaps(prior text[], current text[], patient record DEFAULT NULL,
                                model text DEFAULT 'V28', payment_year integer DEFAULT 2026,
                                base_rate numeric DEFAULT NULL,
                                OUT hcc text, OUT label text, OUT status text,
                                OUT prior_codes text[], OUT current_codes text[],
                                OUT related_hccs text[], OUT raf_delta numeric,
                                OUT revenue_delta numeric, OUT score_kind text, OUT segment text,
                                OUT patient_basis text, OUT detail text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'hccraf_hcc_gaps'
LANGUAGE C STABLE PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION hccraf.hcc_gaps(text[], text[], record, text, integer, numeric) IS
    'Recapture gaps: one row per HCC of last year''s (prior) or this year''s (current) codes, status recaptured | gap | new | upgraded | downgraded | superseded, and raf_delta = score(current + that HCC''s prior codes) - score(current), exact, with hierarchies, interactions, count variables, normalization and MA adjustment (payment score; raw score for a release without payment role). Default patient when patient is NULL: female, age 72, community, non-dual, OREC 0 (segment CNA). revenue_delta = raf_delta x base rate (argument, else hccraf.base_rate, else NULL), half away from zero to the cent. One model per call (a blend year''s CMS-HCC is rejected).';

CREATE FUNCTION hccraf.hcc_gap_summary(prior text[], current text[], patient record DEFAULT NULL,
                                       model text DEFAULT 'V28', payment_year integer DEFAULT 2026,
                                       base_rate numeric DEFAULT NULL,
                                       OUT model_version text, OUT segment text,
                                       OUT patient_basis text, OUT score_kind text,
                                       OUT current_score numeric, OUT closed_score numeric,
                                       OUT joint_delta numeric, OUT sum_of_single_deltas numeric,
                                       OUT open_gaps integer, OUT current_hccs text[],
                                       OUT closed_hccs text[], OUT annual_base_rate numeric,
                                       OUT current_revenue numeric, OUT closed_revenue numeric,
                                       OUT revenue_delta numeric)
RETURNS record
AS 'MODULE_PATHNAME', 'hccraf_hcc_gap_summary'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION hccraf.hcc_gap_summary(text[], text[], record, text, integer, numeric) IS
    'Totals of hcc_gaps for one person: current score, closed_score = score with every prior code added, joint_delta = closed - current (not the sum of the single deltas, also returned), open gaps (status gap or downgraded), and the same in dollars at the base rate. Same default patient and base-rate rules as hcc_gaps.';

CREATE FUNCTION hccraf.hcc_specificity(current text[], patient record DEFAULT NULL,
                                       model text DEFAULT 'V28', payment_year integer DEFAULT 2026,
                                       base_rate numeric DEFAULT NULL,
                                       OUT rule_id text, OUT evidence_codes text[],
                                       OUT replaced_codes text[], OUT suggested_codes text[],
                                       OUT hccs_before text[], OUT hccs_after text[],
                                       OUT raf_delta numeric, OUT revenue_delta numeric,
                                       OUT score_kind text, OUT segment text,
                                       OUT patient_basis text, OUT note text, OUT reason text,
                                       OUT guideline_reference text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'hccraf_hcc_specificity'
LANGUAGE C STABLE PARALLEL SAFE ROWS 2;
COMMENT ON FUNCTION hccraf.hcc_specificity(text[], record, text, integer, numeric) IS
    'Specificity upgrades: the rules of hccraf.specificity_rule that apply to the current codes (e.g. E11.9 + N18.x -> E11.22, I10 + I50.x -> I11.0), each with its ICD-10-CM guideline reference and raf_delta = score(current with the suggestion applied) - score(current); 0 when the release values both the same (the note says so). Same default patient and base-rate rules as hcc_gaps.';

CREATE FUNCTION hccraf.suspect_list(dx regclass, current_year integer,
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
COMMENT ON FUNCTION hccraf.suspect_list(regclass, integer, integer, regclass, text, integer, numeric) IS
    'The pre-visit suspect list of a panel: every open gap (status gap or downgraded) of every patient of a diagnosis table (patient_id, year or service_date, icd10_code), last year (prior_year, default current_year - 1) against this year, valued by hcc_gaps for payment year current_year + 1 unless given, sorted by raf_delta. patients: optional table of patient rows (same patient column; fields as for raf_score); without it, or for a patient missing from it, the default patient of hcc_gaps is used (patient_basis says which).';

-------------------------------------------------------------------------------
-- Introspection (what public HCC risk-model REST APIs expose: models, factors, labels).
-------------------------------------------------------------------------------

CREATE VIEW hccraf.models AS
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

CREATE FUNCTION hccraf.model_factors(model text DEFAULT 'V28', payment_year integer DEFAULT 2026)
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

CREATE FUNCTION hccraf.model_labels(model text DEFAULT 'V28', payment_year integer DEFAULT 2026)
RETURNS TABLE (hcc_code text, label text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT l.hcc_code, l.label FROM hccraf.hcc_label l
    WHERE l.model_version = $1 AND l.payment_year = $2
    ORDER BY pg_catalog.ltrim(l.hcc_code, 'RXHC')::pg_catalog.int4;
$$;

CREATE FUNCTION hccraf.icd10cm_description(code text)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT c.description FROM hccraf.icd10cm_code c
    WHERE c.code = pg_catalog.upper(pg_catalog.replace(pg_catalog.btrim($1), '.', ''))
    ORDER BY c.fiscal_year DESC LIMIT 1;
$$;

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
