{{ config(materialized='table') }}
-- The coding team's work list: hccraf.hcc_audit of every audited encounter on the member's row,
-- one row per code (confirmed, missed, unsupported, upgrade) with its exact value.
select e.encounter_id,
       e.patient_id,
       x.code,
       x.description,
       x.bucket,
       x.hcc,
       x.raf_delta,
       x.revenue_delta
from {{ ref('audit_encounters') }} e
join {{ source('claims', 'members') }} m on m.patient_id = e.patient_id
cross join lateral hccraf.hcc_audit(e.documented, e.coded, m,
                                    model => '{{ var("model") }}',
                                    payment_year => {{ var('payment_year') }},
                                    base_rate => {{ var('base_rate') if var('base_rate') is not none else 'null' }}::numeric) x
