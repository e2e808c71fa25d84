-- Scoring functions are PARALLEL SAFE (parallel workers score rows) and IMMUTABLE, so that
-- postgres_fdw ships them to shards when the server lists the extension.
CREATE TABLE panel (id int, region text, dob date, sex text, orec text, dual_status text,
                    institutional boolean, new_enrollee boolean, snp_new_enrollee boolean, dx text[]);
CREATE TEMP TABLE g (patient_id text, dob date, age int, sex text, orec text,
    dual_status text, institutional int, new_enrollee int, snp_new_enrollee int, dx text,
    segment text, demographic_vars text, hccs_after_hierarchy text, interactions text,
    raw_score numeric, normalized_score numeric, payment_score numeric, note text);
\copy g FROM 'test/fixtures/golden_v28_2026.csv' WITH (FORMAT csv, HEADER true)
-- 20 copies of the 670 golden patients, in 4 regions.
INSERT INTO panel
SELECT row_number() OVER (), (ARRAY['north','south','east','west'])[1 + (k % 4)], dob, sex, orec,
       dual_status, institutional = 1, new_enrollee = 1, snp_new_enrollee = 1, string_to_array(dx, '|')
FROM g, generate_series(1, 20) k;
ANALYZE panel;
-- Expected: 20 x the sum of the golden payment scores.
SELECT 20 * sum(payment_score) AS expected FROM g;

-- Parallel: force a parallel plan on this small table.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT sum(hccraf.raf_payment_score(p, p.dx)) FROM panel p;
SELECT sum(hccraf.raf_payment_score(p, p.dx)) AS parallel_rows,
       sum((hccraf.raf_score(p, p.dx)).payment_score) AS parallel_composite,
       sum(hccraf.raf_payment_score(dob, sex, orec, dual_status, institutional, new_enrollee,
                                    snp_new_enrollee, dx)) AS parallel_columns
FROM panel p;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

-- postgres_fdw: a loopback "shard". The column form is shipped inside the remote query,
-- including the aggregate; a whole-row argument cannot be shipped (postgres_fdw limitation).
CREATE EXTENSION postgres_fdw;
DO $$ BEGIN
  EXECUTE format('CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
                  OPTIONS (dbname %L, port %L, host %L, extensions %L)',
                 current_database(), current_setting('port'),
                 split_part(current_setting('unix_socket_directories'), ',', 1), 'hccraf');
END $$;
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1;
CREATE FOREIGN TABLE remote_panel (id int, region text, dob date, sex text, orec text, dual_status text,
                                   institutional boolean, new_enrollee boolean, snp_new_enrollee boolean,
                                   dx text[])
    SERVER shard1 OPTIONS (table_name 'panel');
EXPLAIN (VERBOSE, COSTS OFF)
SELECT region, sum(hccraf.raf_payment_score(dob, sex, orec, dual_status, institutional, new_enrollee,
                                            snp_new_enrollee, dx))
FROM remote_panel GROUP BY region;
SELECT sum(s) AS pushed_down
FROM (SELECT region, sum(hccraf.raf_payment_score(dob, sex, orec, dual_status, institutional,
                                                  new_enrollee, snp_new_enrollee, dx)) AS s
      FROM remote_panel GROUP BY region) per_region;
EXPLAIN (VERBOSE, COSTS OFF)
SELECT id FROM remote_panel WHERE hccraf.raf_payment_score(dob, sex, orec, dual_status, institutional,
                                                           new_enrollee, snp_new_enrollee, dx) > 5;
DROP FOREIGN TABLE remote_panel;
DROP USER MAPPING FOR CURRENT_USER SERVER shard1;
DROP SERVER shard1;
DROP EXTENSION postgres_fdw;
DROP TABLE panel;
