-- Synthetic ACA (HHS-HCC) adult enrollees for bench/hhs.sh: :N rows of
--   enrollees(id, dob, last_enrollment_date, sex, metal, csr_indicator, enrollment_days, dx, ndc)
-- Deterministic: every random draw is hashint8extended(id or id-derived key, salt), so the same N
-- gives the same table whatever the plan. Benefit year 2026, every enrollee 21-64 on the last
-- enrollment day (the adult model), exactly 5 distinct ICD-10-CM codes and 2 NDCs each.
SET client_min_messages = warning;
DROP TABLE IF EXISTS enrollees, bench_hhs_dx, bench_hhs_ndc, bench_hhs_rx_rule CASCADE;
CREATE OR REPLACE FUNCTION bench_u(x bigint, salt bigint) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ((hashint8extended(x, salt) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$;

-- 111 real ICD-10-CM codes (FY2026, billable, dotted as claims carry them) with relative weights:
-- common chronic adult conditions that map to an HHS-HCC V08 BY2026 HCC (crosswalk.csv or an
-- age-split in edits.csv: E10.x -> HCC021 + HCC022, F20/F31/F32.2/F33.2, J44/J43 for adults), and
-- frequent codes that map to none (I10, E78.5, F32.9, E66.x, M54.50, Z00.00, ...), about 60 % of
-- the draws. cond marks the conditions whose drugs the NDC draws follow (bench_hhs_rx_rule).
CREATE TABLE bench_hhs_dx (idx serial PRIMARY KEY, code text NOT NULL, weight numeric NOT NULL, cond text,
                           sex text);  -- sex: the only sex the code is drawn for (NULL = both)
INSERT INTO bench_hhs_dx (code, weight, cond) VALUES
  -- diabetes: HCC021 / HCC020; type 1 (E10) also HCC022; Z79.4 (insulin use) HCC021
  ('E11.9',    14, 'dm2'), ('E11.65',    6, 'dm2'), ('E11.22',    3, 'dm2'), ('E11.42',    2, 'dm2'),
  ('E11.69',    2, 'dm2'), ('E11.40',    1, 'dm2'), ('Z79.4',     3, 'dm2'), ('E10.9',     2, 'dm1'),
  ('E10.65',    1, 'dm1'),
  -- heart: HF HCC130, AF HCC142, AMI HCC131
  ('I50.9',     2, NULL),  ('I50.22',    1, NULL),  ('I11.0',   1.5, NULL),  ('I13.0',   0.3, NULL),
  ('I48.91',    3, 'af'),  ('I48.0',     1, 'af'),  ('I21.4',   0.5, NULL),
  -- lung: asthma HCC161_2 / 161_1, COPD HCC160 (adults), ILD HCC162
  ('J45.909',   6, NULL),  ('J45.40',    3, NULL),  ('J45.50',  0.5, NULL),  ('J44.9',     3, NULL),
  ('J44.1',     1, NULL),  ('J43.9',   0.5, NULL),  ('J84.10',  0.3, NULL),
  -- mental health and substance use: HCC088, HCC087_1, HCC084, HCC082
  ('F32.2',     3, NULL),  ('F33.2',     2, NULL),  ('F31.9',   1.5, NULL),  ('F31.81',  0.5, NULL),
  ('F20.9',     1, NULL),  ('F25.9',   0.5, NULL),  ('F10.20',    2, NULL),  ('F11.20',  1.5, NULL),
  ('F12.20',    1, NULL),  ('F14.20',  0.3, NULL),
  -- autoimmune and IBD: HCC056, HCC057, HCC048
  ('M06.9',     3, 'ra'),  ('M05.79',  0.5, 'ra'),  ('L40.50',    1, 'ra'),  ('M32.9',   0.5, 'ra'),
  ('K50.90',    1, 'ibd'), ('K51.90',  1.2, 'ibd'),
  -- neuro: MS HCC118, epilepsy HCC120, Parkinson HCC119
  ('G35.A',   0.8, 'ms'),  ('G40.909',   2, NULL),  ('G20.A1',  0.3, NULL),
  -- infections and liver: HIV HCC001, hepatitis C HCC037_1, cirrhosis HCC036
  ('B20',     0.5, 'hiv'), ('Z21',     0.3, 'hiv'), ('B18.2',   0.5, 'hcv'), ('K74.60',  0.3, NULL),
  ('K70.30',  0.3, NULL),
  -- kidney: CKD 4 HCC188, ESRD HCC184
  ('N18.4',   0.5, NULL),  ('N18.6',   0.3, 'esrd'),
  -- cancer: breast (HCC011 under 50, HCC012 from 50), prostate, colon, lung, thyroid, melanoma
  ('C50.911',   1, NULL),  ('C50.912',   1, NULL),  ('C61',     0.7, NULL),  ('C18.9',   0.4, NULL),
  ('C34.90',  0.3, NULL),  ('C73',     0.5, NULL),  ('C43.9',   0.5, NULL),
  -- other: DVT/PE HCC156, sickle cell HCC070, cystic fibrosis HCC159, autism HCC102, Down HCC097
  ('I26.99',  0.5, NULL),  ('I82.401', 0.5, NULL),  ('D57.1',   0.2, NULL),  ('E84.0',  0.05, 'cf'),
  ('F84.0',   0.3, NULL),  ('Q90.9',  0.05, NULL),
  -- frequent codes without an HHS-HCC
  ('I10',      60, NULL),  ('E78.5',    45, NULL),  ('E78.2',     5, NULL),  ('E66.9',    15, NULL),
  ('E66.01',    6, NULL),  ('Z68.41',    3, NULL),  ('E03.9',    18, NULL),  ('K21.9',    18, NULL),
  ('F41.1',    18, NULL),  ('F41.9',     6, NULL),  ('F32.9',    15, NULL),  ('F32.A',     4, NULL),
  ('F32.1',     5, NULL),  ('F33.1',     4, NULL),  ('F90.0',     4, NULL),  ('F43.10',    2, NULL),
  ('F17.210',   8, NULL),  ('M54.50',   25, NULL),  ('J30.9',    15, NULL),  ('E55.9',     8, NULL),
  ('G47.33',    8, NULL),  ('G43.909',   6, NULL),  ('R73.03',    8, NULL),  ('N39.0',     4, NULL),
  ('M17.11',    4, NULL),  ('M79.7',     2, NULL),  ('E28.2',     3, NULL),  ('N40.0',     3, NULL),
  ('Z00.00',   35, NULL),  ('I25.10',    3, NULL),  ('N18.30',    2, NULL),  ('N18.9',     1, NULL),
  ('N18.2',     1, NULL),  ('I12.9',     2, NULL),  ('D64.9',     4, NULL),  ('D50.9',     4, NULL),
  ('Z79.01',    1, NULL),  ('Z79.84',    3, NULL),  ('K76.0',     5, NULL),  ('L40.0',   1.5, NULL),
  ('I73.9',     1, NULL),  ('G89.29',    2, NULL),  ('D69.6',     1, NULL),  ('M54.16',    3, NULL),
  ('E87.1',     1, NULL),  ('H25.9',     2, NULL),  ('J06.9',    12, NULL),  ('R51.9',     3, NULL),
  ('M25.561',   3, NULL);
UPDATE bench_hhs_dx SET sex = 'F' WHERE code IN ('C50.911', 'C50.912', 'E28.2');
UPDATE bench_hhs_dx SET sex = 'M' WHERE code IN ('C61', 'N40.0');
ANALYZE bench_hhs_dx;

-- NDCs (11 digits, no hyphens) by class: six real NDCs of each RXC from data/HHS_V08/2026/drugs.csv
-- (evenly spaced through the file), and 36 invented NDCs in no RXC (absent from drugs.csv) for
-- everything else people fill (statins, ACE inhibitors, SSRIs, ...).
CREATE TABLE bench_hhs_ndc (class text NOT NULL, k int NOT NULL, ndc text NOT NULL, PRIMARY KEY (class, k));
INSERT INTO bench_hhs_ndc (class, k, ndc)
SELECT v.class, row_number() OVER (PARTITION BY v.class ORDER BY v.ord), v.ndc
FROM (VALUES
  ('RXC_01',  1, '00173069100'), ('RXC_01',  2, '31722075406'), ('RXC_01',  3, '51079020401'),
  ('RXC_01',  4, '54868378201'), ('RXC_01',  5, '62682101502'), ('RXC_01',  6, '68258199406'),
  ('RXC_02',  1, '00006307401'), ('RXC_02',  2, '00074262556'), ('RXC_02',  3, '61958150202'),
  ('RXC_02',  4, '61958180206'), ('RXC_02',  5, '61958220201'), ('RXC_02',  6, '61958220502'),
  ('RXC_03',  1, '00173079420'), ('RXC_03',  2, '00641141036'), ('RXC_03',  3, '46193069202'),
  ('RXC_03',  4, '53489028802'), ('RXC_03',  5, '59651043801'), ('RXC_03',  6, '71019000901'),
  ('RXC_04',  1, '00378289520'), ('RXC_04',  2, '49230064551'), ('RXC_04',  3, '55513001004'),
  ('RXC_04',  4, '59651008736'), ('RXC_04',  5, '67877025645'), ('RXC_04',  6, '72162250002'),
  ('RXC_05',  1, '00093744501'), ('RXC_05',  2, '31722000532'), ('RXC_05',  3, '53014072667'),
  ('RXC_05',  4, '60687026425'), ('RXC_05',  5, '66336050390'), ('RXC_05',  6, '70748021416'),
  ('RXC_06',  1, '00002820801'), ('RXC_06',  2, '00024587102'), ('RXC_06',  3, '00169300412'),
  ('RXC_06',  4, '47918089463'), ('RXC_06',  5, '54569383300'), ('RXC_06',  6, '68258898601'),
  ('RXC_07',  1, '00169413001'), ('RXC_07',  2, '00904612361'), ('RXC_07',  3, '50090546700'),
  ('RXC_07',  4, '55048024230'), ('RXC_07',  5, '64764030290'), ('RXC_07',  6, '70934072730'),
  ('RXC_08',  1, '00440044460'), ('RXC_08',  2, '43068060300'), ('RXC_08',  3, '50419052335'),
  ('RXC_08',  4, '62049028604'), ('RXC_08',  5, '68180077748'), ('RXC_08',  6, '70710111503'),
  ('RXC_09',  1, '00025032901'), ('RXC_09',  2, '00597037045'), ('RXC_09',  3, '51759052321'),
  ('RXC_09',  4, '61314039194'), ('RXC_09',  5, '72606002507'), ('RXC_09',  6, '82009016211'),
  ('RXC_10',  1, '10122021256'), ('RXC_10',  2, '51167011301'), ('RXC_10',  3, '51167020614'),
  ('RXC_10',  4, '51167044501'), ('RXC_10',  5, '51167070002'), ('RXC_10',  6, '84639021201'),
  ('none',  1, '00093715501'), ('none',  2, '00093715601'), ('none',  3, '00378395105'),
  ('none',  4, '00378395205'), ('none',  5, '68180051203'), ('none',  6, '68180051303'),
  ('none',  7, '65862013399'), ('none',  8, '65862013499'), ('none',  9, '16729099917'),
  ('none', 10, '16729099817'), ('none', 11, '00904698761'), ('none', 12, '00904698861'),
  ('none', 13, '60505257809'), ('none', 14, '60505257909'), ('none', 15, '29300012410'),
  ('none', 16, '29300012510'), ('none', 17, '31722070190'), ('none', 18, '31722070290'),
  ('none', 19, '43547035010'), ('none', 20, '43547035110'), ('none', 21, '00781518792'),
  ('none', 22, '00781518892'), ('none', 23, '50111078751'), ('none', 24, '50111078851'),
  ('none', 25, '57664039788'), ('none', 26, '57664099988'), ('none', 27, '62332003131'),
  ('none', 28, '62332003231'), ('none', 29, '69097012405'), ('none', 30, '69097012505'),
  ('none', 31, '00591544201'), ('none', 32, '00591544301'), ('none', 33, '00228283411'),
  ('none', 34, '00228283511'), ('none', 35, '51991074701'), ('none', 36, '51991074801')
) AS v(class, ord, ndc);
ANALYZE bench_hhs_ndc;

-- Which drug class the NDC draws pick for an enrollee with a given condition (the enrollee's
-- highest-priority cond among its codes): draw 1 or 2 falls into [lo, hi) of its uniform draw.
-- Draws that hit no rule take the general mix: 3 % RXC_07 (GLP-1 for weight loss), 1 % RXC_09,
-- 0.5 % RXC_03, otherwise a drug in no RXC.
CREATE TABLE bench_hhs_rx_rule (cond text, priority int, draw int, class text, lo float8, hi float8);
INSERT INTO bench_hhs_rx_rule VALUES
  ('hiv',  1, 1, 'RXC_01', 0.00, 0.85),
  ('cf',   2, 1, 'RXC_10', 0.00, 0.60),
  ('ms',   3, 1, 'RXC_08', 0.00, 0.70),
  ('esrd', 4, 1, 'RXC_04', 0.00, 0.60),
  ('hcv',  5, 1, 'RXC_02', 0.00, 0.30),
  ('ibd',  6, 1, 'RXC_05', 0.00, 0.50), ('ibd', 6, 1, 'RXC_09', 0.50, 0.70),
  ('ra',   7, 1, 'RXC_09', 0.00, 0.50),
  ('dm1',  8, 1, 'RXC_06', 0.00, 0.90), ('dm1', 8, 2, 'RXC_07', 0.00, 0.10),
  ('dm2',  9, 1, 'RXC_07', 0.00, 0.45), ('dm2', 9, 1, 'RXC_06', 0.45, 0.65), ('dm2', 9, 2, 'RXC_07', 0.00, 0.10),
  ('af',  10, 1, 'RXC_03', 0.00, 0.30);
ANALYZE bench_hhs_rx_rule;

CREATE TABLE enrollees (
    id                   int,
    dob                  date,
    last_enrollment_date date,
    sex                  text,
    metal                text,
    csr_indicator        int,
    enrollment_days      int,
    dx                   text[],
    ndc                  text[]
);

INSERT INTO enrollees
WITH pick AS (
    -- code indexes repeated by weight: one uniform draw into this array = one weighted draw
    SELECT array_agg(c.idx ORDER BY c.idx, g) AS idx
    FROM bench_hhs_dx c, generate_series(1, greatest(1, round(c.weight * 20)::int)) g
),
person AS (
    SELECT i AS id,
           -- ACA adults skew older: 21..64, density rising with age
           21 + floor(44 * power(bench_u(i, 101), 0.8))::int AS age,
           bench_u(i, 102) < 0.52 AS female,
           bench_u(i, 103) AS u_metal,
           bench_u(i, 104) AS u_csr,
           bench_u(i, 105) < 0.15 AS partial,             -- ~15 % enrolled part of the year
           bench_u(i, 106) < 0.60 AS ends_early,          -- partial: 60 % leave, 40 % join late
           bench_u(i, 107) AS u_days,
           bench_u(i, 108) AS u_birthday
    FROM generate_series(1, :N) AS i
),
enrol AS (
    SELECT p.*,
           CASE WHEN p.partial THEN 1 + floor(364 * p.u_days)::int ELSE 365 END AS days
    FROM person p
),
span AS (
    SELECT e.*,
           CASE WHEN e.partial AND e.ends_early THEN date '2026-01-01' + (e.days - 1) ELSE date '2026-12-31' END AS last_day,
           -- metal: ~55 % silver, 30 % bronze, 11 % gold, 2 % platinum; catastrophic only under 30
           CASE WHEN e.u_metal < 0.55 THEN 'silver'
                WHEN e.u_metal < 0.85 THEN 'bronze'
                WHEN e.u_metal < 0.96 THEN 'gold'
                WHEN e.u_metal < 0.98 THEN 'platinum'
                WHEN e.age < 30 THEN 'catastrophic'
                ELSE 'bronze'
           END AS metal
    FROM enrol e
),
draws AS (
    -- 20 weighted candidate draws per enrollee; a draw of a code of the other sex is void; the
    -- first 5 distinct codes are kept
    SELECT s.id, c.code, c.cond, min(k) AS first_k
    FROM span s
    CROSS JOIN generate_series(1, 20) AS k
    JOIN bench_hhs_dx c
      ON c.idx = (SELECT idx FROM pick)[1 + floor(bench_u(s.id::bigint * 32 + k, 110)
                                                  * (SELECT cardinality(idx) FROM pick))::int]
     AND (c.sex IS NULL OR c.sex = CASE WHEN s.female THEN 'F' ELSE 'M' END)
    GROUP BY s.id, c.code, c.cond
),
ranked AS (
    SELECT d.*, row_number() OVER (PARTITION BY d.id ORDER BY d.first_k) AS rn FROM draws d
),
dx AS (
    SELECT r.id, array_agg(r.code ORDER BY r.rn) AS dx,
           (array_agg(x.cond ORDER BY x.priority) FILTER (WHERE x.cond IS NOT NULL))[1] AS cond
    FROM ranked r
    LEFT JOIN (SELECT DISTINCT cond, priority FROM bench_hhs_rx_rule) x ON x.cond = r.cond
    WHERE r.rn <= 5
    GROUP BY r.id
),
rx AS (
    -- 2 NDC draws per enrollee: the condition's rule if one hits, else the general mix
    SELECT d.id, j, u,
           coalesce(r.class,
                    CASE WHEN u2 < 0.030 THEN 'RXC_07' WHEN u2 < 0.040 THEN 'RXC_09'
                         WHEN u2 < 0.045 THEN 'RXC_03' ELSE 'none' END) AS class,
           u3
    FROM dx d
    CROSS JOIN generate_series(1, 2) AS j
    CROSS JOIN LATERAL (SELECT bench_u(d.id::bigint * 4 + j, 120) AS u,
                               bench_u(d.id::bigint * 4 + j, 121) AS u2,
                               bench_u(d.id::bigint * 4 + j, 122) AS u3) uu
    LEFT JOIN bench_hhs_rx_rule r ON r.cond = d.cond AND r.draw = j AND uu.u >= r.lo AND uu.u < r.hi
),
ndc AS (
    SELECT x.id, array_agg(n.ndc ORDER BY x.j) AS ndc
    FROM rx x
    JOIN (SELECT class, count(*) AS n FROM bench_hhs_ndc GROUP BY class) cn ON cn.class = x.class
    JOIN bench_hhs_ndc n ON n.class = x.class AND n.k = 1 + floor(x.u3 * cn.n)::int
    GROUP BY x.id
)
SELECT s.id,
       -- completed age on the last enrollment day = s.age (born within the year before it)
       (s.last_day - make_interval(years => s.age))::date - floor(s.u_birthday * 365)::int,
       s.last_day,
       CASE WHEN s.female THEN 'F' ELSE 'M' END,
       s.metal,
       CASE s.metal
            -- silver CSR variants: 3 (73 % AV), 10 and 11 (94 % / 87 % AV and the like)
            WHEN 'silver'   THEN CASE WHEN s.u_csr < 0.45 THEN 1 WHEN s.u_csr < 0.70 THEN 10
                                      WHEN s.u_csr < 0.90 THEN 11 ELSE 3 END
            WHEN 'gold'     THEN CASE WHEN s.u_csr < 0.96 THEN 1 WHEN s.u_csr < 0.98 THEN 2
                                      WHEN s.u_csr < 0.99 THEN 8 ELSE 9 END
            WHEN 'bronze'   THEN CASE WHEN s.u_csr < 0.97 THEN 1 WHEN s.u_csr < 0.99 THEN 4 ELSE 5 END
            WHEN 'platinum' THEN CASE WHEN s.u_csr < 0.97 THEN 1 WHEN s.u_csr < 0.99 THEN 6 ELSE 7 END
            ELSE 1
       END,
       s.days,
       x.dx,
       n.ndc
FROM span s
JOIN dx x ON x.id = s.id
JOIN ndc n ON n.id = s.id
ORDER BY s.id;

