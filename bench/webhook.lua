-- wrk script for bench/intake.sh: signed Shopify orders/paid webhooks, a fresh webhook id each.
--
-- Environment (set by intake.sh):
--   BENCH_BODY      path of the JSON body (bench/orders-paid-4k.json)
--   BENCH_HMAC      base64 HMAC-SHA256 of the body bytes with the app's client secret
--   BENCH_RUN       a prefix unique to this run, so ids never repeat across runs on one DB
--   BENCH_DURATION  seconds of load; wrk's own -d must be a few seconds longer (hard cap)
--   BENCH_CONNECTIONS, BENCH_THREADS  the same numbers as wrk's -c and -t
--
-- Why not just wrk -d: wrk stops with up to one request per connection still in flight, and
-- the server may commit those rows although the client never counts their 200. Then
-- "rows == 200s" would be off by up to the connection count. Instead, after BENCH_DURATION each
-- connection stops sending (delay() parks it) and every thread stops itself once all of its
-- webhooks have been answered, so every request sent is also counted. Rate and duration are
-- measured here with a monotonic clock (wrk's own duration includes its hard-cap sleep).
--
-- Output: wrk's usual report, then one line
--   BENCH sent=… ok=… other=… duration_s=… accepted_per_s=… p50_ms=… p99_ms=… …
-- that intake.sh parses.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- Per-thread state (each wrk thread has its own Lua environment).
local body, hmac, run, deadline
local req_prefix, req_suffix
local counter = 0
sent, ok, other, statuses, t_start, t_end, parked = 0, 0, 0, "", 0, 0, 0
local per_thread
local status_counts = {}
local stopping = false

local function read_body(path)
  local f = assert(io.open(path, "rb"), "cannot open BENCH_BODY " .. tostring(path))
  local s = f:read("*a")
  f:close()
  return s
end

function init(args)
  body = read_body(os.getenv("BENCH_BODY") or "orders-paid-4k.json")
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

-- After the deadline each connection parks in delay() once its last answer is in (wrk calls
-- delay() before every request, i.e. right after the previous response). When all of this
-- thread's connections are parked, nothing is in flight and the thread stops itself.
local function finish()
  t_end = now()
  local parts = {}
  for code, n in pairs(status_counts) do parts[#parts + 1] = code .. ":" .. n end
  statuses = table.concat(parts, ",")
  wrk.thread:stop()
end

local calls = 0
function delay()
  if stopping then
    parked = parked + 1
    if parked == per_thread then finish() end
    return 3600000 -- park this connection until the thread stops
  end
  calls = calls + 1
  if calls % 16 == 0 and now() >= deadline then -- the clock is read on every 16th request only
    stopping = true
    parked = parked + 1
    if parked == per_thread then finish() end
    return 3600000
  end
  return 0
end

function request()
  counter = counter + 1
  sent = sent + 1
  return req_prefix .. counter .. req_suffix
end

function response(status, headers, resp_body)
  if status == 200 then
    ok = ok + 1
  else
    other = other + 1
    status_counts[status] = (status_counts[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total_sent, total_ok, total_other = 0, 0, 0
  local first, last = nil, 0
  local codes = {}
  for _, t in ipairs(threads) do
    total_sent = total_sent + t:get("sent")
    total_ok = total_ok + t:get("ok")
    total_other = total_other + t:get("other")
    local s, e = t:get("t_start"), t:get("t_end")
    if first == nil or s < first then first = s end
    if e == 0 then e = now() end -- thread hit wrk's hard cap (lost or hung connections)
    if e > last then last = e end
    local st = t:get("statuses")
    if st ~= nil and st ~= "" then codes[#codes + 1] = st end
  end
  -- wrk calls request() once on the first thread to verify the script; that one is never sent.
  total_sent = total_sent - 1
  local duration = last - first
  local e = summary.errors
  io.write(string.format(
    "BENCH sent=%d ok=%d other=%d duration_s=%.3f accepted_per_s=%.0f completed_per_s=%.0f " ..
    "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f unanswered=%d " ..
    "connect_err=%d read_err=%d write_err=%d timeouts=%d statuses=%s\n",
    total_sent, total_ok, total_other, duration, total_ok / duration,
    (total_ok + total_other) / duration,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, total_sent - total_ok - total_other,
    e.connect, e.read, e.write, e.timeout,
    (#codes > 0) and table.concat(codes, ",") or "-"))
end
