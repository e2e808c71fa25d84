-- recapture_worklist (hccraf.hcc_gaps per member) lists the same open gaps with the same values
-- as hccraf.suspect_list over the eligible diagnoses and the member table.
with suspects as (
    select patient_id, hcc, status, raf_delta
    from hccraf.suspect_list('{{ ref("eligible_diagnoses") }}'::regclass, {{ var('payment_year') }} - 1,
                             patients => '{{ source("claims", "members") }}'::regclass,
                             model => '{{ var("model") }}', payment_year => {{ var('payment_year') }})
),
worklist as (
    select patient_id::text as patient_id, hcc, status, raf_delta
    from {{ ref('recapture_worklist') }}
)
(select 'only in recapture_worklist' as side, * from (select * from worklist except select * from suspects) a)
union all
(select 'only in suspect_list', * from (select * from suspects except select * from worklist) b)
