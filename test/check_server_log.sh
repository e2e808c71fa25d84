#!/usr/bin/env bash
# Fails when the server log of the current pg_virtualenv cluster shows a backend that died
# (a crash restarts every session of the server, so one is one too many): a server process
# terminated by a signal or exiting with an unexpected code, a PANIC, or a crash restart.
# Run inside pg_virtualenv -t, after the tests; prints the offending lines.
set -uo pipefail
logdir="$(dirname "${PG_CLUSTER_CONF_ROOT:?run inside pg_virtualenv -t}")/log"
logs=("$logdir"/*.log)
[ -f "${logs[0]}" ] || { echo "server log check: no log in $logdir"; exit 1; }
pattern='server process .* (was terminated by|exited with exit code)|terminating any other active server processes|all server processes terminated|PANIC:|terminate called|Segmentation fault'
if grep -nE "$pattern" "${logs[@]}"; then
  echo "server log check: a backend died (lines above)"
  exit 1
fi
echo "server log check: no backend died ($(cat "${logs[@]}" | wc -l) log lines read)"
