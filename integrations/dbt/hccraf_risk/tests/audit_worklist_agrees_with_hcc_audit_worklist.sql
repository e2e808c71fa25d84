-- audit_worklist (hccraf.hcc_audit per encounter) is row for row what
-- hccraf.hcc_audit_worklist gives for the chart_audit table and the member table.
with reference as (
    select encounter_id, patient_id, code, bucket, hcc, raf_delta
    from hccraf.hcc_audit_worklist('{{ source("claims", "chart_audit") }}'::regclass,
                                   '{{ source("claims", "members") }}'::regclass,
                                   model => '{{ var("model") }}', payment_year => {{ var('payment_year') }})
),
model_rows as (
    select encounter_id::text, patient_id::text, code, bucket, hcc, raf_delta
    from {{ ref('audit_worklist') }}
)
(select 'only in audit_worklist' as side, * from (select * from model_rows except all select * from reference) a)
union all
(select 'only in hcc_audit_worklist', * from (select * from reference except all select * from model_rows) b)
