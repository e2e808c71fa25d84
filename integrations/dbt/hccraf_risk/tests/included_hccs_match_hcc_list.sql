-- The HCCs patient_diagnosis_hccs marks included_in_raf are exactly each member's hcc_list.
with included as (
    select patient_id, array_agg(distinct hcc_code order by hcc_code) as hccs
    from {{ ref('patient_diagnosis_hccs') }}
    where included_in_raf
    group by patient_id
)
select s.patient_id, s.hcc_list, i.hccs as included_hccs
from {{ ref('patient_scores') }} s
left join included i on i.patient_id = s.patient_id
where coalesce(i.hccs, '{}') is distinct from
      (select coalesce(array_agg(h order by h), '{}') from unnest(s.hcc_list) h)
