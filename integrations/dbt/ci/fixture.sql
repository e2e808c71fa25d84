-- The CI fixture of integrations/dbt: schema claims with 11 members, their claims of 2023-2026
-- (eligible and ineligible ones) and chart audit rows. Run in a database where
-- CREATE EXTENSION hccraf has been done. Idempotent (drops and recreates schema claims).
DROP SCHEMA IF EXISTS claims CASCADE;
CREATE SCHEMA claims;

CREATE TABLE claims.members (
    patient_id    uuid PRIMARY KEY,
    dob           date NOT NULL,
    sex           text NOT NULL,
    orec          text,
    dual_status   text,
    institutional boolean,
    new_enrollee  boolean
);
INSERT INTO claims.members VALUES
  ('00000000-0000-0000-0000-00000000000a', '1957-06-15', 'M', '0', 'non',     false, false), -- golden H01's codes
  ('00000000-0000-0000-0000-00000000000b', '1980-08-20', 'F', '1', 'full',    false, false), -- disabled, full dual
  ('00000000-0000-0000-0000-00000000000c', '1953-10-05', 'F', '0', 'non',     false, false), -- hierarchy 62/63
  ('00000000-0000-0000-0000-00000000000d', '1965-03-15', 'M', '1', 'full',    true,  false), -- institutional
  ('00000000-0000-0000-0000-00000000000e', '1948-12-01', 'F', '0', 'non',     false, false), -- no claims at all
  ('00000000-0000-0000-0000-00000000000f', '1950-03-10', 'F', '0', 'partial', false, false), -- only ineligible claims in 2025
  ('00000000-0000-0000-0000-000000000010', '1960-07-04', 'M', '0', 'non',     false, true),  -- new enrollee
  ('00000000-0000-0000-0000-000000000011', '1945-02-28', 'M', '0', 'partial', false, false), -- last year's depression only
  ('00000000-0000-0000-0000-000000000012', '1955-11-11', 'F', '0', 'non',     false, false), -- outpatient claims
  ('00000000-0000-0000-0000-000000000013', '1949-05-05', 'M', '0', 'non',     false, false), -- claims outside the two years
  ('00000000-0000-0000-0000-00000000002a', '1951-09-14', 'F', '0', 'non',     false, false); -- README's patient 42

CREATE TABLE claims.claims_dx (
    patient_id      uuid NOT NULL,
    encounter_id    text,
    icd10_code      text NOT NULL,
    service_date    date NOT NULL,
    claim_type      text NOT NULL,
    bill_type       text,
    procedure_codes text[]
);
INSERT INTO claims.claims_dx VALUES
  -- a: 2025 office visits (eligible), a 2025 lab claim (not eligible), 2024 visits incl. COPD
  ('00000000-0000-0000-0000-00000000000a', 'a-2025-1', 'E11.9',   '2025-04-02', 'professional', NULL, '{99213}'),
  ('00000000-0000-0000-0000-00000000000a', 'a-2025-1', 'I50.22',  '2025-04-02', 'professional', NULL, '{99213}'),
  ('00000000-0000-0000-0000-00000000000a', 'a-2025-2', 'N18.30',  '2025-06-10', 'institutional', '0111', NULL),
  ('00000000-0000-0000-0000-00000000000a', 'a-2025-3', 'J44.9',   '2025-07-01', 'professional', NULL, '{80053}'),
  ('00000000-0000-0000-0000-00000000000a', 'a-2024-1', 'E11.9',   '2024-03-05', 'professional', NULL, '{99214}'),
  ('00000000-0000-0000-0000-00000000000a', 'a-2024-1', 'I50.22',  '2024-03-05', 'professional', NULL, '{99214}'),
  ('00000000-0000-0000-0000-00000000000a', 'a-2024-1', 'J44.9',   '2024-03-05', 'professional', NULL, '{99214}'),
  -- b: cancer, D66, a code dropped by the MCE pediatric edit, a malformed code
  ('00000000-0000-0000-0000-00000000000b', 'b-2025-1', 'C50.911', '2025-02-11', 'professional', NULL, '{99214}'),
  ('00000000-0000-0000-0000-00000000000b', 'b-2025-1', 'D66',     '2025-02-11', 'professional', NULL, '{99214}'),
  ('00000000-0000-0000-0000-00000000000b', 'b-2025-1', 'C93.30',  '2025-02-11', 'professional', NULL, '{99214}'),
  ('00000000-0000-0000-0000-00000000000b', 'b-2025-1', 'E11.9!',  '2025-02-11', 'professional', NULL, '{99214}'),
  ('00000000-0000-0000-0000-00000000000b', 'b-2024-1', 'F20.9',   '2024-10-01', 'professional', NULL, '{99213}'),
  -- c: Z94.4 and K72.11 (HCC62 drops HCC63)
  ('00000000-0000-0000-0000-00000000000c', 'c-2025-1', 'Z94.4',   '2025-05-05', 'professional', NULL, '{99215}'),
  ('00000000-0000-0000-0000-00000000000c', 'c-2025-1', 'K72.11',  '2025-05-05', 'professional', NULL, '{99215}'),
  -- d: a hospital stay (inpatient bill type, no procedure filter) and a SNF claim (never eligible)
  ('00000000-0000-0000-0000-00000000000d', 'd-2025-1', 'I50.9',   '2025-01-20', 'institutional', '111', NULL),
  ('00000000-0000-0000-0000-00000000000d', 'd-2025-1', 'J44.9',   '2025-01-20', 'institutional', '111', NULL),
  ('00000000-0000-0000-0000-00000000000d', 'd-2025-2', 'G35',     '2025-02-15', 'institutional', '0211', '{99213}'),
  ('00000000-0000-0000-0000-00000000000d', 'd-2024-1', 'G35',     '2024-02-15', 'professional', NULL, '{99213}'),
  -- f: 2025 only from a lab and a hospice claim; 2024 eligible: two gaps
  ('00000000-0000-0000-0000-00000000000f', 'f-2025-1', 'I48.91',  '2025-03-03', 'professional', NULL, '{80053,85025}'),
  ('00000000-0000-0000-0000-00000000000f', 'f-2025-2', 'E11.9',   '2025-08-08', 'institutional', '0812', NULL),
  ('00000000-0000-0000-0000-00000000000f', 'f-2024-1', 'I48.91',  '2024-03-03', 'professional', NULL, '{99213}'),
  ('00000000-0000-0000-0000-00000000000f', 'f-2024-1', 'E11.9',   '2024-03-03', 'professional', NULL, '{99213}'),
  -- new enrollee: diagnoses do not change an NE score
  ('00000000-0000-0000-0000-000000000010', 'n-2025-1', 'E11.9',   '2025-09-09', 'professional', NULL, '{99203}'),
  -- depression coded in 2024 only
  ('00000000-0000-0000-0000-000000000011', 'h-2024-1', 'F33.1',   '2024-06-06', 'professional', NULL, '{99213}'),
  -- outpatient: 0131 with an E/M code (eligible), 0131 with lab codes only (not), 0721 dialysis facility (never)
  ('00000000-0000-0000-0000-000000000012', 'i-2025-1', 'I48.91',  '2025-04-04', 'institutional', '0131', '{99213,80053}'),
  ('00000000-0000-0000-0000-000000000012', 'i-2025-2', 'N18.6',   '2025-04-05', 'institutional', '0131', '{80053,85025}'),
  ('00000000-0000-0000-0000-000000000012', 'i-2025-3', 'N18.6',   '2025-04-06', 'institutional', '0721', '{90999}'),
  -- claims of 2023 and 2026: outside the two years read (2026 has no CPT/HCPCS list: reading it would fail)
  ('00000000-0000-0000-0000-000000000013', 'j-2023-1', 'E11.9',   '2023-05-05', 'professional', NULL, '{99213}'),
  ('00000000-0000-0000-0000-000000000013', 'j-2026-1', 'I50.22',  '2026-01-15', 'professional', NULL, '{99213}'),
  -- README's patient 42: last year's claims and this year's chart
  ('00000000-0000-0000-0000-00000000002a', '42-2024-1', 'E11.22', '2024-02-06', 'professional', NULL, '{99214}'),
  ('00000000-0000-0000-0000-00000000002a', '42-2024-1', 'N18.4',  '2024-02-06', 'professional', NULL, '{99214}'),
  ('00000000-0000-0000-0000-00000000002a', '42-2024-1', 'I12.9',  '2024-02-06', 'professional', NULL, '{99214}'),
  ('00000000-0000-0000-0000-00000000002a', '42-2024-2', 'I50.22', '2024-05-21', 'professional', NULL, '{99214}'),
  ('00000000-0000-0000-0000-00000000002a', '42-2024-2', 'J44.9',  '2024-05-21', 'professional', NULL, '{99214}'),
  ('00000000-0000-0000-0000-00000000002a', '42-2024-3', 'F33.1',  '2024-09-30', 'professional', NULL, '{99213}'),
  ('00000000-0000-0000-0000-00000000002a', '42-2025-1', 'E11.9',  '2025-03-11', 'professional', NULL, '{99214}'),
  ('00000000-0000-0000-0000-00000000002a', '42-2025-1', 'N18.30', '2025-03-11', 'professional', NULL, '{99214}'),
  ('00000000-0000-0000-0000-00000000002a', '42-2025-1', 'I10',    '2025-03-11', 'professional', NULL, '{99214}'),
  ('00000000-0000-0000-0000-00000000002a', '42-2025-1', 'I50.22', '2025-03-11', 'professional', NULL, '{99214}');

CREATE TABLE claims.chart_audit (
    encounter_id text NOT NULL,
    patient_id   uuid NOT NULL,
    code         text NOT NULL,
    source       text NOT NULL
);
INSERT INTO claims.chart_audit VALUES
  -- README's man of 68: the note documents N18.30, E11.9, I50.22; only E11.9 is on the claim
  ('a-2025-1', '00000000-0000-0000-0000-00000000000a', 'N18.30', 'documented'),
  ('a-2025-1', '00000000-0000-0000-0000-00000000000a', 'E11.9',  'documented'),
  ('a-2025-1', '00000000-0000-0000-0000-00000000000a', 'I50.22', 'documented'),
  ('a-2025-1', '00000000-0000-0000-0000-00000000000a', 'E119',   'coded'),
  -- a missed code above a coded one of the same hierarchy, and a coded code the chart does not support
  ('c-2025-1', '00000000-0000-0000-0000-00000000000c', 'I50.22', 'documented'),
  ('c-2025-1', '00000000-0000-0000-0000-00000000000c', 'I50.84', 'documented'),
  ('c-2025-1', '00000000-0000-0000-0000-00000000000c', 'I50.22', 'coded'),
  ('c-2025-1', '00000000-0000-0000-0000-00000000000c', 'F32.9',  'coded'),
  -- everything documented is coded
  ('42-2025-1', '00000000-0000-0000-0000-00000000002a', 'E11.9',  'documented'),
  ('42-2025-1', '00000000-0000-0000-0000-00000000002a', 'I50.22', 'documented'),
  ('42-2025-1', '00000000-0000-0000-0000-00000000002a', 'E11.9',  'coded'),
  ('42-2025-1', '00000000-0000-0000-0000-00000000002a', 'I50.22', 'coded');
