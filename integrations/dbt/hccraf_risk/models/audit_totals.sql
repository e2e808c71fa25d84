{{ config(materialized='table') }}
-- The totals of each audited encounter (hccraf.hcc_audit_summary): codes per bucket, the coded
-- score, what the missed codes are worth together and one by one, what the unsupported codes put
-- at risk.
select e.encounter_id,
       e.patient_id,
       s.codes_confirmed,
       s.codes_missed,
       s.codes_unsupported,
       s.codes_upgrade,
       s.coded_score,
       s.missed_raf,
       s.missed_raf_sum_of_singles,
       s.at_risk_raf,
       s.missed_revenue,
       s.at_risk_revenue,
       s.model_version,
       s.payment_year_used,
       s.score_kind
from {{ ref('audit_encounters') }} e
join {{ source('claims', 'members') }} m on m.patient_id = e.patient_id
cross join lateral hccraf.hcc_audit_summary(e.documented, e.coded, m,
                                            model => '{{ var("model") }}',
                                            payment_year => {{ var('payment_year') }},
                                            base_rate => {{ var('base_rate') if var('base_rate') is not none else 'null' }}::numeric) s
