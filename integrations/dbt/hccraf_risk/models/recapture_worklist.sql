{{ config(materialized='table') }}
-- The recapture work list: every HCC coded last year (payment_year - 2) and not yet this year
-- (the data-collection year), valued exactly by hccraf.hcc_gaps on the member's row
-- (status gap or downgraded), highest value first.
select row_number() over (order by g.raf_delta desc, c.patient_id, g.hcc) as priority,
       c.patient_id,
       g.hcc,
       g.label,
       g.status,
       g.prior_codes,
       g.current_codes,
       g.related_hccs,
       g.raf_delta,
       g.revenue_delta,
       g.segment,
       g.detail
from {{ ref('member_diagnosis_codes') }} c
join {{ source('claims', 'members') }} m on m.patient_id = c.patient_id
cross join lateral hccraf.hcc_gaps(c.prior_codes, c.current_codes, m,
                                   model => '{{ var("model") }}',
                                   payment_year => {{ var('payment_year') }},
                                   base_rate => {{ var('base_rate') if var('base_rate') is not none else 'null' }}::numeric) g
where g.status in ('gap', 'downgraded')
