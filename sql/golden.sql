-- Every reference patient of ../shared/golden (copied by tools/convert_golden.py into
-- test/fixtures) scored through SQL: segment, HCCs, interactions (with the count variable),
-- raw, normalized and payment score must match exactly; every query below must print 0
-- mismatches. The patient row handed to raf_score is the fixture row itself.
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.sorted(a text[]) RETURNS text[] LANGUAGE sql IMMUTABLE AS
$$ SELECT coalesce(array_agg(x ORDER BY x), '{}') FROM unnest(a) x $$;
CREATE FUNCTION pg_temp.bar_list(s text) RETURNS text[] LANGUAGE sql IMMUTABLE AS
$$ SELECT pg_temp.sorted(coalesce(string_to_array(nullif(s, ''), '|'), '{}')) $$;

CREATE TEMP TABLE golden_v28 (patient_id text, dob date, age int, sex text, orec text,
    dual_status text, institutional int, new_enrollee int, snp_new_enrollee int, dx text,
    segment text, demographic_vars text, hccs_after_hierarchy text, interactions text,
    raw_score numeric, normalized_score numeric, payment_score numeric, note text);
CREATE TEMP TABLE golden_v24 (LIKE golden_v28);
CREATE TEMP TABLE golden_blend (patient_id text, dob date, age int, sex text, orec text,
    dual_status text, institutional int, new_enrollee int, snp_new_enrollee int, dx text,
    segment text, demographic_vars text, hccs_after_hierarchy_v24 text, interactions_v24 text,
    raw_score_v24 numeric, normalized_score_v24 numeric, hccs_after_hierarchy_v28 text,
    interactions_v28 text, raw_score_v28 numeric, normalized_score_v28 numeric, raw_score numeric,
    normalized_score numeric, payment_score numeric, note text);
\copy golden_v28 FROM 'test/fixtures/golden_v28_2026.csv' WITH (FORMAT csv, HEADER true)
\copy golden_v24 FROM 'test/fixtures/golden_v24_2026.csv' WITH (FORMAT csv, HEADER true)
\copy golden_blend FROM 'test/fixtures/golden_blend_2025.csv' WITH (FORMAT csv, HEADER true)

-- V28, payment year 2026 (670 patients).
CREATE TEMP TABLE scored_v28 AS
SELECT g.*, hccraf.raf_score(g, string_to_array(g.dx, '|'), 'V28', 2026) AS r FROM golden_v28 g;
SELECT count(*) AS patients,
       count(*) FILTER (WHERE (r).segment IS DISTINCT FROM segment) AS segment,
       count(*) FILTER (WHERE pg_temp.sorted((r).hccs) <> pg_temp.bar_list(hccs_after_hierarchy)) AS hccs,
       count(*) FILTER (WHERE pg_temp.sorted((r).interactions) <> pg_temp.bar_list(interactions)) AS interactions,
       count(*) FILTER (WHERE (r).raw_score IS DISTINCT FROM raw_score) AS raw,
       count(*) FILTER (WHERE (r).normalized_score IS DISTINCT FROM normalized_score) AS normalized,
       count(*) FILTER (WHERE (r).payment_score IS DISTINCT FROM payment_score) AS payment
FROM scored_v28;
SELECT patient_id, segment, (r).segment, hccs_after_hierarchy, (r).hccs, raw_score, (r).raw_score,
       payment_score, (r).payment_score
FROM scored_v28
WHERE (r).segment IS DISTINCT FROM segment OR pg_temp.sorted((r).hccs) <> pg_temp.bar_list(hccs_after_hierarchy)
   OR (r).payment_score IS DISTINCT FROM payment_score OR (r).raw_score IS DISTINCT FROM raw_score
LIMIT 10;

-- The lean form gives the same payment scores.
SELECT count(*) FILTER (WHERE hccraf.raf_payment_score(g, string_to_array(g.dx, '|'), 'V28', 2026)
                              IS DISTINCT FROM payment_score) AS lean_v28_mismatches
FROM golden_v28 g;

-- V24 on the PY2026 crosswalk (raw score only: V24 has no PY2026 payment role).
CREATE TEMP TABLE scored_v24 AS
SELECT g.*, hccraf.raf_score(g, string_to_array(g.dx, '|'), 'V24', 2026) AS r FROM golden_v24 g;
SELECT count(*) AS patients,
       count(*) FILTER (WHERE (r).segment IS DISTINCT FROM segment) AS segment,
       count(*) FILTER (WHERE pg_temp.sorted((r).hccs) <> pg_temp.bar_list(hccs_after_hierarchy)) AS hccs,
       count(*) FILTER (WHERE pg_temp.sorted((r).interactions) <> pg_temp.bar_list(interactions)) AS interactions,
       count(*) FILTER (WHERE (r).raw_score IS DISTINCT FROM raw_score) AS raw,
       count(*) FILTER (WHERE (r).payment_score IS NOT NULL) AS payment_not_null
FROM scored_v24;

-- Payment year 2025: 33 % V24 + 67 % V28 (666 patients), each model checked, then the blend.
CREATE TEMP TABLE scored_blend AS
SELECT g.*, hccraf.raf_score(g, string_to_array(g.dx, '|'), 'V24', 2025) AS r24,
       hccraf.raf_score(g, string_to_array(g.dx, '|'), 'V28', 2025) AS r28,
       hccraf.raf_score(g, string_to_array(g.dx, '|'), 'CMS-HCC', 2025) AS rb
FROM golden_blend g;
SELECT count(*) AS patients,
       count(*) FILTER (WHERE (rb).segment IS DISTINCT FROM segment) AS segment,
       count(*) FILTER (WHERE pg_temp.sorted((r24).hccs) <> pg_temp.bar_list(hccs_after_hierarchy_v24)) AS hccs_v24,
       count(*) FILTER (WHERE pg_temp.sorted((r28).hccs) <> pg_temp.bar_list(hccs_after_hierarchy_v28)) AS hccs_v28,
       count(*) FILTER (WHERE pg_temp.sorted((r24).interactions) <> pg_temp.bar_list(interactions_v24)) AS interactions_v24,
       count(*) FILTER (WHERE pg_temp.sorted((r28).interactions) <> pg_temp.bar_list(interactions_v28)) AS interactions_v28,
       count(*) FILTER (WHERE (r24).raw_score IS DISTINCT FROM raw_score_v24) AS raw_v24,
       count(*) FILTER (WHERE (r28).raw_score IS DISTINCT FROM raw_score_v28) AS raw_v28,
       count(*) FILTER (WHERE (r24).normalized_score IS DISTINCT FROM normalized_score_v24) AS normalized_v24,
       count(*) FILTER (WHERE (r28).normalized_score IS DISTINCT FROM normalized_score_v28) AS normalized_v28,
       count(*) FILTER (WHERE (rb).raw_score IS DISTINCT FROM raw_score) AS raw_blend,
       count(*) FILTER (WHERE (rb).normalized_score IS DISTINCT FROM normalized_score) AS normalized_blend,
       count(*) FILTER (WHERE (rb).payment_score IS DISTINCT FROM payment_score) AS payment_blend
FROM scored_blend;
SELECT count(*) FILTER (WHERE hccraf.raf_payment_score(g, string_to_array(g.dx, '|'), 'CMS-HCC', 2025)
                              IS DISTINCT FROM payment_score) AS lean_blend_mismatches
FROM golden_blend g;
-- The blend's HCC list names both models.
SELECT (rb).model, (rb).hccs, (rb).interactions FROM scored_blend WHERE patient_id = 'H01';

-- Demographic variables (age/sex or NE cell, OriginallyDisabled_*, LTIMCAID, ORIGDS) as
-- raf_explain reports them.
SELECT count(*) AS patients,
       count(*) FILTER (WHERE demo IS DISTINCT FROM pg_temp.bar_list(demographic_vars)) AS demographic_vars
FROM (SELECT g.demographic_vars,
             (SELECT pg_temp.sorted(array_agg(e.item)) FROM hccraf.raf_explain(g, string_to_array(g.dx, '|'), 'V28', 2026) e
               WHERE e.step = 'demographic' AND e.coefficient IS NOT NULL) AS demo
      FROM golden_v28 g) x;
