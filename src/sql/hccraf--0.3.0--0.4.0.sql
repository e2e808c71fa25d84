-- hccraf 0.3.0 -> 0.4.0: the HHS-HCC model of the ACA markets (V08, benefit years 2025 and 2026) in
-- the same engine. The C library of 0.4.0 keeps every symbol of 0.3.0.
\echo Use "ALTER EXTENSION hccraf UPDATE TO '0.4.0'" to load this file. \quit

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
-- Reference tables: the HHS-HCC family, its spellings (HHS_HCC035_1: 12 characters; groups G01,
-- RXCs RXC_06), its segments (model x metal) and kinds, its conditional crosswalk rows.
-------------------------------------------------------------------------------

ALTER TABLE hccraf.model_release
    DROP CONSTRAINT model_release_model_family_check,
    ADD CONSTRAINT model_release_model_family_check CHECK (model_family IN ('CMS-HCC', 'RxHCC', 'ESRD', 'HHS-HCC'));
ALTER TABLE hccraf.hcc_label
    DROP CONSTRAINT hcc_label_hcc_code_check,
    ADD CONSTRAINT hcc_label_hcc_code_check CHECK (hcc_code ~ '^((RX)?HCC[0-9]+|HHS_HCC[0-9]{3}(_[12])?|G[0-9]{2}[A-I]?|RXC_[0-9]{2})$');
ALTER TABLE hccraf.hcc_crosswalk
    ALTER COLUMN hcc_code TYPE varchar(12),
    DROP CONSTRAINT hcc_crosswalk_hcc_code_check,
    ADD CONSTRAINT hcc_crosswalk_hcc_code_check CHECK (hcc_code ~ '^((RX)?HCC[0-9]+|HHS_HCC[0-9]{3}(_[12])?|G[0-9]{2}[A-I]?|RXC_[0-9]{2})$');
ALTER TABLE hccraf.hcc_hierarchy
    ALTER COLUMN superior_hcc TYPE varchar(12),
    ALTER COLUMN subordinate_hcc TYPE varchar(12),
    DROP CONSTRAINT hcc_hierarchy_superior_hcc_check,
    ADD CONSTRAINT hcc_hierarchy_superior_hcc_check CHECK (superior_hcc ~ '^((RX)?HCC[0-9]+|HHS_HCC[0-9]{3}(_[12])?|G[0-9]{2}[A-I]?|RXC_[0-9]{2})$'),
    DROP CONSTRAINT hcc_hierarchy_subordinate_hcc_check,
    ADD CONSTRAINT hcc_hierarchy_subordinate_hcc_check CHECK (subordinate_hcc ~ '^((RX)?HCC[0-9]+|HHS_HCC[0-9]{3}(_[12])?|G[0-9]{2}[A-I]?|RXC_[0-9]{2})$');
ALTER TABLE hccraf.hcc_interaction_member
    ALTER COLUMN hcc_code TYPE varchar(12),
    DROP CONSTRAINT hcc_interaction_member_hcc_code_check,
    ADD CONSTRAINT hcc_interaction_member_hcc_code_check CHECK (hcc_code ~ '^((RX)?HCC[0-9]+|HHS_HCC[0-9]{3}(_[12])?|G[0-9]{2}[A-I]?|RXC_[0-9]{2})$'),
    -- Re-added in the install script's words: the type change above rewrites it in a form that
    -- deparses differently from a fresh install's.
    DROP CONSTRAINT hcc_interaction_member_check,
    ADD CONSTRAINT hcc_interaction_member_check CHECK ((term IN ('DISABL', 'NONAGED')) = (hcc_code IS NULL));
ALTER TABLE hccraf.hcc_factor
    DROP CONSTRAINT hcc_factor_segment_check,
    ADD CONSTRAINT hcc_factor_segment_check CHECK (segment IN ('CNA','CND','CFA','CFD','CPA','CPD','INS','NE','SNPNE',
                                                 'CE_NonLow_Aged','CE_NonLow_NonAged','CE_Low_Aged','CE_Low_NonAged','CE_LTI',
                                                 'NE_NonLow_Community','NE_Low_Community','NE_LTI',
                                                 'DIAL','DIAL_NE','TRANSPLANT_1M','TRANSPLANT_2M','TRANSPLANT_3M',
                                                 'G_COMM_ND_PBD_GE65','G_COMM_ND_PBD_LT65','G_COMM_FBD_GE65','G_COMM_FBD_LT65',
                                                 'GRAFT_INST','GRAFT_NE',
                                                 'Adult_Platinum','Adult_Gold','Adult_Silver','Adult_Bronze','Adult_Catastrophic',
                                                 'Child_Platinum','Child_Gold','Child_Silver','Child_Bronze','Child_Catastrophic',
                                                 'Infant_Platinum','Infant_Gold','Infant_Silver','Infant_Bronze','Infant_Catastrophic')),
    DROP CONSTRAINT hcc_factor_kind_check,
    ADD CONSTRAINT hcc_factor_kind_check CHECK (kind IN ('demographic','new_enrollee','graft','hcc','interaction','count',
                                                'divisor','normalization','group','rxc','duration','acf','maturity'));
ALTER TABLE hccraf.hcc_edit
    ALTER COLUMN hcc_code TYPE varchar(12),
    DROP CONSTRAINT hcc_edit_hcc_code_check,
    ADD CONSTRAINT hcc_edit_hcc_code_check CHECK (hcc_code ~ '^((RX)?HCC[0-9]+|HHS_HCC[0-9]{3}(_[12])?|G[0-9]{2}[A-I]?|RXC_[0-9]{2})$'),
    DROP CONSTRAINT hcc_edit_edit_kind_check,
    ADD CONSTRAINT hcc_edit_edit_kind_check CHECK (edit_kind IN ('mandatory', 'mce_age', 'cc_split'));
COMMENT ON TABLE hccraf.model_release IS
    'One row per release (model x payment year) of a model family (CMS-HCC, RxHCC, ESRD, HHS-HCC): normalization factor, MA coding adjustment, blend weight (the share of the family''s payment score), sources.';
COMMENT ON TABLE hccraf.hcc_factor IS
    'Relative factors per segment. A variable is in a segment''s CMS variable list iff it has a row here (0.000 rows are meaningful). Kinds beyond the CMS-HCC ones: graft (ESRD add-ons), divisor (ESRD GRAFT_NE ActAdj), normalization (NF: the segment''s own factor; NF_PDP: the RxHCC stand-alone PDP basis); HHS-HCC segments are model x metal (Adult_Silver) with kinds group, rxc, count (severe / transplant counts), duration (HCC_ED), acf, maturity. Factors may be negative (ESRD, HHS-HCC).';
COMMENT ON TABLE hccraf.hcc_edit IS
    'Age/sex edits run before the crosswalk. An edit fires when the sex matches (if given) and the age is outside [age_min, age_max]; mandatory edits form one chain (first match wins), mce_age edits follow and can only drop. cc_split (HHS-HCC conditional crosswalk) is the other way round: it sets its HCC when the sex matches and the age is inside [age_min, age_max], unless an mce_age edit dropped the code.';

-------------------------------------------------------------------------------
-- HHS-HCC (ACA individual and small-group markets): the tables only this family has, its types
-- and its scoring functions (src/core/hhs_model.hpp; README "ACA enrollees (HHS-HCC)").
-------------------------------------------------------------------------------

CREATE TABLE hccraf.hhs_member_set (
    model_version varchar(10) NOT NULL,
    payment_year  integer NOT NULL,
    set_name      text NOT NULL CHECK (set_name ~ '^[A-Z][A-Z0-9_]*$'),
    hcc_code      varchar(12) NOT NULL CHECK (hcc_code ~ '^(HHS_HCC[0-9]{3}(_[12])?|G[0-9]{2}[A-I]?)$'),
    shipped       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (model_version, payment_year, set_name, hcc_code),
    FOREIGN KEY (model_version, payment_year) REFERENCES hccraf.model_release ON DELETE CASCADE
);
COMMENT ON TABLE hccraf.hhs_member_set IS
    'HHS-HCC member sets (DIY tables 6, 7, 8, 12): each group (G01 ...: its members are replaced by the group), SEVERE_ADULT / SEVERE_CHILD, TRANSPLANT_ADULT / TRANSPLANT_CHILD, EXCLUDED_ADULT / _CHILD / _INFANT (HCCs outside a model), infant SEVERITY1..5 and maturity EXTREMELY_IMMATURE, IMMATURE, PREMATURE_MULTIPLES, TERM.';

CREATE TABLE hccraf.hhs_drug_code (
    model_version varchar(10) NOT NULL,
    payment_year  integer NOT NULL,
    code_system   text NOT NULL CHECK (code_system IN ('ndc', 'hcpcs')),
    code          varchar(11) NOT NULL,
    variable      text NOT NULL CHECK (variable ~ '^(RXC_[0-9]{2}|ACF_PrEP|ACF_PrEP_Child)$'),
    shipped       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (model_version, payment_year, code_system, code, variable),
    CHECK ((code_system = 'ndc' AND code ~ '^[0-9A-Z]{11}$') OR (code_system = 'hcpcs' AND code ~ '^[0-9A-Z]{5}$')),
    FOREIGN KEY (model_version, payment_year) REFERENCES hccraf.model_release ON DELETE CASCADE
);
COMMENT ON TABLE hccraf.hhs_drug_code IS
    'HHS-HCC drug codes: NDCs (11 characters, no hyphens) and HCPCS codes of the prescription-drug categories RXC_01..RXC_10 (adult model) and of the BY2026 PrEP affiliated cost factor (ACF_PrEP adults, ACF_PrEP_Child ages 12-20).';

CREATE TABLE hccraf.hhs_csr_factor (
    model_version varchar(10) NOT NULL,
    payment_year  integer NOT NULL,
    csr_indicator integer NOT NULL CHECK (csr_indicator BETWEEN 1 AND 11),
    metal         text NOT NULL CHECK (metal IN ('platinum', 'gold', 'silver', 'bronze', 'catastrophic', 'any')),
    factor        numeric(4,2) NOT NULL CHECK (factor > 0),
    shipped       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (model_version, payment_year, csr_indicator),
    FOREIGN KEY (model_version, payment_year) REFERENCES hccraf.model_release ON DELETE CASCADE
);
COMMENT ON TABLE hccraf.hhs_csr_factor IS
    'HHS-HCC cost-sharing-reduction adjustment (DIY table 13): the factor of each CSR_INDICATOR and the metal it belongs to (any = indicator 1, no CSR).';

SELECT pg_catalog.pg_extension_config_dump('hccraf.hhs_member_set', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('hccraf.hhs_drug_code', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('hccraf.hhs_csr_factor', 'WHERE NOT shipped');

-- An enrollee row for ROW(...)::hccraf.enrollee. Any row with these field names works as well;
-- age_last is used only when dob or last_enrollment_date is NULL.
CREATE TYPE hccraf.enrollee AS (
    dob                  date,
    last_enrollment_date date,
    sex                  text,
    metal                text,
    csr_indicator        integer,
    enrollment_days      integer,
    age_last             integer
);

CREATE TYPE hccraf.hhs_result AS (
    model_version            text,
    benefit_year             integer,
    model                    text,
    enrollment_months        integer,
    demographic_vars         text[],
    hccs                     text[],
    rxcs                     text[],
    groups                   text[],
    hcc_cnt                  integer,
    other_vars               text[],
    score_platinum           numeric,
    score_gold               numeric,
    score_silver             numeric,
    score_bronze             numeric,
    score_catastrophic       numeric,
    raw_score                numeric,
    csr_factor               numeric,
    csr_adjusted_score_exact numeric,
    csr_adjusted_score       numeric
);
COMMENT ON TYPE hccraf.hhs_result IS
    'hhs_score: model adult | child | infant; hccs after MCE edits, crosswalk and hierarchy, before grouping (infants: every HCC after hierarchy); rxcs after the RXC hierarchy; groups; hcc_cnt (NULL for infants); other_vars = RXC x HCC interactions, SEVERE_/TRANSPLANT_HCC_COUNT*, HCC_ED*, ACF_*, <maturity>_X_SEVERITY<n>; the five metal scores; raw_score at the enrollee''s metal; csr_adjusted_score_exact = raw x factor, csr_adjusted_score rounded half up to 3 decimals.';

CREATE FUNCTION hccraf.hhs_score(enrollee record, diagnoses text[], ndc text[] DEFAULT NULL,
                                 hcpcs text[] DEFAULT NULL, benefit_year integer DEFAULT 2026)
RETURNS hccraf.hhs_result
AS 'MODULE_PATHNAME', 'hccraf_hhs_score'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;
COMMENT ON FUNCTION hccraf.hhs_score(record, text[], text[], text[], integer) IS
    'HHS-HCC (ACA) risk score of one enrollee as CMS''s DIY software computes it: adult / child / infant model by age on the last enrollment day, all five metal scores, the score at the enrollee''s metal and the CSR-adjusted score (exact, and half up to 3 decimals). Enrollee fields by name: dob + last_enrollment_date (or age_last), sex, metal, csr_indicator (default 1), enrollment_days (default: full year).';

CREATE FUNCTION hccraf.hhs_explain(enrollee record, diagnoses text[], ndc text[] DEFAULT NULL,
                                   hcpcs text[] DEFAULT NULL, benefit_year integer DEFAULT 2026,
                                   OUT model_version text, OUT step text, OUT item text,
                                   OUT detail text, OUT coefficient numeric)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'hccraf_hhs_explain'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 20;
COMMENT ON FUNCTION hccraf.hhs_explain(record, text[], text[], text[], integer) IS
    'Every decision behind hhs_score, one row each (which code made which CC, MCE edits, drug codes, hierarchy, exclusions, groups) and one row per variable with its factor at the enrollee''s metal: the coefficients sum to raw_score.';

CREATE FUNCTION hccraf.hhs_gaps(prior text[], current text[], enrollee record, ndc text[] DEFAULT NULL,
                                hcpcs text[] DEFAULT NULL, benefit_year integer DEFAULT 2026,
                                OUT hcc text, OUT label text, OUT status text,
                                OUT prior_codes text[], OUT current_codes text[],
                                OUT related_hccs text[], OUT raf_delta numeric,
                                OUT csr_adjusted_delta numeric, OUT segment text, OUT detail text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'hccraf_hhs_gaps'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 8;
COMMENT ON FUNCTION hccraf.hhs_gaps(text[], text[], record, text[], text[], integer) IS
    'Recapture gaps of an ACA enrollee under the HHS-HCC model: one row per HCC of last year''s (prior) or this year''s (current) codes, status as hcc_gaps, raf_delta = hhs_score raw score at the enrollee''s metal with that HCC''s prior codes added minus without (groups, RXC interactions, count and duration variables included; drug codes on both sides), exact; csr_adjusted_delta = raf_delta x the CSR factor, exact. HCCs outside the enrollee''s model set no row.';

DO $$
DECLARE
    t pg_catalog.text;
BEGIN
    FOREACH t IN ARRAY ARRAY['hhs_member_set','hhs_drug_code','hhs_csr_factor']
    LOOP
        EXECUTE pg_catalog.format('CREATE TRIGGER reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
                        ON hccraf.%I FOR EACH STATEMENT EXECUTE FUNCTION hccraf._reference_changed()', t);
    END LOOP;
END;
$$;

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
    hcc text;          -- the prefix of the family's HCC spelling: HCC38, RXHCC31 ('' for HHS-HCC, whose
                       -- files name HCCs in full: HHS_HCC035_1, G01, RXC_06)
    first_seg text;    -- the family's first segment (the reading coefficient of the crosswalk)
    family text;
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
        hcc := CASE r[11] WHEN 'RxHCC' THEN 'RXHCC' WHEN 'HHS-HCC' THEN '' ELSE 'HCC' END;
        first_seg := CASE r[11] WHEN 'RxHCC' THEN 'CE_NonLow_Aged' WHEN 'ESRD' THEN 'DIAL'
                                WHEN 'HHS-HCC' THEN 'Adult_Platinum' ELSE 'CNA' END;
        family := r[11];
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

    IF family = 'HHS-HCC' THEN
        INSERT INTO hccraf.hhs_member_set (model_version, payment_year, set_name, hcc_code, shipped)
        SELECT model_version, payment_year, f[1], f[2], shipped
        FROM hccraf.read_data_file(dir || '/sets.csv', ARRAY['set','member']) f;
        INSERT INTO hccraf.hhs_drug_code (model_version, payment_year, code_system, code, variable, shipped)
        SELECT model_version, payment_year, f[1], f[2], f[3], shipped
        FROM hccraf.read_data_file(dir || '/drugs.csv', ARRAY['code_system','code','variable']) f;
        INSERT INTO hccraf.hhs_csr_factor (model_version, payment_year, csr_indicator, metal, factor, shipped)
        SELECT model_version, payment_year, f[1]::int, f[2], f[3]::numeric, shipped
        FROM hccraf.read_data_file(dir || '/csr_factors.csv', ARRAY['csr_indicator','metal','factor']) f;
    END IF;
END;
$$;
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
                                             'GRAFT_INST','GRAFT_NE',
                                             'Adult_Platinum','Adult_Gold','Adult_Silver','Adult_Bronze','Adult_Catastrophic',
                                             'Child_Platinum','Child_Gold','Child_Silver','Child_Bronze','Child_Catastrophic',
                                             'Infant_Platinum','Infant_Gold','Infant_Silver','Infant_Bronze','Infant_Catastrophic'], f.segment),
             f.kind, f.variable;
$$;

CREATE OR REPLACE FUNCTION hccraf.model_labels(model text DEFAULT 'V28', payment_year integer DEFAULT 2026)
RETURNS TABLE (hcc_code text, label text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT l.hcc_code, l.label FROM hccraf.hcc_label l
    WHERE l.model_version = $1 AND l.payment_year = $2
    -- By length, then text: HCC numbers in numeric order (HCC2 before HCC10), and HHS-HCC's
    -- groups, RXCs and zero-padded HHS_HCC names each in order.
    ORDER BY pg_catalog.length(l.hcc_code), l.hcc_code;
$$;

COMMENT ON VIEW hccraf.models IS 'Inventory of the loaded releases (model_family: CMS-HCC, RxHCC, ESRD, HHS-HCC; for HHS-HCC payment_year is the benefit year).';

-------------------------------------------------------------------------------
-- The shipped HHS-HCC releases (data/model_releases.csv rows not loaded yet).
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
        hccraf.hcc_interaction, hccraf.hcc_interaction_member, hccraf.hcc_factor, hccraf.hcc_edit,
        hccraf.hhs_member_set, hccraf.hhs_drug_code, hccraf.hhs_csr_factor;
