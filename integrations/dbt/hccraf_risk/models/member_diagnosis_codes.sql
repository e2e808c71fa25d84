{{ config(materialized='view') }}
-- One row per member (members without any diagnosis included, with empty arrays): this year's
-- eligible codes (the data-collection year) and last year's.
select m.patient_id,
       coalesce(array_agg(distinct e.icd10_code order by e.icd10_code)
                    filter (where e.service_year = {{ var('payment_year') }} - 1), '{}') as current_codes,
       coalesce(array_agg(distinct e.icd10_code order by e.icd10_code)
                    filter (where e.service_year = {{ var('payment_year') }} - 2), '{}') as prior_codes
from {{ source('claims', 'members') }} m
left join {{ ref('eligible_diagnoses') }} e on e.patient_id = m.patient_id
group by m.patient_id
