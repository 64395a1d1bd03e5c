#!/usr/bin/env bash
# Crash check for the webhook intake: the app (Release, SQLite, workers on) takes signed ~4 KB
# orders/paid webhooks over CONNECTIONS connections from bench/ackclient.py, which records every
# webhook id that got a 200. Mid-run the app gets SIGKILL. Then every acked id must be a row in
# webhook_inbox: a 200 is a promise that the row is committed. All traffic goes to 127.0.0.1 only.
#
# Usage: bench/sigkill.sh           (from anywhere)
# Settings (environment):
#   ROUNDS=3         start, load, kill, check this many times (a fresh database each round)
#   KILL_AFTER=3     seconds of load before the kill; each round adds a random 0-999 ms
#   CONNECTIONS=64   concurrent connections
#   APP_PORT=5303    SKIP_BUILD=1 uses the existing Release build
#   WORK=/path       where logs, id lists and the databases go (default: a new /tmp/bench-sigkill.*)
# Prints per round: acked N, present N, lost N (+ ids in flight at the kill and how many of those were
# stored, which may be any number). Exit: 0 nothing lost; 1 an acked id is missing or the database
# failed its integrity check; 2 setup error.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROUNDS=${ROUNDS:-3}
KILL_AFTER=${KILL_AFTER:-3}
CONNECTIONS=${CONNECTIONS:-64}
APP_PORT=${APP_PORT:-5303}
WORK=${WORK:-$(mktemp -d /tmp/bench-sigkill.XXXXXX)}
mkdir -p "$WORK"
trap cleanup_started EXIT

need_tool sqlite3 sqlite3
need_tool curl curl
need_tool python3 python3

if [ "${SKIP_BUILD:-0}" != 1 ]; then build_release "$REPO_ROOT/src/ShopifyReferral/ShopifyReferral.csproj"; fi

# count_present DB FILE: how many ids listed in FILE are webhook_id values in the inbox.
count_present() {
  sqlite3 -cmd ".timeout 10000" "$1" <<SQL
CREATE TEMP TABLE ids (webhook_id TEXT PRIMARY KEY);
.mode csv
.import '$2' ids
SELECT COUNT(*) FROM ids WHERE webhook_id IN (SELECT webhook_id FROM webhook_inbox);
SQL
}

status=0
total_acked=0 total_lost=0
for round in $(seq 1 "$ROUNDS"); do
  db="$WORK/round$round.db" acked="$WORK/round$round.acked" inflight="$WORK/round$round.inflight"
  rm -f "$db" "$db-wal" "$db-shm"
  start_app "$APP_PORT" "$db" "$WORK/round$round.app.log"
  wait_http "http://127.0.0.1:$APP_PORT/health" 60
  kill_ms=$((KILL_AFTER * 1000 + RANDOM % 1000))
  python3 "$BENCH_DIR/ackclient.py" --port "$APP_PORT" --body "$BODY_FILE" --secret "$CLIENT_SECRET" \
    --run "kill$round-$(date +%s%N)" --connections "$CONNECTIONS" --seconds $((KILL_AFTER + 10)) \
    --acked "$acked" --inflight "$inflight" > "$WORK/round$round.client.txt" 2>&1 &
  client=$!
  sleep "$(awk -v ms="$kill_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
  kill -KILL "$APP_PID"
  wait "$APP_PID" 2>/dev/null || true
  wait "$client" || { cat "$WORK/round$round.client.txt" >&2; die "client failed in round $round"; }
  client_line=$(grep '^CLIENT ' "$WORK/round$round.client.txt")
  # The killed app left its WAL behind: sqlite3 recovers it on open, as the next app start would.
  n_acked=$(wc -l < "$acked")
  n_present=$(count_present "$db" "$acked")
  n_inflight=$(wc -l < "$inflight")
  n_inflight_stored=$(count_present "$db" "$inflight")
  rows=$(inbox_rows "$db")
  integrity=$(sqlite3 "$db" "PRAGMA integrity_check")
  lost=$((n_acked - n_present))
  echo "round $round: killed after ${kill_ms} ms; $client_line"
  echo "round $round: acked $n_acked, present $n_present, lost $lost;" \
       "in flight at kill $n_inflight (stored $n_inflight_stored); inbox rows $rows; integrity $integrity"
  total_acked=$((total_acked + n_acked)) total_lost=$((total_lost + lost))
  if [ "$lost" != 0 ] || [ "$integrity" != ok ]; then status=1; fi
  if [ "$n_acked" = 0 ]; then echo "round $round: WARNING no request was acked before the kill"; fi
done
echo "sigkill: $ROUNDS rounds, acked $total_acked, present $((total_acked - total_lost)), lost $total_lost"
echo "details: $WORK"
exit "$status"
