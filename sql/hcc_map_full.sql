-- hcc_map agrees with the canonical crosswalk for EVERY code of V28 PY2026 and V24 PY2025
-- (the tables were loaded from data/, written by tools/import_cms.py from the tuva payment-year
-- mapping; the function answers from the compiled image, a different path).
SELECT model_version, effective_year, count(*) AS codes,
       count(*) FILTER (WHERE hccraf.hcc_map(icd10_code, model_version, effective_year) IS DISTINCT FROM expected) AS mismatches
FROM (SELECT model_version, effective_year, icd10_code,
             array_agg(hcc_code::text ORDER BY substr(hcc_code, 4)::int) AS expected
      FROM hccraf.hcc_crosswalk
      WHERE (model_version, effective_year) IN (('V28', 2026), ('V24', 2025))
      GROUP BY 1, 2, 3) c
GROUP BY 1, 2 ORDER BY 1, 2;
-- Dotted spelling gives the same answers.
SELECT count(*) AS mismatches_dotted
FROM (SELECT icd10_code, array_agg(hcc_code::text ORDER BY substr(hcc_code, 4)::int) AS expected
      FROM hccraf.hcc_crosswalk WHERE model_version = 'V28' AND effective_year = 2026 GROUP BY 1) c
WHERE hccraf.hcc_map(CASE WHEN length(icd10_code) > 3
                          THEN substr(icd10_code, 1, 3) || '.' || substr(icd10_code, 4)
                          ELSE icd10_code END) IS DISTINCT FROM expected;
-- Billable FY2026 codes that are not in the crosswalk map to {} (valid, no HCC), never NULL.
SELECT count(*) AS billable_codes_without_hcc,
       count(*) FILTER (WHERE hccraf.hcc_map(code) IS DISTINCT FROM '{}') AS wrong
FROM hccraf.icd10cm_code c
WHERE fiscal_year = 2026 AND billable
  AND NOT EXISTS (SELECT 1 FROM hccraf.hcc_crosswalk x
                  WHERE x.model_version = 'V28' AND x.effective_year = 2026 AND x.icd10_code = c.code);
