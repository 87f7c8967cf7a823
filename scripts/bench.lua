-- wrk script for scripts/bench: one fixed request, sent over and over.
--
-- The request is the URL wrk was given, changed by these environment variables:
--   BENCH_METHOD        the method (default GET, or POST when BENCH_BODY is set)
--   BENCH_BODY          a request body
--   BENCH_CONTENT_TYPE  its Content-Type (default application/x-www-form-urlencoded)
--   BENCH_BASIC         base64 of "user:password": sent as "Authorization: Basic <value>"
--   BENCH_HEADER        extra headers, "Name: value", several separated by newlines
--
-- So GET /healthz is the request unchanged, the client_credentials token request is
--   BENCH_BASIC=<base64 of client_id:client_secret> BENCH_BODY=grant_type=client_credentials
-- and a /v1/check is BENCH_HEADER="X-API-Key: ghak_…".
--
-- done() prints the BENCH line of bench-common.lua.

dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "bench-common.lua")

local body = bench_env("BENCH_BODY")
if body ~= nil then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = bench_env("BENCH_CONTENT_TYPE") or "application/x-www-form-urlencoded"
end

local method = bench_env("BENCH_METHOD")
if method ~= nil then wrk.method = method end

local basic = bench_env("BENCH_BASIC")
if basic ~= nil then wrk.headers["Authorization"] = "Basic " .. basic end

for _, header in ipairs(bench_split(bench_env("BENCH_HEADER"), "\n")) do
  local name, value = header:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end

function done(summary, latency)
  bench_done(summary, latency)
end
