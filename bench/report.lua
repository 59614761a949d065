-- wrk script: each request comes from one of BENCH_READERS readers (default
-- 100,000) behind a load balancer, named in X-Forwarded-For; and a reporter
-- that prints one JSON line with throughput, latency percentiles and errors.
local readers = tonumber(os.getenv("BENCH_READERS") or "100000")

init = function(args)
  -- Each wrk thread has its own Lua state: give each its own sequence.
  math.randomseed(os.time() + math.floor(os.clock() * 1e6) + tonumber(string.sub(tostring({}), 8), 16))
end

request = function()
  local n = math.random(readers) - 1
  wrk.headers["X-Forwarded-For"] = string.format(
    "10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  return wrk.format()
end

-- wrk counts a status >= 400 as an error ("status"); the bench checks first
-- that each target answers 2xx, so that count is the non-2xx count.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, ' ..
    '"p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "non_2xx": %d, ' ..
    '"socket_errors": %d, "bytes": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.status,
    e.connect + e.read + e.write + e.timeout, summary.bytes))
end
