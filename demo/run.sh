#!/usr/bin/env bash
# The README's demo command: installs what is missing, builds and installs hccraf, starts a
# throwaway PostgreSQL 15 cluster (Debian's pg_virtualenv, removed afterwards), and runs
# demo/demo.sql: the model inventory, hcc_map on sample codes, a scored panel and a gap report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install_deps.sh
make -j2 > /dev/null
make install > /dev/null
pg_virtualenv -t -o shared_preload_libraries=hccraf \
  psql -X -q -v ON_ERROR_STOP=1 -P pager=off -f demo/demo.sql
