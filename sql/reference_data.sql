-- Row counts per release, checked against the figures of ../shared/cms/PROVENANCE.md
-- (check 1: 115 V28 / 86 V24 payment HCCs; check 2: mapped codes and two-CC codes; check 4:
-- V28 149 edges / 60 parents, V24 72 / 37; the factor counts of the C28 (1,237) and C24 (1,039)
-- sets; the edits of ra_dx_edits.csv, index-41133ca: V28 107 mandatory + 303 MCE, V24 19).
SELECT model_version, payment_year, status, normalization_factor, ma_coding_adjustment,
       blend_weight, payment_hccs, mapped_codes, hierarchy_rules, factors
FROM hccraf.models;

SELECT model_version, effective_year AS payment_year, sum(n) AS crosswalk_rows,
       count(*) AS codes, count(*) FILTER (WHERE n = 2) AS codes_with_two_hccs,
       count(*) FILTER (WHERE n > 2) AS codes_with_more
FROM (SELECT model_version, effective_year, icd10_code, count(*) AS n
      FROM hccraf.hcc_crosswalk GROUP BY 1, 2, 3) per_code
GROUP BY 1, 2 ORDER BY 1, 2;

SELECT model_version, payment_year, count(DISTINCT superior_hcc) AS parents, count(*) AS edges,
       max(rule_order) AS last_rule
FROM hccraf.hcc_hierarchy GROUP BY 1, 2 ORDER BY 1, 2;

SELECT model_version, payment_year, edit_kind, count(*)
FROM hccraf.hcc_edit GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- Factors per segment (V28: CNA/CFA/CPA 146, CND/CFD/CPD 141, INS 160, NE/SNPNE 108; HHS_V08
-- BY2025, DIY table 9: 211 adult, 166 child, 27 infant variables at each metal).
SELECT model_version, segment, count(*)
FROM hccraf.hcc_factor WHERE payment_year = 2025
GROUP BY 1, 2 ORDER BY 1, array_position(ARRAY['CNA','CND','CFA','CFD','CPA','CPD','INS','NE','SNPNE',
    'Adult_Platinum','Adult_Gold','Adult_Silver','Adult_Bronze','Adult_Catastrophic',
    'Child_Platinum','Child_Gold','Child_Silver','Child_Bronze','Child_Catastrophic',
    'Infant_Platinum','Infant_Gold','Infant_Silver','Infant_Bronze','Infant_Catastrophic'], segment);

-- Spot values from PROVENANCE §3 and §5.
SELECT segment, variable, coefficient
FROM hccraf.hcc_factor
WHERE model_version = 'V28' AND payment_year = 2026
  AND (segment, variable) IN (('CNA','HCC37'), ('CNA','HCC226'), ('CNA','HCC327'), ('CNA','HCC328'),
                              ('CNA','F70_74'), ('INS','LTIMCAID'), ('NE','NMCAID_NORIGDIS_NEF70_74'),
                              ('SNPNE','NMCAID_NORIGDIS_NEF70_74'), ('CNA','D10P'), ('INS','D10P'),
                              ('CNA','DIABETES_HF_V28'), ('INS','HF_KIDNEY_V28'))
ORDER BY 1, 2;

-- Hierarchy rules in CMS file order (v28_rules.md §11): 62 before 63, so 62+63+202 keeps 202.
SELECT rule_order, superior_hcc, array_agg(subordinate_hcc ORDER BY substr(subordinate_hcc, 4)::int)
FROM hccraf.hcc_hierarchy
WHERE model_version = 'V28' AND payment_year = 2026 AND rule_order BETWEEN 10 AND 12
GROUP BY 1, 2 ORDER BY 1;

-- Interaction groups (v28_rules.md §12).
SELECT interaction_name, hcc_combinations, coefficient
FROM hccraf.hcc_interaction WHERE model_version = 'V28' AND payment_year = 2026
ORDER BY 1;
SELECT term, array_agg(hcc_code ORDER BY substr(hcc_code, 4)::int)
FROM hccraf.hcc_interaction_member
WHERE model_version = 'V28' AND payment_year = 2026 AND interaction_name IN ('DIABETES_HF_V28', 'DISABLED_NEURO_V28')
GROUP BY 1 ORDER BY 1;

-- ICD-10-CM code sets (icd10cm/PROVENANCE.md: FY2025 97,584 entries / 74,260 billable,
-- FY2026 98,186 / 74,719, FY2027 derived 98,403 / 74,879).
SELECT s.fiscal_year, s.status, s.effective_from, s.effective_to, count(*) AS entries,
       count(*) FILTER (WHERE c.billable) AS billable
FROM hccraf.icd10cm_code_set s JOIN hccraf.icd10cm_code c USING (fiscal_year)
GROUP BY 1, 2, 3, 4 ORDER BY 1;

-- Labels and descriptions (CMS spelling keeps the apostrophe).
SELECT * FROM hccraf.model_labels('V28', 2026) WHERE hcc_code IN ('HCC38', 'HCC51', 'HCC226');
SELECT count(*) FROM hccraf.model_labels('V24', 2025);
SELECT hccraf.icd10cm_description('e11.9'), hccraf.icd10cm_description('I50.22');
SELECT * FROM hccraf.model_factors('V28', 2026) WHERE variable IN ('HCC38', 'M65_69') ORDER BY 1, 2 LIMIT 4;

-- The guide's columns are all there.
SELECT table_name, string_agg(column_name, ', ' ORDER BY ordinal_position)
FROM information_schema.columns
WHERE table_schema = 'hccraf' AND table_name IN ('hcc_crosswalk', 'hcc_hierarchy', 'hcc_interaction',
                                                 'patient_hcc_score', 'patient_diagnosis_hcc')
GROUP BY 1 ORDER BY 1;

-- The guide's example 1 (crosswalk join) still reads naturally.
SELECT icd10_code, hcc_code, hcc_description, coefficient
FROM hccraf.hcc_crosswalk
WHERE model_version = 'V28' AND effective_year = 2026 AND icd10_code IN ('E119', 'I5022', 'N1830')
ORDER BY 1;
