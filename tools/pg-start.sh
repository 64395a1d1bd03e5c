#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster (for the tests, or to try the app on PostgreSQL) and prints two export
# lines: the cluster's folder and a connection string to it. Nothing listens on the network: the server takes
# connections on a unix socket inside the folder only, with trust authentication for its one user.
#   eval "$(bash tools/pg-start.sh)"              # SHOPIFYREFERRAL_PG_DIR, SHOPIFYREFERRAL_POSTGRES
#   bash tools/pg-stop.sh "$SHOPIFYREFERRAL_PG_DIR"
# It is a scratch server: fsync is off (fast CREATE DATABASE per test); never keep data in it.
set -euo pipefail

bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
  exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/shopifyreferral-pg.XXXXXX")
chmod 755 "$dir"
as=()
if [[ $(id -u) -eq 0 ]]; then
  # initdb refuses to run as root: the cluster belongs to an unprivileged user.
  owner=postgres
  id -u "$owner" >/dev/null 2>&1 || owner=nobody
  chown "$owner" "$dir"
  as=(runuser -u "$owner" --)
fi

if ! "${as[@]}" "$bindir/initdb" -D "$dir/data" -U shopifyreferral --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2
  exit 1
fi
options="-k $dir -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
if ! "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$options" start >/dev/null; then
  cat "$dir/server.log" >&2
  exit 1
fi

echo "export SHOPIFYREFERRAL_PG_DIR='$dir'"
echo "export SHOPIFYREFERRAL_POSTGRES='Host=$dir;Username=shopifyreferral;Database=postgres'"
