#!/usr/bin/env bash
# pg_dump safety: shipped reference rows are recreated by CREATE EXTENSION (not dumped), rows a
# user added (a release of their own, patient scores, a specificity rule) are dumped and restored.
# Runs against the server of the environment (PGHOST/PGPORT/PGUSER, e.g. inside pg_virtualenv).
set -euo pipefail
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
dump=$(mktemp)
trap 'rm -f "$dump"' EXIT
psql -d postgres -c "DROP DATABASE IF EXISTS hccraf_dump_src" -c "DROP DATABASE IF EXISTS hccraf_dump_dst" \
     -c "CREATE DATABASE hccraf_dump_src" -c "CREATE DATABASE hccraf_dump_dst"
psql -d hccraf_dump_src <<'SQL'
CREATE EXTENSION hccraf;
INSERT INTO hccraf.patient_hcc_score (patient_id, payment_year, raf_score)
VALUES ('00000000-0000-0000-0000-000000000042', 2026, 1.123);
-- A user release: V28 PY2026 copied as model V28X (user rows: shipped = false).
INSERT INTO hccraf.model_release (model_version, payment_year, normalization_factor, ma_coding_adjustment, blend_weight, status)
VALUES ('V28X', 2026, 1.067, 0.059, 0.00, 'user');
INSERT INTO hccraf.hcc_label (model_version, payment_year, hcc_code, label)
SELECT 'V28X', 2026, hcc_code, label FROM hccraf.hcc_label WHERE (model_version, payment_year) = ('V28', 2026);
INSERT INTO hccraf.hcc_factor (model_version, payment_year, segment, variable, kind, coefficient)
SELECT 'V28X', 2026, segment, variable, kind, coefficient FROM hccraf.hcc_factor WHERE (model_version, payment_year) = ('V28', 2026);
INSERT INTO hccraf.hcc_crosswalk (model_version, icd10_code, hcc_code, hcc_description, coefficient, effective_year)
SELECT 'V28X', icd10_code, hcc_code, hcc_description, coefficient, 2026 FROM hccraf.hcc_crosswalk WHERE (model_version, effective_year) = ('V28', 2026);
INSERT INTO hccraf.hcc_hierarchy (model_version, payment_year, rule_order, superior_hcc, subordinate_hcc)
SELECT 'V28X', 2026, rule_order, superior_hcc, subordinate_hcc FROM hccraf.hcc_hierarchy WHERE (model_version, payment_year) = ('V28', 2026);
INSERT INTO hccraf.hcc_interaction (model_version, payment_year, interaction_name, hcc_combinations, coefficient)
SELECT 'V28X', 2026, interaction_name, hcc_combinations, coefficient FROM hccraf.hcc_interaction WHERE (model_version, payment_year) = ('V28', 2026);
INSERT INTO hccraf.hcc_interaction_member (model_version, payment_year, interaction_name, term, hcc_code)
SELECT 'V28X', 2026, interaction_name, term, hcc_code FROM hccraf.hcc_interaction_member WHERE (model_version, payment_year) = ('V28', 2026);
INSERT INTO hccraf.hcc_edit (model_version, payment_year, edit_order, edit_kind, icd10_code, sex, age_min, age_max, action, hcc_code)
SELECT 'V28X', 2026, edit_order, edit_kind, icd10_code, sex, age_min, age_max, action, hcc_code FROM hccraf.hcc_edit WHERE (model_version, payment_year) = ('V28', 2026);
SQL
pg_dump -Fc -d hccraf_dump_src -f "$dump"
pg_restore -d hccraf_dump_dst --exit-on-error "$dump"
check='SELECT (SELECT count(*) FROM hccraf.model_release) AS releases,
              (SELECT count(*) FROM hccraf.hcc_crosswalk) AS crosswalk_rows,
              (SELECT count(*) FROM hccraf.icd10cm_code) AS icd_rows,
              (SELECT count(*) FROM hccraf.patient_hcc_score) AS scores,
              (SELECT (hccraf.raf_score(p, ARRAY[$$E11.9$$, $$I50.22$$], $$V28X$$, 2026)).payment_score
                 FROM (SELECT 70 AS age, $$F$$ AS sex) p) AS user_release_score'
src=$(psql -At -d hccraf_dump_src -c "$check")
dst=$(psql -At -d hccraf_dump_dst -c "$check")
psql -d postgres -c "DROP DATABASE hccraf_dump_src" -c "DROP DATABASE hccraf_dump_dst"
echo "source:   $src"
echo "restored: $dst"
[ "$src" = "$dst" ] || { echo "dump/restore changed the data"; exit 1; }
echo "dump/restore ... ok"
