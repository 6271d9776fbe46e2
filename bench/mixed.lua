-- wrk script for the mixed load (issue #13 item 5): a weighted mix of reads and writes by several personas.
--
-- The requests come from a Lua file written by bench/run.py (BENCH_MIXED_CONFIG): a list of
-- {kind, weight, method, paths, headers, body}. Each request picks a kind by weight and one of its paths.
-- To tell which kind a response answers, run it with as many threads as connections (-tN -cN): each
-- thread then has one connection and one request in flight, the kind it last sent.
-- Counts are per thread (wrk gives each thread its own Lua state) in flat tables keyed "kind status",
-- summed in done() through the thread objects kept by setup().

local threads = {}
local kinds = dofile(os.getenv("BENCH_MIXED_CONFIG"))

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

local total_weight = 0
for _, kind in ipairs(kinds) do total_weight = total_weight + kind.weight end

function init(args)
  counts = {}   -- "kind status" -> responses, and "kind sent" -> requests, in this thread
  pending = nil
  math.randomseed(os.time() * 100 + thread_number)
end

local function pick()
  local r = math.random() * total_weight
  for _, kind in ipairs(kinds) do
    r = r - kind.weight
    if r <= 0 then return kind end
  end
  return kinds[#kinds]
end

local function bump(key)
  counts[key] = (counts[key] or 0) + 1
end

function request()
  local kind = pick()
  pending = kind.kind
  bump(kind.kind .. " sent")
  local path = kind.paths[math.random(#kind.paths)]
  return wrk.format(kind.method, path, kind.headers, kind.body)
end

function response(status, headers, body)
  bump((pending or "?") .. " " .. status)
  pending = nil
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("counts")) do
      totals[key] = (totals[key] or 0) + n
    end
  end
  local parts = {}
  for key, n in pairs(totals) do
    table.insert(parts, string.format('"%s": %d', key, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_s": %.3f, "rps": %.2f, "p50_ms": %.2f, "p95_ms": %.2f, ' ..
    '"p99_ms": %.2f, "max_ms": %.2f, "errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, ' ..
    '"status": %d}, "counts": {%s}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect, e.read, e.write, e.timeout, e.status, table.concat(parts, ", ")))
end
