#!/usr/bin/env bash
# Stops a cluster started by tools/pg-start.sh and deletes its folder.
#   bash tools/pg-stop.sh "$SHOPIFYREFERRAL_PG_DIR"
set -uo pipefail
dir=${1:?usage: pg-stop.sh <folder printed by pg-start.sh>}
[[ -f "$dir/data/PG_VERSION" ]] || { echo "$dir is not a cluster started by pg-start.sh" >&2; exit 1; }
bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
as=()
[[ $(id -u) -eq 0 ]] && as=(runuser -u "$(stat -c %U "$dir/data")" --)
"${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 \
  || "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
rm -rf "$dir"
