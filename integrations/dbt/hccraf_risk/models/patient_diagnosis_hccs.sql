{{ config(materialized='table') }}
-- One row per eligible code of the data-collection year and HCC it sets for the member
-- (hccraf.diagnosis_hccs): included in the score, or superseded by a hierarchy; a code without
-- a payment HCC has hcc_code NULL.
select c.patient_id,
       {{ var('payment_year') }} as payment_year,
       o.icd10_code,
       o.hcc_code,
       o.hcc_description,
       o.coefficient,
       o.included_in_raf,
       o.superseded_by_hcc,
       '{{ var("model") }}'::text as model_version
from {{ ref('member_diagnosis_codes') }} c
join {{ source('claims', 'members') }} m on m.patient_id = c.patient_id
cross join lateral hccraf.diagnosis_hccs(m, c.current_codes, '{{ var("model") }}', {{ var('payment_year') }}) o
