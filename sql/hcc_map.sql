-- hcc_map: one code -> the payment HCCs of a release.
SELECT hccraf.hcc_map('E11.9') AS e11_9, hccraf.hcc_map('I50.22') AS i50_22,
       hccraf.hcc_map('E11.22') AS e11_22, hccraf.hcc_map('N18.4') AS n18_4,
       hccraf.hcc_map('N18.31') AS n18_31, hccraf.hcc_map('E11.65') AS e11_65;
-- Two CCs (PROVENANCE check 2: E11.52 -> 37 and 263).
SELECT hccraf.hcc_map('E11.52');
-- Normalisation: dots, case, surrounding blanks.
SELECT hccraf.hcc_map('e119'), hccraf.hcc_map('  E11.9 '), hccraf.hcc_map('i5022');
-- A valid ICD-10-CM code without an HCC.
SELECT hccraf.hcc_map('Z00.00') AS wellness, hccraf.hcc_map('I10') AS hypertension;
-- Well-formed but in no code set in force for PY2026 (FY2025, FY2026): NULL.
SELECT hccraf.hcc_map('E11') AS category_header, hccraf.hcc_map('Z99.999') AS invented;
-- Code new in FY2026 (G35 became a header; G35.A is the new billable code).
SELECT hccraf.hcc_map('G35.A') AS g35a_2026, hccraf.hcc_map('G35', 'V28', 2025) AS g35_2025;
-- Other models and years.
SELECT hccraf.hcc_map('E11.9', 'V24', 2025) AS v24, hccraf.hcc_map('E11.9', 'v28', 2024) AS v28_2024,
       hccraf.hcc_map('C50.A0', 'V28', 2027) AS c50a0_2027, hccraf.hcc_map('C50.A0', 'V28', 2025) AS c50a0_2025;
SELECT hccraf.hcc_map('E11.9', 'CMS-HCC', 2026) AS payment_model_2026;
SELECT hccraf.hcc_map(NULL);
-- Errors, each with a real SQLSTATE and a hint.
\set VERBOSITY default
SELECT hccraf.hcc_map('E1');
SELECT hccraf.hcc_map('11.9');
SELECT hccraf.hcc_map('E11.9', 'V99');
SELECT hccraf.hcc_map('E11.9', 'V28', 2019);
SELECT hccraf.hcc_map('E11.9', 'CMS-HCC', 2025);
\set VERBOSITY terse
DO $$ BEGIN PERFORM hccraf.hcc_map('E1'); EXCEPTION WHEN invalid_parameter_value THEN RAISE NOTICE 'SQLSTATE %', SQLSTATE; END $$;
-- hccraf.unknown_code_action turns "not in the code sets" into a warning or an error.
SET hccraf.unknown_code_action = 'warning';
SELECT hccraf.hcc_map('Z99.999');
SET hccraf.unknown_code_action = 'error';
SELECT hccraf.hcc_map('Z99.999');
SELECT hccraf.hcc_map('E11.9');
RESET hccraf.unknown_code_action;
