-- wrk script for bench/mixed.sh: signed orders/paid webhooks at a fixed rate, each a distinct order.
--
-- Environment (set by mixed.sh):
--   BENCH_TEMPLATE  the orders/paid body with placeholders @OID@ @NUM@ @CID@ @EMAIL@ @IP@ @CODE@ (mixed.sh makes it
--                   from bench/orders-paid-4k.json)
--   BENCH_GUEST_TEMPLATE  the same as a guest checkout ("customer": null); BENCH_CUSTOMER_PCT of 100 orders have a
--                   customer (default 100), the others are guests
--   BENCH_CODES     a file with one referral code per line: the referrers seeded in the app's database
--   BENCH_SECRET    the app's client secret: every body differs, so each request is signed here (libcrypto's HMAC)
--   BENCH_RATE      requests per second over all threads; BENCH_DURATION seconds of load
--   BENCH_CONNECTIONS, BENCH_THREADS  the same numbers as wrk's -c and -t; BENCH_HOST host:port for the Host header
--
-- Order i (0, 1, 2, ... over all threads) has its own order id, order number, customer id, email and webhook id,
-- uses code i mod K and comes from IP 10.x.y.z chosen by i mod 65521, so two orders of one referrer from one IP in a
-- day (the velocity rule's limit is 2) are rare but not impossible.
--
-- Fixed rate: thread t's k-th request is due at t_start + k / (RATE / THREADS); delay() reserves the next slot and
-- returns the milliseconds until it (0 when behind). After BENCH_DURATION each connection parks once its answer is
-- in and the thread stops when all are parked (bench/wrk-common.lua), so every request sent is also counted.
-- wrk's latency is from writing the request to its answer (no queueing at the client, which the lag figure shows).
--
-- Output: one line  BENCH sent=… ok=… other=… duration_s=… sent_per_s=… accepted_per_s=… p50_ms=… p99_ms=… …

local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk-common.lua")
local now, read_file = common.now, common.read_file

local ffi = require("ffi")
ffi.cdef [[
  typedef struct evp_md_st EVP_MD;
  const EVP_MD *EVP_sha256(void);
  unsigned char *HMAC(const EVP_MD *evp_md, const void *key, int key_len,
                      const unsigned char *d, size_t n, unsigned char *md, unsigned int *md_len);
]]
local ok_load, crypto = pcall(ffi.load, "libcrypto.so.3")
if not ok_load then crypto = ffi.load("crypto") end

local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local b64 = {}
for i = 1, 64 do b64[i - 1] = b64chars:sub(i, i) end
local md = ffi.new("unsigned char[32]")
local md_len = ffi.new("unsigned int[1]")
local secret

-- base64(HMAC-SHA256(secret, body)): 32 bytes, ten 3-byte groups and a last one of 2 bytes.
local function sign(body)
  crypto.HMAC(crypto.EVP_sha256(), secret, #secret, body, #body, md, md_len)
  local out = {}
  for i = 0, 29, 3 do
    local n = md[i] * 65536 + md[i + 1] * 256 + md[i + 2]
    out[#out + 1] = b64[math.floor(n / 262144)] .. b64[math.floor(n / 4096) % 64] .. b64[math.floor(n / 64) % 64] .. b64[n % 64]
  end
  local n = md[30] * 65536 + md[31] * 256
  out[#out + 1] = b64[math.floor(n / 262144)] .. b64[math.floor(n / 4096) % 64] .. b64[math.floor(n / 64) % 64] .. "="
  return table.concat(out)
end

-- Per-thread state (each wrk thread has its own Lua environment).
local customer_template, guest_template, customer_pct, codes, host, nthreads, interval, deadline
late, max_lag_ms = 0, 0
local scheduled = 0
local reserved = 0 -- slots delay() reserved whose request() has not run yet
local stopping = false

-- A template split at its placeholders once: pieces[1] slots[1] pieces[2] slots[2] ... pieces[n].
local function split(template)
  local pieces, slots, pos = {}, {}, 1
  while true do
    local s, e, name = template:find("@(%u+)@", pos)
    if not s then break end
    pieces[#pieces + 1] = template:sub(pos, s - 1)
    slots[#slots + 1] = name
    pos = e + 1
  end
  pieces[#pieces + 1] = template:sub(pos)
  return { pieces = pieces, slots = slots }
end

function init(args)
  secret = assert(os.getenv("BENCH_SECRET"), "BENCH_SECRET not set")
  host = assert(os.getenv("BENCH_HOST"), "BENCH_HOST not set")
  nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
  per_thread = math.floor(tonumber(os.getenv("BENCH_CONNECTIONS") or "64") / nthreads)
  interval = nthreads / tonumber(os.getenv("BENCH_RATE") or "2000")
  codes = {}
  for line in read_file(assert(os.getenv("BENCH_CODES"), "BENCH_CODES not set")):gmatch("[^\r\n]+") do codes[#codes + 1] = line end
  assert(#codes > 0, "no codes in BENCH_CODES")
  customer_template = split(read_file(assert(os.getenv("BENCH_TEMPLATE"), "BENCH_TEMPLATE not set")))
  guest_template = split(read_file(assert(os.getenv("BENCH_GUEST_TEMPLATE"), "BENCH_GUEST_TEMPLATE not set")))
  customer_pct = tonumber(os.getenv("BENCH_CUSTOMER_PCT") or "100")
  -- wrk checks the script by calling request() once in the first thread before the run; that request is never sent,
  -- so the slot it takes is one before the first.
  if thread_id == 1 then scheduled = -1 end
  t_start = now()
  deadline = t_start + tonumber(os.getenv("BENCH_DURATION") or "60")
end

function delay()
  local t = now()
  if stopping or t >= deadline then
    stopping = true
    return common.park()
  end
  local due = t_start + scheduled * interval
  if due >= deadline then -- the load ends with the last slot before the deadline, not a connection's worth after it
    stopping = true
    return common.park()
  end
  scheduled = scheduled + 1
  reserved = reserved + 1
  if due <= t then
    local lag = (t - due) * 1000
    if lag > 1 then late = late + 1 end
    if lag > max_lag_ms then max_lag_ms = lag end
    return 0
  end
  return math.floor((due - t) * 1000 + 0.5)
end

local values = {}
function request()
  -- wrk sends a connection's first request (and one after a reconnect) without asking delay(): it takes the next
  -- slot here, so the slots over the run are exactly the requests sent and the start is a burst of one slot each.
  if reserved > 0 then reserved = reserved - 1 else scheduled = scheduled + 1 end
  -- The i-th order over all threads: thread t sends i = t-1, t-1+T, t-1+2T, ...
  local i = (thread_id - 1) + nthreads * sent
  sent = sent + 1
  local guest = i % 100 >= customer_pct
  local ipn = i % 65521
  values.OID = tostring(6500000000000 + i)
  values.NUM = tostring(100000 + i)
  values.CID = tostring(8800000000000 + i)
  values.EMAIL = "friend" .. i .. "@example.com"
  values.IP = "10." .. math.floor(ipn / 65536) % 256 .. "." .. math.floor(ipn / 256) % 256 .. "." .. ipn % 256
  values.CODE = codes[i % #codes + 1]
  local t = guest and guest_template or customer_template
  local parts = {}
  for k = 1, #t.slots do
    parts[#parts + 1] = t.pieces[k]
    parts[#parts + 1] = values[t.slots[k]]
  end
  parts[#parts + 1] = t.pieces[#t.pieces]
  local body = table.concat(parts)
  return "POST /webhooks HTTP/1.1\r\nHost: " .. host .. "\r\nContent-Type: application/json\r\n" ..
    "Content-Length: " .. #body .. "\r\n" ..
    "X-Shopify-Topic: orders/paid\r\nX-Shopify-Shop-Domain: bench-shop.myshopify.com\r\nX-Shopify-API-Version: 2026-10\r\n" ..
    "X-Shopify-Hmac-Sha256: " .. sign(body) .. "\r\n" ..
    "X-Shopify-Webhook-Id: mixed-" .. values.OID .. "\r\nX-Shopify-Event-Id: evt-mixed-" .. values.OID .. "\r\n" ..
    "X-Shopify-Triggered-At: " .. os.date("!%Y-%m-%dT%H:%M:%S") .. ".000000000Z\r\n\r\n" .. body
end

function done(summary, latency, requests)
  local t = common.totals({ "late" })
  local lag = 0
  for _, th in ipairs(t.threads) do lag = math.max(lag, th:get("max_lag_ms")) end
  local lat, errors = common.latency_fields(summary, latency)
  io.write(string.format(
    "BENCH sent=%d ok=%d other=%d duration_s=%.3f sent_per_s=%.0f accepted_per_s=%.0f %s unanswered=%d late=%d max_lag_ms=%.0f %s statuses=%s\n",
    t.sent, t.ok, t.other, t.duration, t.sent / t.duration, t.ok / t.duration, lat,
    t.sent - t.ok - t.other, t.late, lag, errors, t.statuses))
end
