-- wrk reporter: one JSON line with throughput, latency percentiles and errors.
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
