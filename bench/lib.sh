# Shared helpers for bench/intake.sh, bench/sigkill.sh and bench/mixed.sh. Source it; do not run it.
# Every server started here listens on 127.0.0.1 only, and every wait is bounded in time.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
APP_DLL="$REPO_ROOT/src/ShopifyReferral/bin/Release/net10.0/ShopifyReferral.dll"
BARE_DLL="$BENCH_DIR/BareKestrel/bin/Release/net10.0/BareKestrel.dll"
BODY_FILE="$BENCH_DIR/orders-paid-4k.json"
CLIENT_SECRET="bench-secret"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 2; }

# need_tool CMD PACKAGE: install a Debian package if its command is missing (apt-get update once).
_apt_updated=0
need_tool() {
  command -v "$1" >/dev/null 2>&1 && return 0
  log "$1 not found; installing Debian package $2"
  if [ "$_apt_updated" = 0 ]; then apt-get update -qq >/dev/null; _apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  command -v "$1" >/dev/null 2>&1 || die "could not install $2"
}

# body_hmac FILE: base64 HMAC-SHA256 of the file's bytes with the bench client secret.
body_hmac() {
  openssl dgst -sha256 -hmac "$CLIENT_SECRET" -binary < "$1" | base64 -w0
}

build_release() {
  log "building $* (Release)"
  local p
  for p in "$@"; do
    dotnet build -c Release --nologo -v quiet "$p" > "$WORK/build.log" 2>&1 \
      || { tail -30 "$WORK/build.log" >&2; die "build failed: $p"; }
  done
}

# wait_http URL SECONDS: wait until URL answers 200; fails after SECONDS.
wait_http() {
  local url=$1 limit=$2 end=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$end" ]; do
    if [ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "$url" || true)" = 200 ]; then return 0; fi
    sleep 0.2
  done
  die "$url did not answer 200 within ${limit}s"
}

# start_app PORT DB LOGFILE: starts the real app in the background; sets APP_PID. The working
# directory is the repository root, the app's content root, so it reads the root appsettings.json;
# the environment below overrides what the bench needs (exec keeps APP_PID the dotnet process).
start_app() {
  local port=$1 db=$2 logfile=$3
  [ -f "$APP_DLL" ] || die "app not built: $APP_DLL"
  (
    cd "$REPO_ROOT" || exit 2
    export Shopify__ClientId=bench Shopify__ClientSecret="$CLIENT_SECRET" \
      Shopify__AppUrl="http://127.0.0.1:$port" ConnectionStrings__Referral="Data Source=$db" \
      Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production
    exec dotnet "$APP_DLL" --urls "http://127.0.0.1:$port"
  ) > "$logfile" 2>&1 &
  APP_PID=$!
  STARTED_PIDS+=("$APP_PID")
}

# start_bare PORT LOGFILE: starts BareKestrel in the background; sets BARE_PID.
start_bare() {
  local port=$1 logfile=$2
  dotnet "$BARE_DLL" --urls "http://127.0.0.1:$port" > "$logfile" 2>&1 &
  BARE_PID=$!
  STARTED_PIDS+=("$BARE_PID")
}

# stop_pid PID: SIGTERM, wait up to 10 s, then SIGKILL.
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

STARTED_PIDS=()
cleanup_started() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
}

# inbox_rows DB [WHERE]: row count of webhook_inbox.
inbox_rows() {
  sqlite3 -cmd ".timeout 10000" "$1" "select count(*) from webhook_inbox ${2:-}"
}

# start_rss_sampler PID FILE: appends PID's VmRSS (kB) to FILE every 0.5 s while it lives; sets RSS_PID.
start_rss_sampler() {
  local pid=$1 file=$2
  : > "$file"
  (
    while [ -r "/proc/$pid/status" ]; do
      awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true
      sleep 0.5
    done
  ) >> "$file" &
  RSS_PID=$!
  STARTED_PIDS+=("$RSS_PID")
}

# rss_max_mb FILE: the largest sample in FILE, in MB (1 MB = 1024 kB).
rss_max_mb() {
  awk 'BEGIN { m = 0 } $1 > m { m = $1 } END { printf "%.0f", m / 1024 }' "$1"
}
