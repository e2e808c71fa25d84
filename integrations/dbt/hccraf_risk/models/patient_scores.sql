{{ config(materialized='table') }}
-- The guide's patient_hcc_score, one row per member (its columns without id and calculated_at):
--   INSERT INTO hccraf.patient_hcc_score (patient_id, payment_year, ...) SELECT * FROM <this model>
-- computed as hccraf.score_population computes it: hccraf.patient_facts for the demographic
-- columns, hccraf.raf_score on the member row and its eligible codes of the data-collection year.
select m.patient_id,
       {{ var('payment_year') }} as payment_year,
       {{ var('payment_year') }} - 1 as data_collection_year,
       f.age,
       f.sex::char(1) as gender,
       f.dual_status <> 'non' as medicaid_status,
       f.age < 65 and f.orec is distinct from '0' as disabled_status,
       f.institutional as institutional_status,
       r.demographic_score::numeric(8, 3) as demographic_score,
       r.hccs as hcc_list,
       r.disease_score::numeric(8, 3) as disease_score,
       r.interaction_score::numeric(8, 3) as interaction_score,
       r.raw_score::numeric(8, 3) as raf_score,
       r.model as model_version,
       r.segment,
       r.normalized_score::numeric(8, 3) as normalized_score,
       r.payment_score::numeric(8, 3) as payment_score
from {{ source('claims', 'members') }} m
join {{ ref('member_diagnosis_codes') }} c on c.patient_id = m.patient_id
cross join lateral hccraf.patient_facts(m, {{ var('payment_year') }}) f
cross join lateral hccraf.raf_score(m, c.current_codes, '{{ var("model") }}', {{ var('payment_year') }}) r
