#!/usr/bin/env bash
# Install what building and testing actionplan needs, if it is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=(make gcc postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap
      libtap-parser-sourcehandler-pgtap-perl postgresql-15-cron r-cran-survival r-cran-forecast r-cran-nlme python3
      odbc-postgresql unixodbc python3-pyodbc nodejs chromium poppler-utils
      dpkg-dev debhelper postgresql-server-dev-all)
# the client tests (test/clients) need npm; a nodejs from NodeSource brings
# its own, which Debian's npm package would conflict with
command -v npm >/dev/null || pkgs+=(npm)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "actionplan: installing ${missing[*]}"
if [ "$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else
	echo "actionplan: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
