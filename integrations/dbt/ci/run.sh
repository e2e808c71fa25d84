#!/usr/bin/env bash
# CI of integrations/dbt (see ../README.md, "What CI checks"). Run inside a database session
# (PGHOST/PGPORT/PGDATABASE set, e.g. under pg_virtualenv) where the hccraf extension is installed:
#
#   run.sh            CREATE EXTENSION hccraf, load fixture.sql (schema claims), then render and run
#                     every model of hccraf_risk in dependency order and every test
#                     (render_and_run.py); exit status 1 on any failure
#   run.sh --broken   self-check: a copy of the project with one model broken (a column that does
#                     not exist) must make render_and_run.py fail, with the database's error;
#                     exit status 0 when it does, 1 when the broken project passes
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
project=$here/../hccraf_risk
# Debian's interpreter, with python3-jinja2 and python3-yaml (tools/install_deps.sh)
PY=${PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3

setup() {
    psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION IF NOT EXISTS hccraf' -f "$here/fixture.sql" ||
        { echo "dbt-ci: fixture failed"; exit 1; }
}

case "${1:-}" in
"")
    setup
    "$PY" "$here/render_and_run.py" "$project" --target-schema dbt_ci || exit 1
    # Cross-check outside dbt: hccraf.score_population on the same source tables writes the same
    # scores as the patient_scores model.
    diff=$(psql -X -q -At -v ON_ERROR_STOP=1 2>&1 <<'SQL'
SET client_min_messages = warning;
CALL hccraf.score_population(diagnoses => 'claims.claims_dx', patients => 'claims.members',
                             payment_year => 2026, model => 'V28');
SELECT count(*) FROM (
  (SELECT patient_id, payment_year, data_collection_year, age, gender, medicaid_status, disabled_status,
          institutional_status, demographic_score, hcc_list, disease_score, interaction_score, raf_score,
          model_version, segment, normalized_score, payment_score
   FROM hccraf.patient_hcc_score WHERE payment_year = 2026 AND model_version = 'V28'
   EXCEPT ALL SELECT * FROM dbt_ci.patient_scores)
  UNION ALL
  (SELECT * FROM dbt_ci.patient_scores
   EXCEPT ALL SELECT patient_id, payment_year, data_collection_year, age, gender, medicaid_status, disabled_status,
          institutional_status, demographic_score, hcc_list, disease_score, interaction_score, raf_score,
          model_version, segment, normalized_score, payment_score
   FROM hccraf.patient_hcc_score WHERE payment_year = 2026 AND model_version = 'V28')) d;
SQL
)
    if [ "$diff" = 0 ]; then
        echo "dbt-ci: patient_scores = hccraf.score_population's patient_hcc_score, row for row"
    else
        echo "dbt-ci: patient_scores differs from hccraf.score_population: $diff"
        exit 1
    fi
    ;;
--broken)
    setup
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    cp -r "$project" "$tmp/hccraf_risk"
    model=$tmp/hccraf_risk/models/member_diagnosis_codes.sql
    # the classic mistake: a column that the upstream model does not have (eligible_diagnoses
    # has service_year, not dx_year)
    sed -i 's/e\.service_year = /e.dx_year = /' "$model"
    grep -q 'e\.dx_year' "$model" || { echo "dbt-ci --broken: could not break $model"; exit 1; }
    echo "dbt-ci --broken: member_diagnosis_codes.sql now reads e.dx_year, a column eligible_diagnoses lacks"
    "$PY" "$here/render_and_run.py" "$tmp/hccraf_risk" --target-schema dbt_ci_broken > "$tmp/out" 2>&1
    r=$?
    sed "s/^/  | /" "$tmp/out"
    psql -X -q -c 'SET client_min_messages = warning' -c 'DROP SCHEMA IF EXISTS dbt_ci_broken CASCADE' >/dev/null
    if [ $r -ne 0 ] && grep -q 'model member_diagnosis_codes (view).* ERROR' "$tmp/out" &&
       grep -q 'column e.dx_year does not exist' "$tmp/out"; then
        echo "dbt-ci --broken: ok: the broken model fails the run (exit status $r)"
    else
        echo "dbt-ci --broken: FAILED: the broken project was not reported as failing (exit status $r)"
        exit 1
    fi
    ;;
*)
    echo "usage: $0 [--broken]" >&2
    exit 2
    ;;
esac
