-- HHS-HCC V08 (ACA), benefit years 2026 and 2025, through SQL: every reference enrollee of the two
-- golden files (test/fixtures, copied from ../shared/golden by tools/convert_golden.py) scored
-- with the fixture row itself as the enrollee row; model, variables, HCCs, RXCs, groups, HCC_CNT,
-- the five metal scores, raw, CSR factor, exact and rounded CSR-adjusted scores must match
-- exactly, and the hhs_explain coefficients must add up to raw_score on every row. Every count of
-- mismatches below must be 0. Then the spec's worked examples (hhs_hcc_v08_rules.md §11), the
-- enrollee-row rules and the errors.
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.sorted(a text[]) RETURNS text[] LANGUAGE sql IMMUTABLE AS
$$ SELECT coalesce(array_agg(upper(x) ORDER BY upper(x)), '{}') FROM unnest(a) x $$;
CREATE FUNCTION pg_temp.bar_list(s text) RETURNS text[] LANGUAGE sql IMMUTABLE AS
$$ SELECT pg_temp.sorted(coalesce(string_to_array(nullif(s, ''), '|'), '{}')) $$;

CREATE TEMP TABLE golden_hhs (patient_id text, benefit_year int, dob date, last_enrollment_date date,
    age_last int, sex text, metal text, csr_indicator int, enrollment_days int, dx text, ndc text,
    hcpcs text, model text, enrollment_months int, demographic_vars text, hccs_after_hierarchy text,
    rxcs text, groups text, hcc_cnt int, interactions text, score_platinum numeric, score_gold numeric,
    score_silver numeric, score_bronze numeric, score_catastrophic numeric, raw_score numeric,
    csr_factor numeric, csr_adjusted_score_exact numeric, csr_adjusted_score numeric, csr_tie int,
    note text);
\copy golden_hhs FROM 'test/fixtures/golden_hhs_hcc_2026.csv' WITH (FORMAT csv, HEADER true)
\copy golden_hhs FROM 'test/fixtures/golden_hhs_hcc_2025.csv' WITH (FORMAT csv, HEADER true)

CREATE TEMP TABLE scored_hhs AS
SELECT g.*, hccraf.hhs_score(g, string_to_array(g.dx, '|'), string_to_array(g.ndc, '|'),
                             string_to_array(g.hcpcs, '|'), g.benefit_year) AS r,
       (SELECT sum(e.coefficient) FROM hccraf.hhs_explain(g, string_to_array(g.dx, '|'), string_to_array(g.ndc, '|'),
                                                          string_to_array(g.hcpcs, '|'), g.benefit_year) e) AS explained
FROM golden_hhs g;
SELECT benefit_year, count(*) AS enrollees, sum(csr_tie) AS csr_ties,
       count(*) FILTER (WHERE (r).model_version <> 'HHS_V08' OR (r).benefit_year <> benefit_year) AS release,
       count(*) FILTER (WHERE (r).model <> lower(model)) AS model,
       count(*) FILTER (WHERE (r).enrollment_months <> enrollment_months) AS months,
       count(*) FILTER (WHERE pg_temp.sorted((r).demographic_vars) <> pg_temp.bar_list(demographic_vars)) AS demographic,
       count(*) FILTER (WHERE pg_temp.sorted((r).hccs) <> pg_temp.bar_list(hccs_after_hierarchy)) AS hccs,
       count(*) FILTER (WHERE pg_temp.sorted((r).rxcs) <> pg_temp.bar_list(rxcs)) AS rxcs,
       count(*) FILTER (WHERE pg_temp.sorted((r).groups) <> pg_temp.bar_list(groups)) AS groups,
       count(*) FILTER (WHERE (r).hcc_cnt IS DISTINCT FROM hcc_cnt) AS hcc_cnt,
       count(*) FILTER (WHERE pg_temp.sorted((r).other_vars) <> pg_temp.bar_list(interactions)) AS other_vars,
       count(*) FILTER (WHERE ((r).score_platinum, (r).score_gold, (r).score_silver, (r).score_bronze, (r).score_catastrophic)
                              IS DISTINCT FROM (score_platinum, score_gold, score_silver, score_bronze, score_catastrophic)) AS metal_scores,
       count(*) FILTER (WHERE (r).raw_score IS DISTINCT FROM raw_score) AS raw,
       count(*) FILTER (WHERE (r).csr_factor IS DISTINCT FROM csr_factor) AS csr_factor,
       count(*) FILTER (WHERE (r).csr_adjusted_score_exact IS DISTINCT FROM csr_adjusted_score_exact
                           OR (r).csr_adjusted_score_exact::text <> to_char(csr_adjusted_score_exact, 'FM99990.00000')) AS csr_exact,
       count(*) FILTER (WHERE (r).csr_adjusted_score::text <> to_char(csr_adjusted_score, 'FM99990.000')) AS csr_rounded,
       count(*) FILTER (WHERE explained IS DISTINCT FROM raw_score) AS explain_sum
FROM scored_hhs GROUP BY benefit_year ORDER BY benefit_year;
SELECT patient_id, benefit_year, raw_score, (r).raw_score, hccs_after_hierarchy, (r).hccs, interactions, (r).other_vars
FROM scored_hhs
WHERE (r).raw_score IS DISTINCT FROM raw_score OR (r).csr_adjusted_score IS DISTINCT FROM csr_adjusted_score
LIMIT 10;

-- Worked examples (§11), inputs and expected values from the spec's text.
-- §11.1 adult, silver, CSR 3, 100 days: 0.218 + 1.647 + 0.142 + 1.022 + 0.499 + 1.538 = 5.066;
-- x 1.12 = 5.67392 -> 5.674. BY2025: 5.258 x 1.12 = 5.88896 -> 5.889.
SELECT y AS benefit_year, (s).model, (s).enrollment_months, (s).demographic_vars, (s).hccs, (s).rxcs,
       (s).groups, (s).hcc_cnt, (s).other_vars, (s).raw_score, (s).csr_factor,
       (s).csr_adjusted_score_exact, (s).csr_adjusted_score
FROM (VALUES (2026), (2025)) v(y),
     LATERAL (SELECT hccraf.hhs_score(ROW(make_date(y - 55, 6, 10), make_date(y, 4, 10), 'M', 'silver', 3, 100, NULL)::hccraf.enrollee,
                                      ARRAY['E11.65', 'I50.22'], ARRAY['00002021301'], NULL, y) AS s) x;
-- §11.2 RXC hierarchy: RXC_06 zeroes RXC_07 and its interaction: 0.372 + 0.183 + 1.183 + 0.428 = 2.166.
SELECT (s).rxcs, (s).groups, (s).other_vars, (s).raw_score
FROM (SELECT hccraf.hhs_score(ROW('1985-03-03', '2026-12-31', 'F', 'gold', 1, 365, NULL)::hccraf.enrollee,
                              ARRAY['E11.9'], ARRAY['00002021301', '00002115201']) AS s) x;
-- §11.3 child transplant and severe, platinum: 0.153 + 12.113 + 25.623 + 1.475 + 51.368 - 9.240 + 13.213 = 94.705.
SELECT (s).model, (s).hccs, (s).hcc_cnt, (s).other_vars, (s).raw_score
FROM (SELECT hccraf.hhs_score(ROW('2017-11-20', '2026-09-30', 'F', 'platinum', 1, 273, NULL)::hccraf.enrollee,
                              ARRAY['Z94.4', 'N18.6', 'G40.909', 'E84.0']) AS s) x;
-- §11.4 infant, extremely immature, bronze CSR 4: 0.484 + 199.930 = 200.414; x 1.51 = 302.62514 -> 302.625.
SELECT (s).model, (s).hcc_cnt, (s).demographic_vars, (s).hccs, (s).other_vars, (s).raw_score,
       (s).csr_adjusted_score_exact, (s).csr_adjusted_score
FROM (SELECT hccraf.hhs_score(ROW('2026-02-14', '2026-12-31', 'M', 'bronze', 4, 321, NULL)::hccraf.enrollee,
                              ARRAY['P07.02', 'Q79.0', 'Z38.00', 'Q23.4']) AS s) x;
-- §11.5 age-0 male without a newborn HCC: AGE1_MALE 0.044 + AGE1_X_SEVERITY3 2.325 = 2.369.
SELECT (s).demographic_vars, (s).other_vars, (s).raw_score
FROM (SELECT hccraf.hhs_score(ROW('2026-03-01', '2026-12-31', 'M', 'silver', 1, 306, NULL)::hccraf.enrollee,
                              ARRAY['Q21.0']) AS s) x;
-- §11.6 RXC_09 triple interaction, gold CSR 8: 14.050 x 1.39 = 19.5295 exactly -> 19.530 (half up).
SELECT (s).other_vars, (s).raw_score, (s).csr_adjusted_score_exact, (s).csr_adjusted_score
FROM (SELECT hccraf.hhs_score(ROW('1993-04-04', '2026-12-31', 'F', 'gold', 8, 365, NULL)::hccraf.enrollee,
                              ARRAY['M05.79', 'K50.90'], ARRAY['00002144201']) AS s) x;
-- §11.7 BY2026 PrEP: adult 0.087 + 3.609 = 3.696; with an anti-HIV NDC RXC_01 instead of the ACF;
-- a child of 12 with a PrEP HCPCS code gets ACF_PrEP_Child, a child of 11 nothing, a child of 18
-- with B20 (HCC001) nothing; BY2025 has no ACF.
SELECT what, (s).rxcs, (s).other_vars, (s).raw_score
FROM (VALUES
  ('adult PrEP', hccraf.hhs_score(ROW('1999-04-04', '2026-12-31', 'M', 'silver', 1, 365, NULL)::hccraf.enrollee, NULL, ARRAY['00247210401'])),
  ('adult PrEP + anti-HIV', hccraf.hhs_score(ROW('1999-04-04', '2026-12-31', 'M', 'silver', 1, 365, NULL)::hccraf.enrollee, NULL, ARRAY['00247210401', '00003196401'])),
  ('child 12 PrEP HCPCS', hccraf.hhs_score(ROW('2014-04-04', '2026-12-31', 'F', 'gold', 1, 365, NULL)::hccraf.enrollee, NULL, NULL, ARRAY['J0738'])),
  ('child 11 PrEP HCPCS', hccraf.hhs_score(ROW('2015-04-04', '2026-12-31', 'F', 'gold', 1, 365, NULL)::hccraf.enrollee, NULL, NULL, ARRAY['j0738'])),
  ('child 18 B20 + PrEP', hccraf.hhs_score(ROW('2008-04-04', '2026-12-31', 'M', 'gold', 1, 365, NULL)::hccraf.enrollee, ARRAY['B20'], ARRAY['00247210401'])),
  ('adult PrEP, BY2025', hccraf.hhs_score(ROW('1998-04-04', '2025-12-31', 'M', 'silver', 1, 365, NULL)::hccraf.enrollee, NULL, ARRAY['00247210401'], NULL, 2025))
) v(what, s);
-- §11.8 enrollment duration, a 29 February birthday: 2004-02-29 -> 2026-02-28 is 21; 59 days = 2
-- months: 0.131 + 1.810 + 4.057 = 5.998. 185 days: no HCC_ED; no HCC: no HCC_ED.
SELECT what, (s).model, (s).enrollment_months, (s).other_vars, (s).raw_score
FROM (VALUES
  ('59 days, K50.90', hccraf.hhs_score(ROW('2004-02-29', '2026-02-28', 'F', 'silver', 1, 59, NULL)::hccraf.enrollee, ARRAY['K50.90'])),
  ('185 days, K50.90', hccraf.hhs_score(ROW('2004-02-29', '2026-12-31', 'F', 'silver', 1, 185, NULL)::hccraf.enrollee, ARRAY['K50.90'])),
  ('59 days, no HCC', hccraf.hhs_score(ROW('2004-02-29', '2026-02-28', 'F', 'silver', 1, 59, NULL)::hccraf.enrollee, ARRAY['I10']))
) v(what, s);

-- The explanation of §11.1: which code made which CC, the group, the interaction before grouping,
-- the variable rows (their coefficients sum to 5.066) and the CSR step.
SELECT step, item, detail, coefficient
FROM hccraf.hhs_explain(ROW('1971-06-10', '2026-04-10', 'M', 'silver', 3, 100, NULL)::hccraf.enrollee,
                        ARRAY['E11.65', 'I50.22', 'E11.65', 'XYZ', 'Z00.00'], ARRAY['00002021301', '99999999999']);
-- Conditions in the explanation: E10.52 at 40 (three CCs), O00.00 at 8 (maternity MCE edit).
SELECT step, item, detail
FROM hccraf.hhs_explain(ROW(NULL, NULL, 'F', 'silver', 1, 365, 40)::hccraf.enrollee, ARRAY['E10.52'])
WHERE step IN ('diagnosis', 'edit', 'hierarchy', 'group');
SELECT step, item, detail
FROM hccraf.hhs_explain(ROW(NULL, NULL, 'F', 'gold', 1, 365, 8)::hccraf.enrollee, ARRAY['O00.00'])
WHERE step IN ('diagnosis', 'edit');

-- The enrollee row: any row with the fields by name (age_last when the dates are absent), sex as
-- 1/2, metal in any case, csr_indicator and enrollment_days optional (1 and a full year).
SELECT (hccraf.hhs_score(e, ARRAY['E11.9'])).raw_score
FROM (SELECT 41 AS age_last, 2 AS sex, 'GOLD' AS metal) e;
SELECT (hccraf.hhs_score(e, ARRAY['E11.9'], benefit_year => 2026)).raw_score
FROM (SELECT DATE '1985-03-03' AS date_of_birth, DATE '2026-12-31' AS last_enrollment_date, 'F' AS gender,
             ' gold ' AS metal_level) e;
-- NULL enrollee or year: NULL; NULL diagnoses / drug arrays: none.
SELECT hccraf.hhs_score(NULL::hccraf.enrollee, ARRAY['E11.9']) IS NULL AS null_enrollee,
       (hccraf.hhs_score(ROW('1985-03-03', '2026-12-31', 'F', 'gold', 1, 365, NULL)::hccraf.enrollee, NULL, NULL, NULL)).raw_score;

-- Errors: a clear message, a real SQLSTATE, a hint.
\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT hccraf.hhs_score(ROW('1985-03-03', '2026-12-31', 'F', 'silver', 4, 365, NULL)::hccraf.enrollee, '{}');
SELECT hccraf.hhs_score(ROW('1985-03-03', '2026-12-31', 'F', 'catastrophic', 3, 365, NULL)::hccraf.enrollee, '{}');
SELECT hccraf.hhs_score(ROW('1985-03-03', '2026-12-31', 'F', 'silver', 12, 365, NULL)::hccraf.enrollee, '{}');
SELECT hccraf.hhs_score(ROW('1985-03-03', '2026-12-31', 'F', 'tin', 1, 365, NULL)::hccraf.enrollee, '{}');
SELECT hccraf.hhs_score(ROW('1985-03-03', '2026-12-31', 'X', 'gold', 1, 365, NULL)::hccraf.enrollee, '{}');
SELECT hccraf.hhs_score(ROW('1985-03-03', '2026-12-31', 'F', 'gold', 1, NULL, NULL)::hccraf.enrollee, '{}');
SELECT hccraf.hhs_score(ROW('1985-03-03', '2026-12-31', NULL, 'gold', 1, 365, NULL)::hccraf.enrollee, '{}');
SELECT hccraf.hhs_score(ROW('1985-03-03', '2026-12-31', 'F', 'gold', 1, 400, NULL)::hccraf.enrollee, '{}');
SELECT hccraf.hhs_score(ROW('1985-03-03', '2025-12-31', 'F', 'gold', 1, 365, NULL)::hccraf.enrollee, '{}');
SELECT hccraf.hhs_score(ROW(NULL, NULL, 'F', 'gold', 1, 365, NULL)::hccraf.enrollee, '{}');
SELECT hccraf.hhs_score(e, '{}') FROM (SELECT 'F' AS sex, 'gold' AS metal) e;
SELECT hccraf.hhs_score(e, '{}') FROM (SELECT 40 AS age_last, 'gold' AS metal) e;
SELECT hccraf.hhs_score(e, '{}') FROM (SELECT 40 AS age_last, 'F' AS sex, 3 AS metal) e;
SELECT hccraf.hhs_score(e, '{}') FROM (SELECT 40 AS age_last, 'F' AS sex, 'M' AS gender, 'gold' AS metal) e;
SELECT hccraf.hhs_score(e, '{}') FROM (SELECT 131 AS age_last, 'F' AS sex, 'gold' AS metal) e;
SELECT hccraf.hhs_score(ROW('1890-01-01', '2026-12-31', 'F', 'gold', 1, 365, NULL)::hccraf.enrollee, '{}');
SELECT hccraf.hhs_score(ROW('1985-03-03', '2026-12-31', 'F', 'gold', 1, 365, NULL)::hccraf.enrollee, '{}', ARRAY['0002-0213-01']);
SELECT hccraf.hhs_score(ROW('1985-03-03', '2026-12-31', 'F', 'gold', 1, 365, NULL)::hccraf.enrollee, '{}', NULL, ARRAY['J07']);
SELECT hccraf.hhs_score(ROW('1985-03-03', '2024-12-31', 'F', 'gold', 1, 365, NULL)::hccraf.enrollee, '{}', NULL, NULL, 2024);
-- The Medicare functions refuse the HHS model (an enrollee has a metal, a CSR and drug codes).
SELECT hccraf.raf_score(p, ARRAY['E11.9'], 'HHS_V08', 2026) FROM (SELECT 70 AS age, 'F' AS sex) p;
SELECT * FROM hccraf.hcc_gaps(ARRAY['E11.9'], '{}', NULL, 'HHS-HCC', 2026);
\set VERBOSITY terse

-- hhs_gaps: the value of last year's codes under the HHS model, at the enrollee's metal. By hand
-- (BY2026 silver): for a man of 54 on insulin, closing HHS_HCC021 adds G01 0.142 + the
-- RXC_06 x diabetes interaction 0.499 = 0.641 (x 1.12 = 0.71792); HHS_HCC130 is recaptured.
SELECT hcc, status, prior_codes, current_codes, raf_delta, csr_adjusted_delta, segment
FROM hccraf.hhs_gaps(ARRAY['E11.65', 'I50.22'], ARRAY['I50.22'],
                     ROW('1971-06-10', '2026-12-31', 'M', 'silver', 3, 365, NULL)::hccraf.enrollee, ARRAY['00002021301']);
-- Every golden enrollee, last year = its codes, this year = none: each row's raf_delta is the
-- difference of two hhs_score calls, csr_adjusted_delta that times the CSR factor, and no row
-- names an HCC outside the enrollee's model.
SELECT count(*) AS gap_rows,
       count(*) FILTER (WHERE g.raf_delta IS DISTINCT FROM
           (hccraf.hhs_score(h, g.prior_codes, string_to_array(h.ndc, '|'), string_to_array(h.hcpcs, '|'), h.benefit_year)).raw_score
         - (hccraf.hhs_score(h, '{}', string_to_array(h.ndc, '|'), string_to_array(h.hcpcs, '|'), h.benefit_year)).raw_score) AS wrong_delta,
       count(*) FILTER (WHERE g.csr_adjusted_delta IS DISTINCT FROM g.raf_delta * h.csr_factor) AS wrong_csr_delta,
       count(*) FILTER (WHERE EXISTS (SELECT FROM hccraf.hhs_member_set m
                                      WHERE (m.model_version, m.payment_year, m.hcc_code) = ('HHS_V08', h.benefit_year, g.hcc)
                                        AND m.set_name = 'EXCLUDED_' || upper(h.model))) AS excluded_hcc_rows
FROM golden_hhs h,
     hccraf.hhs_gaps(string_to_array(h.dx, '|'), '{}', h, string_to_array(h.ndc, '|'), string_to_array(h.hcpcs, '|'),
                     h.benefit_year) g;

-- hcc_map and the introspection cover the HHS model: every CC a code can map to (E10.52: CC20,
-- CC153, and CC22 from age 21), the model name or the family name.
SELECT hccraf.hcc_map('E10.52', 'HHS-HCC', 2026) AS e1052, hccraf.hcc_map('I50.22', 'HHS_V08', 2025) AS i5022,
       hccraf.hcc_map('I10', 'HHS-HCC', 2026) AS i10;
SELECT model_version, payment_year, model_family, payment_hccs, mapped_codes, hierarchy_rules, factors,
       normalization_factor IS NULL AS no_normalization
FROM hccraf.models WHERE model_family = 'HHS-HCC';
-- Factors per segment in model x metal order (BY2026: 212 adult, 167 child, 27 infant variables).
SELECT f.segment, count(*) AS factors, count(*) FILTER (WHERE f.kind = 'group') AS groups,
       count(*) FILTER (WHERE f.kind = 'rxc') AS rxcs, count(*) FILTER (WHERE f.kind = 'acf') AS acf,
       count(*) FILTER (WHERE f.kind = 'maturity') AS maturity
FROM hccraf.model_factors('HHS_V08', 2026) WITH ORDINALITY f GROUP BY f.segment ORDER BY min(f.ordinality);
SELECT hcc_code, label FROM hccraf.model_labels('HHS_V08', 2026) WHERE hcc_code IN ('G01', 'RXC_06', 'HHS_HCC035_1', 'HHS_HCC242');
SELECT set_name, count(*) FROM hccraf.hhs_member_set WHERE (model_version, payment_year) = ('HHS_V08', 2026)
GROUP BY set_name ORDER BY set_name;
SELECT csr_indicator, metal, factor FROM hccraf.hhs_csr_factor WHERE (model_version, payment_year) = ('HHS_V08', 2026) ORDER BY 1;
SELECT payment_year, code_system, variable, count(*) FROM hccraf.hhs_drug_code
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
