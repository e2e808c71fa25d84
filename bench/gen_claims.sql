-- bench/gen_claims.sql — the normalized warehouse tables of bench/population.sh.
--
-- Needs psql variables N (patients) and CLAIMS (1 = with the claim columns claim_type, bill_type,
-- procedure_codes; 0 = without them, so that score_population counts every row as eligible).
-- Reuses bench/gen_population.sql (deterministic: every draw is a hash of (id, draw, salt)), then
-- turns its patients(id, ..., dx text[]) into
--   members(patient_id uuid, dob, sex, orec, dual_status, institutional, new_enrollee)
--   claims_dx(patient_id uuid, icd10_code text, service_date date, [claim_type text,
--             bill_type text, procedure_codes text[],] encounter_id text, provider_npi text)
-- one diagnosis row per element of dx (5.27 per patient on average), patient_id = md5(id)::uuid.
-- Service dates: spread over 2025; 3 % in Oct-Dec 2024 and 2 % in Jan-Mar 2026 (outside the
-- data-collection year of payment year 2026). Claim mix per row (share of all rows):
--   70.0 %  professional, E/M visit {99213} / {99214} / {99214,36415}     eligible
--    3.5 %  professional, lab only {80053} / {85025,36415}                 not eligible
--    3.0 %  professional, DME {E0601}                                       not eligible
--    6.0 %  institutional, bill type 111 (inpatient), no CPT                 eligible
--    4.5 %  institutional, bill type 131 (outpatient) with {99213}           eligible
--    1.5 %  institutional, bill type 131 with lab only {80053}               not eligible
--    4.0 %  institutional, bill type 211 (SNF inpatient)                     not eligible
--    2.0 %  institutional, bill type 721 (dialysis facility)                 not eligible
--    5.5 %  professional, new-patient visit {99203}                          eligible
-- i.e. 14 % of the rows are not risk-adjustment eligible.
\ir gen_population.sql
SET client_min_messages = warning;
DROP TABLE IF EXISTS members, claims_dx CASCADE;

CREATE TABLE members AS
SELECT md5(p.id::text)::uuid AS patient_id, p.dob, p.sex, p.orec, p.dual_status, p.institutional, p.new_enrollee
FROM patients p
ORDER BY p.id;

CREATE TABLE claims_dx AS
WITH r AS (
    SELECT p.id, x.k, x.code,
           bench_u(p.id::bigint * 32 + x.k, 20) AS u_claim,
           bench_u(p.id::bigint * 32 + x.k, 21) AS u_date,
           bench_u(p.id::bigint * 32 + x.k, 22) AS u_out,
           bench_u(p.id::bigint * 32 + x.k, 23) AS u_npi
    FROM patients p
    CROSS JOIN LATERAL unnest(p.dx) WITH ORDINALITY AS x(code, k)
),
c AS (
    SELECT r.*,
           CASE WHEN r.u_claim < 0.700 THEN 'prof_em'
                WHEN r.u_claim < 0.735 THEN 'prof_lab'
                WHEN r.u_claim < 0.765 THEN 'prof_dme'
                WHEN r.u_claim < 0.825 THEN 'inst_111'
                WHEN r.u_claim < 0.870 THEN 'inst_131'
                WHEN r.u_claim < 0.885 THEN 'inst_131_lab'
                WHEN r.u_claim < 0.925 THEN 'inst_211'
                WHEN r.u_claim < 0.945 THEN 'inst_721'
                ELSE 'prof_new' END AS kind
    FROM r
)
SELECT md5(c.id::text)::uuid AS patient_id,
       c.code AS icd10_code,
       CASE WHEN c.u_out < 0.03 THEN date '2024-10-01' + floor(c.u_date * 92)::int
            WHEN c.u_out < 0.05 THEN date '2026-01-01' + floor(c.u_date * 90)::int
            ELSE date '2025-01-01' + floor(c.u_date * 365)::int END AS service_date,
       CASE WHEN c.kind LIKE 'prof%' THEN 'professional' ELSE 'institutional' END AS claim_type,
       CASE c.kind WHEN 'inst_111' THEN '111' WHEN 'inst_131' THEN '131' WHEN 'inst_131_lab' THEN '131'
                   WHEN 'inst_211' THEN '211' WHEN 'inst_721' THEN '721' END AS bill_type,
       CASE c.kind
            WHEN 'prof_em' THEN CASE WHEN c.u_claim < 0.40 THEN ARRAY['99213']
                                     WHEN c.u_claim < 0.65 THEN ARRAY['99214'] ELSE ARRAY['99214', '36415'] END
            WHEN 'prof_lab' THEN CASE WHEN c.u_claim < 0.72 THEN ARRAY['80053'] ELSE ARRAY['85025', '36415'] END
            WHEN 'prof_dme' THEN ARRAY['E0601']
            WHEN 'inst_131' THEN ARRAY['99213']
            WHEN 'inst_131_lab' THEN ARRAY['80053']
            WHEN 'prof_new' THEN ARRAY['99203']
       END AS procedure_codes,
       'ENC' || c.id || '-' || c.k AS encounter_id,
       (1000000000 + floor(c.u_npi * 899999999)::bigint)::text AS provider_npi
FROM c
ORDER BY c.id, c.k;

-- CLAIMS = 0: the same rows without the three claim columns (every row then counts as eligible)
SELECT (:CLAIMS = 0) AS no_claims \gset
\if :no_claims
ALTER TABLE claims_dx RENAME TO claims_dx_full;
CREATE TABLE claims_dx AS
SELECT patient_id, icd10_code, service_date, encounter_id, provider_npi FROM claims_dx_full;
DROP TABLE claims_dx_full;
\endif
