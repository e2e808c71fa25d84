{{ config(materialized='view') }}
-- One row per audited encounter: the codes its chart documents and the codes its claim carries.
select a.encounter_id,
       a.patient_id,
       coalesce(array_agg(a.code order by a.code) filter (where a.source = 'documented'), '{}') as documented,
       coalesce(array_agg(a.code order by a.code) filter (where a.source = 'coded'), '{}') as coded
from {{ source('claims', 'chart_audit') }} a
group by a.encounter_id, a.patient_id
