-- Risk-adjustment eligibility of claims (CMS encounter data filtering; README "From claims to scores").
-- Every `expected` below is derived from the rule table, not from the function's output:
--   professional                       eligible iff a line carries a code of the service year's list
--   institutional 11X, 41X             eligible (inpatient, no procedure filter)
--   institutional 12X 13X 43X 71X 73X 76X 77X 85X   eligible iff a line carries a listed code
--   any other bill type                not eligible
-- and from the shipped lists (checked first: the codes used here are, or are not, on them).

-- The shipped lists: service years and sizes (data/README.md), and the bill types.
SELECT service_year, count(*) AS codes, bool_and(shipped) AS shipped
FROM hccraf.ra_eligible_code GROUP BY 1 ORDER BY 1;
SELECT bill_type_prefix, setting, claim_type, requires_procedure_filter
FROM hccraf.ra_eligible_bill_type ORDER BY 1;

-- Membership facts the cases rely on (E/M visits, AWV, facility clinic visit on the list; lab
-- panels, CBC, CPAP device, nurse visit 99211 not; G2012 deleted in 2025; 0950T added in 2025).
SELECT code, array_agg(service_year ORDER BY service_year) AS on_lists_of
FROM (VALUES ('99213'), ('99283'), ('G0438'), ('G0463'), ('80053'), ('85025'), ('E0601'),
             ('99211'), ('G2012'), ('0950T')) AS v(code)
LEFT JOIN hccraf.ra_eligible_code c USING (code)
GROUP BY code ORDER BY code;

-- outcome(): 't'/'f' and the reason, or the error's SQLSTATE, message and hint.
CREATE FUNCTION pg_temp.outcome(ct text, bt text, codes text[], d date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE st text; msg text; hint text;
BEGIN
    RETURN (SELECT CASE WHEN e.eligible THEN 't' ELSE 'f' END || ': ' || e.reason FROM hccraf.ra_eligibility(ct, bt, codes, d) e);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
    RETURN 'ERROR ' || st || ': ' || msg || ' / HINT: ' || hint;
END $$;

CREATE TEMP TABLE claim (n int, what text, claim_type text, bill_type text, codes text[],
                         service_date date, expected text);
INSERT INTO claim VALUES
 ( 1, 'office visit',                    'professional',  NULL,   '{99213}',          '2025-03-14', 't'),
 ( 2, 'office visit + lab on 2 lines',   'professional',  NULL,   '{80053,99214}',    '2025-03-14', 't'),
 ( 3, 'lab only (CMP + CBC)',            'professional',  NULL,   '{80053,85025}',    '2025-03-14', 'f'),
 ( 4, 'DME only (CPAP device)',          'professional',  NULL,   '{E0601}',          '2025-03-14', 'f'),
 ( 5, 'nurse visit 99211',               'professional',  NULL,   '{99211}',          '2025-03-14', 'f'),
 ( 6, 'professional, no codes',          'professional',  NULL,   NULL,               '2025-03-14', 'f'),
 ( 7, 'AWV, spelling normalized',        ' Professional ', NULL,  '{" g0438 ",NULL,""}', '2024-06-30', 't'),
 ( 8, 'inpatient stay 111, no codes',    'institutional', '111',  NULL,               '2025-02-10', 't'),
 ( 9, 'inpatient stay 0111',             'institutional', '0111', '{}',               '2025-02-10', 't'),
 (10, 'inpatient interim 112, lab code', 'institutional', '112',  '{80053}',          '2025-02-10', 't'),
 (11, 'religious inpatient 411',         'institutional', '411',  NULL,               '2025-02-10', 't'),
 (12, 'outpatient 131, clinic visit',    'institutional', '131',  '{G0463,80053}',    '2025-02-10', 't'),
 (13, 'outpatient 0131, ED visit',       'institutional', '0131', '{99283}',          '2023-12-31', 't'),
 (14, 'outpatient 131, lab only',        'institutional', '131',  '{80053,85025}',    '2025-02-10', 'f'),
 (15, 'outpatient 131, no codes',        'institutional', '131',  NULL,               '2025-02-10', 'f'),
 (16, 'Part B inpatient 121 + visit',    'institutional', '121',  '{99213}',          '2025-02-10', 't'),
 (17, 'CAH outpatient 851 + visit',      'institutional', '851',  '{99213}',          '2025-02-10', 't'),
 (18, 'RHC 711 + visit',                 'institutional', '711',  '{99213}',          '2025-02-10', 't'),
 (19, 'FQHC 771 + visit',                'institutional', '771',  '{99213}',          '2025-02-10', 't'),
 (20, 'CMHC 761 lab only',               'institutional', '761',  '{85025}',          '2025-02-10', 'f'),
 (21, 'SNF inpatient 211',               'institutional', '211',  '{99213}',          '2025-02-10', 'f'),
 (22, 'hospice 811',                     'institutional', '811',  '{99213}',          '2025-02-10', 'f'),
 (23, 'home health 321',                 'institutional', '321',  '{99213}',          '2025-02-10', 'f'),
 (24, 'ESRD facility 721',               'institutional', '721',  '{99213}',          '2025-02-10', 'f'),
 (25, 'G2012 in 2023 (on that list)',    'professional',  NULL,   '{G2012}',          '2023-05-01', 't'),
 (26, 'G2012 in 2025 (deleted)',         'professional',  NULL,   '{G2012}',          '2025-05-01', 'f'),
 (27, '0950T in 2025 (mid-2025 add)',    'professional',  NULL,   '{0950T}',          '2025-09-01', 't'),
 (28, 'year without a list (2026)',      'professional',  NULL,   '{99213}',          '2026-01-05', 'ERROR 22023'),
 (29, 'year without a list (2022)',      'institutional', '111',  NULL,               '2022-12-31', 'ERROR 22023'),
 (30, 'claim type dental',               'dental',        NULL,   '{99213}',          '2025-03-14', 'ERROR 22023'),
 (31, 'claim type NULL',                 NULL,            '131',  '{99213}',          '2025-03-14', 'ERROR 22023'),
 (32, 'service date NULL',               'professional',  NULL,   '{99213}',          NULL,         'ERROR 22023'),
 (33, 'service date infinity',           'professional',  NULL,   '{99213}',          'infinity',   'ERROR 22023'),
 (34, 'institutional, bill type NULL',   'institutional', NULL,   '{99213}',          '2025-03-14', 'ERROR 22023'),
 (35, 'institutional, bill type 13',     'institutional', '13',   '{99213}',          '2025-03-14', 'ERROR 22023'),
 (36, 'institutional, bill type 01311',  'institutional', '01311', '{99213}',         '2025-03-14', 'ERROR 22023'),
 (37, 'institutional, bill type 1311',   'institutional', '1311', '{99213}',          '2025-03-14', 'ERROR 22023'),
 (38, 'professional with a bill type',   'professional',  '131',  '{99213}',          '2025-03-14', 'ERROR 22023');

SELECT n, what, expected,
       outcome LIKE expected || ':%' AS ok,
       outcome
FROM (SELECT c.*, pg_temp.outcome(claim_type, bill_type, codes, service_date) AS outcome FROM claim c) s
ORDER BY n;

-- The boolean is defined through ra_eligibility: the two never disagree.
SELECT count(*) AS cases, count(*) FILTER (WHERE hccraf.ra_eligible(claim_type, bill_type, codes, service_date)
                                           IS DISTINCT FROM (expected = 't')) AS disagreements
FROM claim WHERE expected NOT LIKE 'ERROR%';

-- An error as a user sees it.
SELECT hccraf.ra_eligible('professional', NULL, ARRAY['99213'], '2026-01-05');
SELECT hccraf.ra_eligible('institutional', '11', NULL, '2025-01-05');

-- Users extend the tables: a bill type CMS's 2015 memo does not list (87X, opioid treatment
-- program) and a code for a year without a shipped list. User rows are not shipped.
BEGIN;
INSERT INTO hccraf.ra_eligible_bill_type (bill_type_prefix, setting, requires_procedure_filter, source)
VALUES ('87', 'outpatient', true, 'local policy');
INSERT INTO hccraf.ra_eligible_code (service_year, code) VALUES (2026, '99213');
SELECT * FROM hccraf.ra_eligibility('institutional', '871', ARRAY['99213'], '2026-02-01');
SELECT * FROM hccraf.ra_eligibility('institutional', '871', ARRAY['80053'], '2026-02-01');
SELECT count(*) FILTER (WHERE NOT shipped) AS user_rows FROM hccraf.ra_eligible_code;
ROLLBACK;

-- Bad rows are refused.
INSERT INTO hccraf.ra_eligible_code (service_year, code) VALUES (2026, '9921');
INSERT INTO hccraf.ra_eligible_bill_type (bill_type_prefix, setting, requires_procedure_filter)
VALUES ('8', 'outpatient', true);

-- Function attributes: STABLE, PARALLEL SAFE, search_path pinned.
SELECT p.proname, p.provolatile, p.proparallel, p.proconfig
FROM pg_proc p WHERE p.pronamespace = 'hccraf'::regnamespace
  AND p.proname IN ('ra_eligible', 'ra_eligibility') ORDER BY 1;
