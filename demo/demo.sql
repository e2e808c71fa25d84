-- hccraf demo (run by demo/run.sh on a throwaway cluster).
\pset null '-'
CREATE EXTENSION hccraf;

\echo '== The releases loaded at CREATE EXTENSION'
SELECT model_version, payment_year, status, normalization_factor, blend_weight, payment_hccs,
       mapped_codes, hierarchy_rules, factors
FROM hccraf.models;

\echo '== hcc_map: ICD-10-CM -> payment HCCs (V28, payment year 2026)'
SELECT code, hccraf.hcc_map(code) AS v28_2026, hccraf.hcc_map(code, 'V24', 2025) AS v24_2025,
       hccraf.icd10cm_description(code) AS description
FROM unnest(ARRAY['E11.9', 'E11.52', 'I50.22', 'N18.4', 'J44.9', 'F33.1', 'I10', 'E11']) AS code;

\echo '== raf_score on a table of members'
CREATE TABLE members (member_id int, dob date, sex text, orec text, dual_status text,
                      institutional boolean, dx text[]);
INSERT INTO members VALUES
  (1, '1957-06-15', 'M', '0', 'non',  false, '{E11.9,N18.30,I50.22}'),
  (2, '1980-08-20', 'F', '1', 'full', false, '{C50.911,D66,E11.9,C93.30}'),
  (3, '1953-10-05', 'F', '0', 'non',  false, '{Z94.4,K72.11,R40.20}'),
  (4, '1965-03-15', 'M', '1', 'full', true,  '{I50.9,J44.9,L89.154,C34.90,G35}');
SELECT m.member_id, r.segment, r.hccs, r.interactions, r.raw_score, r.normalized_score, r.payment_score
FROM members m, hccraf.raf_score(m, m.dx) r ORDER BY 1;

\echo '== raf_explain: why member 1 scores 1.123'
SELECT step, item, detail, coefficient
FROM members m, hccraf.raf_explain(m, m.dx) WHERE m.member_id = 1;

\echo '== Where the compiled images live'
SELECT model_version, payment_year, location, bytes, round(build_ms::numeric, 1) AS build_ms
FROM hccraf.images;
