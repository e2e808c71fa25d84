-- Every member has exactly one score, and it is the one hccraf.raf_score gives for the member row
-- and its eligible diagnoses of the data-collection year, recomputed here from the source claims
-- with hccraf.ra_eligible (not from the models upstream of patient_scores). Returns the rows that
-- disagree; dbt fails the test when there is one.
with expected as (
    select m.patient_id,
           hccraf.raf_score(m,
               array(select d.icd10_code
                     from {{ source('claims', 'claims_dx') }} d
                     where d.patient_id = m.patient_id
                       and d.service_date >= make_date({{ var('payment_year') }} - 1, 1, 1)
                       and d.service_date < make_date({{ var('payment_year') }}, 1, 1)
                       and hccraf.ra_eligible(d.claim_type, d.bill_type, d.procedure_codes, d.service_date)),
               '{{ var("model") }}', {{ var('payment_year') }}) as r
    from {{ source('claims', 'members') }} m
)
select e.patient_id,
       (e.r).raw_score as expected_raf_score, s.raf_score,
       (e.r).payment_score as expected_payment_score, s.payment_score,
       (e.r).hccs as expected_hccs, s.hcc_list
from expected e
full join {{ ref('patient_scores') }} s on s.patient_id = e.patient_id
where s.patient_id is null
   or e.patient_id is null
   or s.raf_score is distinct from (e.r).raw_score
   or s.normalized_score is distinct from (e.r).normalized_score
   or s.payment_score is distinct from (e.r).payment_score
   or s.demographic_score is distinct from (e.r).demographic_score
   or s.disease_score is distinct from (e.r).disease_score
   or s.interaction_score is distinct from (e.r).interaction_score
   or s.segment is distinct from (e.r).segment
   or s.hcc_list is distinct from (e.r).hccs
