-- What bench/webhook.lua and bench/mixed.lua share: the clock, reading a file, wrk's thread bookkeeping, the
-- counting of answers, the end of a run in which every request sent is also counted, and the totals for done().
-- Loaded with dofile() from the script's own folder; it defines wrk's setup() and response() for them.
--
-- Why not just wrk -d: wrk stops with up to one request per connection still in flight, and the server may commit
-- those rows although the client never counts their 200; "rows == 200s" would then be off by up to the connection
-- count. Instead, after the deadline each connection parks in delay() once its answer is in (park()), and a thread
-- stops itself when all of its connections are parked. Rate and duration are measured here with a monotonic clock
-- (wrk's own duration includes its hard-cap sleep).

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local M = {}

function M.now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

function M.read_file(path)
  local f = assert(io.open(path, "rb"), "cannot open " .. tostring(path))
  local s = f:read("*a")
  f:close()
  return s
end

-- Per-thread counters are globals: done() reads each thread's with thread:get (each thread has its own Lua state).
sent, ok, other, statuses, t_start, t_end, parked, per_thread = 0, 0, 0, "", 0, 0, 0, 1
local status_counts = {}
local threads = {}
local next_id = 1

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function response(status, headers, resp_body)
  if status == 200 then
    ok = ok + 1
  else
    other = other + 1
    status_counts[status] = (status_counts[status] or 0) + 1
  end
end

-- Parks the connection that asks (the delay in ms to return); the last one of the thread's stops the thread.
function M.park()
  parked = parked + 1
  if parked == per_thread then
    t_end = M.now()
    local parts = {}
    for code, n in pairs(status_counts) do parts[#parts + 1] = code .. ":" .. n end
    statuses = table.concat(parts, ",")
    wrk.thread:stop()
  end
  return 3600000
end

-- Sums over the threads, for done(): sent, ok, other, duration, statuses, and each extra counter named.
function M.totals(extra)
  local t = { sent = 0, ok = 0, other = 0 }
  local first, last, codes = nil, 0, {}
  for _, name in ipairs(extra or {}) do t[name] = 0 end
  for _, th in ipairs(threads) do
    for _, name in ipairs({ "sent", "ok", "other", unpack(extra or {}) }) do t[name] = t[name] + th:get(name) end
    local s, e = th:get("t_start"), th:get("t_end")
    if first == nil or s < first then first = s end
    if e == 0 then e = M.now() end -- the thread hit wrk's hard cap (lost or hung connections)
    if e > last then last = e end
    local st = th:get("statuses")
    if st ~= nil and st ~= "" then codes[#codes + 1] = st end
  end
  t.sent = t.sent - 1 -- wrk calls request() once on the first thread to check the script; that one is never sent
  t.duration = last - first
  t.statuses = (#codes > 0) and table.concat(codes, ",") or "-"
  t.threads = threads
  return t
end

-- The latency and error part of the BENCH line, the same in both scripts.
function M.latency_fields(summary, latency)
  local e = summary.errors
  return string.format("p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f",
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000),
    string.format("connect_err=%d read_err=%d write_err=%d timeouts=%d", e.connect, e.read, e.write, e.timeout)
end

return M
