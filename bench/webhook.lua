-- wrk script for bench/intake.sh: signed Shopify orders/paid webhooks, a fresh webhook id each.
--
-- Environment (set by intake.sh):
--   BENCH_BODY      path of the JSON body (bench/orders-paid-4k.json)
--   BENCH_HMAC      base64 HMAC-SHA256 of the body bytes with the app's client secret
--   BENCH_RUN       a prefix unique to this run, so ids never repeat across runs on one DB
--   BENCH_DURATION  seconds of load; wrk's own -d must be a few seconds longer (hard cap)
--   BENCH_CONNECTIONS, BENCH_THREADS  the same numbers as wrk's -c and -t
--
-- After BENCH_DURATION every connection parks once its answer is in (bench/wrk-common.lua), so every request sent is
-- also counted.
--
-- Output: wrk's usual report, then one line
--   BENCH sent=… ok=… other=… duration_s=… accepted_per_s=… p50_ms=… p99_ms=… …
-- that intake.sh parses.

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk-common.lua")
local now = common.now

-- Per-thread state (each wrk thread has its own Lua environment).
local body, hmac, run, deadline
local req_prefix, req_suffix
local counter = 0
local stopping = false

function init(args)
  body = common.read_file(os.getenv("BENCH_BODY") or "orders-paid-4k.json")
  hmac = assert(os.getenv("BENCH_HMAC"), "BENCH_HMAC not set")
  run = os.getenv("BENCH_RUN") or tostring(os.time())
  t_start = now()
  -- wrk gives each thread connections / threads connections.
  per_thread = math.floor(tonumber(os.getenv("BENCH_CONNECTIONS") or "64") / tonumber(os.getenv("BENCH_THREADS") or "2"))
  deadline = t_start + tonumber(os.getenv("BENCH_DURATION") or "10")
  wrk.method = "POST"
  wrk.path = "/webhooks"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Shopify-Topic"] = "orders/paid"
  wrk.headers["X-Shopify-Shop-Domain"] = "bench-shop.myshopify.com"
  wrk.headers["X-Shopify-API-Version"] = "2026-10"
  wrk.headers["X-Shopify-Hmac-Sha256"] = hmac
  -- Format the request once with a placeholder id and split it there; request() then only
  -- glues prefix .. id .. suffix, which keeps the load generator cheap on a shared 2-core box.
  wrk.headers["X-Shopify-Webhook-Id"] = "@@WEBHOOK_ID@@"
  local template = wrk.format()
  local at = assert(template:find("@@WEBHOOK_ID@@", 1, true), "placeholder not found")
  req_prefix = template:sub(1, at - 1) .. run .. "-" .. thread_id .. "-"
  req_suffix = template:sub(at + #"@@WEBHOOK_ID@@")
end

local calls = 0
function delay()
  if stopping then return common.park() end
  calls = calls + 1
  if calls % 16 == 0 and now() >= deadline then -- the clock is read on every 16th request only
    stopping = true
    return common.park()
  end
  return 0
end

function request()
  counter = counter + 1
  sent = sent + 1
  return req_prefix .. counter .. req_suffix
end

function done(summary, latency, requests)
  local t = common.totals()
  local lat, errors = common.latency_fields(summary, latency)
  io.write(string.format(
    "BENCH sent=%d ok=%d other=%d duration_s=%.3f accepted_per_s=%.0f completed_per_s=%.0f %s unanswered=%d %s statuses=%s\n",
    t.sent, t.ok, t.other, t.duration, t.ok / t.duration, (t.ok + t.other) / t.duration, lat,
    t.sent - t.ok - t.other, errors, t.statuses))
end
