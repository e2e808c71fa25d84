-- Synthetic population for bench/run.sh. Deterministic: every random draw is a hash of
-- (patient id, draw number, salt), so the same N gives the same table whatever the plan.
SET client_min_messages = warning;
DROP TABLE IF EXISTS patients, bench_dx_code CASCADE;
CREATE OR REPLACE FUNCTION bench_u(x bigint, salt bigint) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ((hashint8extended(x, salt) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$;

-- ~220 real ICD-10-CM codes (dotted, as claims carry them) with relative weights: common chronic
-- conditions (diabetes, CKD, HF, COPD, AF, depression, dementia, cancer, ...), rare HCCs
-- (transplants, quadriplegia, ...), and frequent codes without a V28 HCC (I10, E78.5, ...).
CREATE TABLE bench_dx_code (idx serial PRIMARY KEY, code text NOT NULL, weight numeric NOT NULL);
INSERT INTO bench_dx_code (code, weight) VALUES
  ('E11.9',      40), ('E11.65',     15), ('E11.22',     12), ('E11.40',      5), ('E11.42',      8),
  ('E11.51',      4), ('E11.52',      2), ('E11.319',     3), ('E11.21',      3), ('E11.29',      3),
  ('E11.36',      1), ('E11.649',     3), ('E11.69',      6), ('E11.8',       2), ('E11.00',    0.5),
  ('E11.641',   0.5), ('E10.9',       2), ('E10.65',      1), ('E13.9',     0.5), ('N18.30',      8),
  ('N18.31',      6), ('N18.32',      5), ('N18.4',       4), ('N18.5',     1.5), ('N18.6',       1),
  ('N18.9',       5), ('N18.2',       3), ('I12.9',       8), ('I12.0',       1), ('I13.0',       2),
  ('I13.10',      1), ('I50.9',      10), ('I50.22',      5), ('I50.32',      5), ('I50.42',      2),
  ('I50.23',      1), ('I50.33',      1), ('I50.43',    0.5), ('I50.21',    0.5), ('I50.84',    0.3),
  ('I11.0',       6), ('I48.91',     12), ('I48.0',       5), ('I48.19',      3), ('I48.20',      3),
  ('I48.11',      1), ('I48.21',      1), ('I49.5',       2), ('I44.2',       1), ('I47.20',    0.5),
  ('I49.01',    0.2), ('J44.9',      14), ('J44.1',       4), ('J44.0',       2), ('J43.9',       3),
  ('J45.909',     6), ('J45.50',    0.5), ('J45.51',    0.3), ('J84.10',      1), ('J84.112',   0.3),
  ('J96.11',      2), ('J96.01',    0.5), ('F32.9',      12), ('F32.A',       3), ('F32.1',       5),
  ('F32.2',       2), ('F33.1',       5), ('F33.0',       3), ('F33.2',       1), ('F33.9',       2),
  ('F31.9',       1), ('F31.81',    0.3), ('F20.9',       1), ('F25.9',     0.5), ('F41.1',       8),
  ('F03.90',      5), ('G30.9',       3), ('F03.A0',      1), ('F03.B0',      1), ('F03.C0',    0.5),
  ('F01.50',      1), ('F02.80',      1), ('G31.84',      2), ('I70.245',   0.3), ('I70.213',     1),
  ('I70.0',       3), ('I73.9',       5), ('I82.401',   0.5), ('I26.99',    0.5), ('I82.5Y9',   0.3),
  ('I63.9',       1), ('I69.351',     1), ('I69.30',      1), ('Z86.73',      3), ('C61',         3),
  ('C50.911',   1.5), ('C50.912',   1.5), ('C34.90',      1), ('C18.9',       1), ('C20',       0.5),
  ('C67.9',     0.5), ('C90.00',    0.5), ('C91.10',    0.5), ('C78.00',    0.4), ('C79.51',    0.4),
  ('C77.9',     0.2), ('C85.90',    0.3), ('C64.9',     0.3), ('C25.9',     0.2), ('C92.00',    0.1),
  ('Z85.3',       3), ('E66.01',      5), ('Z68.41',      3), ('Z68.45',      1), ('E66.9',       6),
  ('M06.9',       4), ('M05.79',      1), ('M35.3',       1), ('M32.9',     0.5), ('M34.9',     0.2),
  ('G20.A1',      2), ('G35.A',       1), ('G40.909',     2), ('G40.919',   0.3), ('G70.00',    0.3),
  ('G12.21',    0.2), ('Z99.2',       1), ('Z94.0',     0.3), ('N17.9',       3), ('K74.60',      1),
  ('K70.30',    0.3), ('K76.6',     0.3), ('K72.90',    0.2), ('B18.2',     0.5), ('K76.0',       2),
  ('K50.90',    0.5), ('K51.90',    0.5), ('K56.609',   0.3), ('K86.1',     0.3), ('D69.6',       2),
  ('D61.818',   0.3), ('D57.1',     0.1), ('D70.9',     0.3), ('D68.32',    0.5), ('D84.9',     0.2),
  ('D66',       0.1), ('D67',       0.1), ('F10.20',      2), ('F11.20',      1), ('F17.210',     6),
  ('F12.20',    0.5), ('F14.20',    0.3), ('Z93.0',     0.2), ('J69.0',     0.5), ('L89.154',   0.3),
  ('L89.153',   0.3), ('L89.152',   0.3), ('L97.419',   0.5), ('L12.0',     0.2), ('S72.001A',   0.3),
  ('S32.009A',   0.3), ('Z89.511',   0.3), ('Z89.411',   0.2), ('H35.3211',     1), ('H34.8110',   0.3),
  ('E11.3513',   0.5), ('Z79.4',      10), ('I10',        60), ('E78.5',      40), ('E78.2',       8),
  ('E03.9',      15), ('K21.9',      15), ('M17.11',      6), ('M81.0',       8), ('G47.33',      8),
  ('N40.0',       8), ('E55.9',      10), ('D64.9',       8), ('R73.03',      8), ('Z79.01',      6),
  ('Z79.84',      6), ('Z87.891',     8), ('I25.10',     12), ('I25.2',       3), ('I20.9',       1),
  ('I20.0',     0.3), ('I21.4',     0.5), ('I21.A1',    0.2), ('I35.0',       2), ('E87.1',       2),
  ('Z95.0',       2), ('E85.4',     0.2), ('E27.1',     0.2), ('E24.9',     0.1), ('A41.9',     0.5),
  ('B20',       0.2), ('E43',       0.5), ('G82.20',    0.1), ('G82.50',    0.1), ('G83.10',    0.1),
  ('G81.90',    0.3), ('I42.9',     0.5), ('I42.0',     0.5), ('Z95.811',  0.05), ('Z94.1',    0.05),
  ('Z94.83',   0.02), ('Z94.4',    0.05), ('Z94.2',    0.03), ('Z94.84',   0.03), ('Z93.1',     0.3),
  ('Z93.3',     0.3), ('E84.9',    0.03), ('G93.1',     0.1), ('S06.5X0A',  0.05), ('F53.1',    0.05),
  ('C58',      0.05), ('M54.50',     10), ('H25.9',       8), ('J30.9',       6), ('N39.0',       6),
  ('E11.3293',   0.3);

ANALYZE bench_dx_code;

CREATE TABLE patients (
    id            int,
    dob           date,
    sex           char(1),
    orec          char(1),
    dual_status   text,
    institutional boolean,
    new_enrollee  boolean,
    dx            text[]
);

INSERT INTO patients
WITH pick AS (
    -- code indexes repeated by weight: one uniform draw into this array = one weighted draw
    SELECT array_agg(c.idx ORDER BY c.idx, g) AS idx
    FROM bench_dx_code c, generate_series(1, greatest(1, round(c.weight * 20)::int)) g
),
person AS (
    SELECT i AS id,
           bench_u(i, 1) < 0.15 AS disabled,            -- ~15% under 65, entitled by disability
           bench_u(i, 2) AS u_age,
           bench_u(i, 3) < 0.55 AS female,
           bench_u(i, 4) AS u_orec,
           bench_u(i, 5) AS u_dual,
           bench_u(i, 6) < 0.03 AS institutional,       -- ~3% long-term institutional
           bench_u(i, 7) < 0.02 AS new_enrollee,        -- ~2% new enrollees
           bench_u(i, 8) AS u_birthday,
           bench_u(i, 9) AS u_ndx
    FROM generate_series(1, :N) AS i
),
demo AS (
    SELECT p.*,
           CASE WHEN p.disabled THEN 64 - floor(40 * power(p.u_age, 1.8))::int   -- 25..64
                ELSE 65 + floor(32 * power(p.u_age, 1.5))::int                   -- 65..96, mostly 65-85
           END AS age,
           -- 0..20 codes, mean ~5.3; the institutionalised and the disabled carry more
           least(20, round(-ln(1 - p.u_ndx)
                           * (CASE WHEN p.institutional THEN 8.5 WHEN p.disabled THEN 6.5 ELSE 5.75 END))
                )::int AS n_dx
    FROM person p
),
dx AS (
    SELECT d.id, array_agg(DISTINCT c.code) AS dx
    FROM demo d
    CROSS JOIN LATERAL generate_series(1, d.n_dx) AS k
    JOIN bench_dx_code c
      ON c.idx = (SELECT idx FROM pick)[1 + floor(bench_u(d.id::bigint * 32 + k, 10)
                                                  * (SELECT cardinality(idx) FROM pick))::int]
    WHERE d.n_dx > 0
    GROUP BY d.id
)
SELECT d.id,
       -- completed age on 1 Feb 2026 = d.age: born within the year before 1 Feb (2026 - age)
       (date '2026-02-01' - make_interval(years => d.age))::date - floor(d.u_birthday * 365)::int,
       CASE WHEN d.female THEN 'F' ELSE 'M' END,
       CASE WHEN d.disabled THEN '1' WHEN d.u_orec < 0.10 THEN '1' ELSE '0' END,  -- 10% of the aged originally disabled
       CASE WHEN d.disabled THEN CASE WHEN d.u_dual < 0.30 THEN 'full' WHEN d.u_dual < 0.45 THEN 'partial' ELSE 'non' END
            ELSE CASE WHEN d.u_dual < 0.105 THEN 'full' WHEN d.u_dual < 0.155 THEN 'partial' ELSE 'non' END
       END,                                                                         -- ~20% dual overall
       d.institutional,
       d.new_enrollee,
       coalesce(x.dx, '{}')
FROM demo d
LEFT JOIN dx x ON x.id = d.id
ORDER BY d.id;
