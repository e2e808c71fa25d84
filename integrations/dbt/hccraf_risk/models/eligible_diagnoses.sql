{{ config(materialized='view') }}
-- The risk-adjustment-eligible diagnosis rows of the data-collection year (payment_year - 1)
-- and of the year before it (last year, for the recapture work list).
select patient_id,
       encounter_id,
       icd10_code,
       service_date,
       service_year,
       claim_type,
       bill_type
from {{ ref('claim_diagnoses') }}
where eligible
