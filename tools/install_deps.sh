#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, test and demo hccraf (as root,
# non-interactive, idempotent: does nothing when everything is present).
set -euo pipefail
PACKAGES="postgresql-15 postgresql-server-dev-15 postgresql-contrib cmake g++ make
          libgtest-dev libboost-dev python3 clang clang-format libclang-rt-14-dev
          python3-jinja2 python3-yaml"
missing=""
for p in $PACKAGES; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq $missing
fi
