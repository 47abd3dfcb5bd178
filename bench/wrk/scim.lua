-- wrk script of the bench: GETs closed-loop over a file of request targets written by the
-- driver (BENCH_PATHS, one path and query per line), picked at random; BENCH_TOKEN is the bearer
-- token. done() prints one line the driver parses.
local paths = {}
local headers = {["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or ""),
  ["Accept"] = "application/scim+json"}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    paths[#paths + 1] = line
  end
  math.randomseed(os.time() * 1000 + (id or 0))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  -- status: the answers other than 2xx and 3xx, which the driver takes out of the operations
  io.write(string.format("WRK requests=%d duration_us=%d errors=%d status=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
