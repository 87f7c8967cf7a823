-- wrk script for scripts/bench.
--
-- With BENCH_BASIC set (base64 of "client_id:client_secret"), every request is the token request
-- POST /oauth/token grant_type=client_credentials with client_secret_basic; without it, the
-- request wrk was given (GET /healthz) is sent unchanged.
--
-- done() prints one machine-readable line for scripts/bench:
--   BENCH requests=N duration_us=N p50_us=N p99_us=N non2xx=N socket_errors=N

local basic = os.getenv("BENCH_BASIC")
if basic ~= nil and basic ~= "" then
  wrk.method = "POST"
  wrk.body = "grant_type=client_credentials"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Authorization"] = "Basic " .. basic
end

-- With BENCH_HEADER ("Name: value"), that header is added (the /v1/check scenarios).
local header = os.getenv("BENCH_HEADER")
if header ~= nil and header ~= "" then
  local name, value = header:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
