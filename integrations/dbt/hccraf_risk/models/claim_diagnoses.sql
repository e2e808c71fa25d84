{{ config(materialized='table') }}
-- Every diagnosis row of the data-collection year (payment_year - 1) and of the year before it,
-- with CMS's encounter-data filter applied to its claim: eligible and the reason, for a coder.
-- Rows of other years are not read: hccraf.ra_eligibility raises an error for a service year
-- without a CPT/HCPCS list, and the filter on service_date is applied before it is called.
select d.patient_id,
       d.encounter_id,
       d.icd10_code,
       d.service_date,
       extract(year from d.service_date)::int as service_year,
       d.claim_type,
       d.bill_type,
       d.procedure_codes,
       e.eligible,
       e.reason as eligibility_reason
from {{ source('claims', 'claims_dx') }} d
cross join lateral hccraf.ra_eligibility(d.claim_type, d.bill_type, d.procedure_codes, d.service_date) e
where d.service_date >= make_date({{ var('payment_year') }} - 2, 1, 1)
  and d.service_date < make_date({{ var('payment_year') }}, 1, 1)
