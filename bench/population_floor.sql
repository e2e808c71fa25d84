-- bench/population_floor.sql — measurement (i) of bench/population.sh: the floor of
-- score_population. The same reads and writes without scoring, in one transaction: the
-- data-collection year's rows of claims_dx read once (with their eligibility when the claim
-- columns are present: psql variable CLAIMS = 1, see below), one row per patient of members with the
-- array of its eligible codes into floor_score (shaped like hccraf.patient_hcc_score), one row
-- per diagnosis into floor_dx (shaped like hccraf.patient_diagnosis_hcc; ineligible rows with
-- is_valid_encounter false), replacing the rows of the same payment year and model. Both tables
-- are logged, with the same defaults, keys and indexes as hccraf's (CREATE TABLE ... LIKE ...
-- INCLUDING ALL, made by population.sh).
-- Eligibility (CLAIMS = 1): by default set-wise, the same expression over ra_eligible_code and
-- ra_eligible_bill_type that score_population evaluates (since e91a299); with FLOOR_ELIG = 'call'
-- by one hccraf.ra_eligible call per row (the plpgsql function, ~80 us per call).
\if :CLAIMS
SELECT :'FLOOR_ELIG' = 'call' AS floor_elig_call \gset
\if :floor_elig_call
\set ELIG 'hccraf.ra_eligible(d.claim_type, d.bill_type, d.procedure_codes, d.service_date)'
\else
\set ELIG 'CASE WHEN lower(btrim(d.claim_type)) = ''professional'' THEN EXISTS (SELECT FROM unnest(d.procedure_codes) pc JOIN hccraf.ra_eligible_code e ON e.service_year = date_part(''year'', d.service_date)::int4 AND e.code = upper(btrim(pc))) ELSE COALESCE((SELECT NOT b.requires_procedure_filter OR EXISTS (SELECT FROM unnest(d.procedure_codes) pc JOIN hccraf.ra_eligible_code e ON e.service_year = date_part(''year'', d.service_date)::int4 AND e.code = upper(btrim(pc))) FROM hccraf.ra_eligible_bill_type b WHERE b.claim_type = ''institutional'' AND b.bill_type_prefix = substr(right(upper(btrim(d.bill_type)), 3), 1, 2)), false) END'
\endif
\else
\set ELIG 'true'
\endif
BEGIN;
DELETE FROM floor_score WHERE payment_year = 2026 AND model_version = 'V28';
DELETE FROM floor_dx WHERE payment_year = 2026 AND model_version = 'V28';
WITH dx AS MATERIALIZED (
    SELECT d.patient_id, upper(replace(btrim(d.icd10_code), '.', '')) AS norm, d.service_date,
           d.encounter_id, d.provider_npi, :ELIG AS eligible
    FROM claims_dx d
    WHERE d.service_date >= date '2025-01-01' AND d.service_date < date '2026-01-01'
),
ins_dx AS (
    INSERT INTO floor_dx (patient_id, encounter_id, icd10_code, diagnosis_date, provider_npi,
                          is_valid_encounter, included_in_raf, payment_year, model_version)
    SELECT dx.patient_id, dx.encounter_id, left(dx.norm, 10), dx.service_date, left(dx.provider_npi, 10),
           dx.eligible, dx.eligible, 2026, 'V28'
    FROM dx
)
INSERT INTO floor_score (patient_id, payment_year, data_collection_year, gender, hcc_list, raf_score,
                         model_version)
SELECT m.patient_id, 2026, 2025, m.sex, c.codes, 0, 'V28'
FROM members m
LEFT JOIN (SELECT dx.patient_id, array_agg(dx.norm) AS codes FROM dx WHERE dx.eligible GROUP BY dx.patient_id) c
       ON c.patient_id = m.patient_id;
COMMIT;
