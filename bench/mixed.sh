#!/usr/bin/env bash
# Mixed load: the real app (Release, SQLite, Database:Synchronous=FULL, its workers on) takes signed orders/paid
# webhooks at a fixed RATE for DURATION seconds and judges them while they come. Every request is its own order
# (order id, number, customer, email, webhook id) with the code of one of REFERRERS seeded referrers and a browser
# IP out of 65,521, so each one makes a referral that goes through every fraud rule, the "friend is new" rule
# asking the Admin API (a sandbox store on 127.0.0.1, bench/EngineBench mixed-store) for the customer's order count.
# After the load it waits until the inbox has nothing pending, then prints the intake figures, the time from the
# 200 to the referral's judgement, the app's peak RSS and the load average. All traffic stays on 127.0.0.1.
#
# Usage: bench/mixed.sh            (from anywhere)
# Settings (environment):
#   DURATION=60  RATE=2000   seconds of load, requests per second (over all wrk threads)
#   CONNECTIONS=64 THREADS=2 wrk's -c and -t
#   REFERRERS=5000           referrers seeded (orders use their codes in turn)
#   CUSTOMER_PCT=100         percent of orders placed with a customer account (the rest are guest checkouts);
#                            only those ask the Admin API whether the friend is new, and run one row at a time
#   DRAIN_TIMEOUT=600        seconds to wait after the load for the inbox to empty
#   APP_PORT=5312 STORE_PORT=5313
#   BENCH_STORE_RESTORE=20000  the store's Admin API bucket restore rate, points/s (a Plus shop has 1000)
#   SKIP_BUILD=1             use the existing Release builds
#   WORK=/path               logs, wrk output and bench.db (default: a new /tmp/bench-mixed.*)
# Exit: 0 ok; 1 a check failed (rows != 200s, unanswered or non-200 requests, a delivery not done or not judged,
#       the inbox not drained in time); 2 setup error.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=${DURATION:-60}
RATE=${RATE:-2000}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
REFERRERS=${REFERRERS:-5000}
CUSTOMER_PCT=${CUSTOMER_PCT:-100}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-600}
APP_PORT=${APP_PORT:-5312}
STORE_PORT=${STORE_PORT:-5313}
WORK=${WORK:-$(mktemp -d /tmp/bench-mixed.XXXXXX)}
mkdir -p "$WORK"
DB="$WORK/bench.db"
STORE_DLL="$BENCH_DIR/EngineBench/bin/Release/net10.0/EngineBench.dll"
trap cleanup_started EXIT

need_tool wrk wrk
need_tool sqlite3 sqlite3
need_tool curl curl
need_tool jq jq

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  build_release "$REPO_ROOT/src/ShopifyReferral/ShopifyReferral.csproj" "$BENCH_DIR/EngineBench/EngineBench.csproj"
fi
sql() { sqlite3 -cmd ".timeout 10000" "$DB" "$@"; }

# The body: bench/orders-paid-4k.json with placeholders that mixed.lua fills per request. Numbers lose their quotes.
jq -c '.id = "@OID@" | .admin_graphql_api_id = "gid://shopify/Order/@OID@" | .name = "#@NUM@"
  | .number = "@NUM@" | .order_number = "@NUM@" | .email = "@EMAIL@" | .contact_email = "@EMAIL@"
  | .browser_ip = "@IP@" | .customer.id = "@CID@" | .customer.email = "@EMAIL@"
  | .discount_codes[0].code = "@CODE@" | .landing_site = "/?ref=@CODE@" | .note_attributes[0].value = "@CODE@"' \
  "$BODY_FILE" > "$WORK/template.raw.json"
sed -E 's/"@(OID|NUM|CID)@"/@\1@/g' "$WORK/template.raw.json" > "$WORK/template.json"
# A guest checkout: no customer, so "is the friend new" is answered from the database alone (no Admin API call).
jq -c '.customer = null' "$WORK/template.raw.json" | sed -E 's/"@(OID|NUM|CID)@"/@\1@/g' > "$WORK/guest.json"

# 1. The store, which seeds the database first (not measured, so without an fsync per commit) and then serves.
rm -f "$DB" "$DB-wal" "$DB-shm"
log "seeding $REFERRERS referrers into $DB and starting the sandbox store on 127.0.0.1:$STORE_PORT"
BENCH_SYNCHRONOUS=NORMAL dotnet "$STORE_DLL" mixed-store "$DB" "$REFERRERS" "$WORK/codes.txt" "$STORE_PORT" \
  "http://127.0.0.1:$APP_PORT" > "$WORK/store.log" 2>&1 &
STORE_PID=$!
STARTED_PIDS+=("$STORE_PID")
for _ in $(seq 1 600); do
  grep -q '^ready$' "$WORK/store.log" && break
  kill -0 "$STORE_PID" 2>/dev/null || { cat "$WORK/store.log" >&2; die "the store exited while seeding"; }
  sleep 0.5
done
grep -q '^ready$' "$WORK/store.log" || die "the store did not seed within 300 s (see $WORK/store.log)"
grep '^seeded' "$WORK/store.log" >&2

# 2. The app, pointed at the store for the Admin API, and its RSS sampled from its start.
export Shopify__AdminBaseUrl="http://127.0.0.1:$STORE_PORT/{shop}" Database__Synchronous=FULL
start_app "$APP_PORT" "$DB" "$WORK/app.log"
start_rss_sampler "$APP_PID" "$WORK/rss.txt"
wait_http "http://127.0.0.1:$APP_PORT/health" 60

# 3. The load.
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
log "load: $RATE/s for ${DURATION}s, $CONNECTIONS connections, wrk -t$THREADS (load average $LOAD_START)"
cap=$((DURATION + 5))
BENCH_TEMPLATE="$WORK/template.json" BENCH_GUEST_TEMPLATE="$WORK/guest.json" BENCH_CUSTOMER_PCT="$CUSTOMER_PCT" BENCH_CODES="$WORK/codes.txt" BENCH_SECRET="$CLIENT_SECRET" \
BENCH_RATE="$RATE" BENCH_DURATION="$DURATION" BENCH_CONNECTIONS="$CONNECTIONS" BENCH_THREADS="$THREADS" \
BENCH_HOST="127.0.0.1:$APP_PORT" \
  timeout $((cap + 30)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${cap}s" --latency -s "$BENCH_DIR/mixed.lua" \
    "http://127.0.0.1:$APP_PORT/webhooks" > "$WORK/wrk.txt" 2>&1 || { cat "$WORK/wrk.txt" >&2; die "wrk failed"; }
STOPPED_NS=$(date +%s%N)
LINE=$(grep '^BENCH ' "$WORK/wrk.txt") || { cat "$WORK/wrk.txt" >&2; die "no BENCH line from wrk"; }
LOAD_STOPPED=$SECONDS
LOAD_AT_STOP=$(cut -d' ' -f1 /proc/loadavg)
PENDING_AT_STOP=$(sql "select count(*) from webhook_inbox where status in ('pending', 'processing')")
log "$LINE"

# 4. The drain: until no row waits (a row waiting for a retry counts as waiting), bounded.
log "draining: $PENDING_AT_STOP deliveries waiting when the load stopped"
drained=""
while [ $((SECONDS - LOAD_STOPPED)) -lt "$DRAIN_TIMEOUT" ]; do
  if [ "$(sql "select count(*) from webhook_inbox where status in ('pending', 'processing')")" = 0 ]; then
    drained=$(awk -v a="$STOPPED_NS" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'); break
  fi
  sleep 0.2
done
LOAD_END=$(cut -d' ' -f1 /proc/loadavg)
stop_pid "$RSS_PID"
stop_pid "$APP_PID"
stop_pid "$STORE_PID"
# What the report needs besides the database, kept with the run.
declare -p LINE LOAD_START LOAD_AT_STOP LOAD_END PENDING_AT_STOP drained > "$WORK/run.env"
source "$BENCH_DIR/mixed-report.sh"
