-- wrk script for scripts/bench: a flood of made-up client ids at POST /oauth/token (issue 14,
-- point 3). Every request names a client id nobody has (client_secret_post, a fresh random id
-- each time), so each is an unknown-name verification: the server must answer it as slowly as a
-- real password check without making real checks wait.
--
-- Environment:
--   BENCH_FORWARDED_FOR  a comma-separated list of addresses; each request names one of them in
--                        X-Forwarded-For (for a server that trusts 127.0.0.1 as a proxy)
--
-- done() prints the BENCH line of bench-common.lua.

dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "bench-common.lua")

local addresses = bench_split(bench_env("BENCH_FORWARDED_FOR"), ",")
local counter = 0

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  counter = counter + 1
  local id = string.format("made-up-%08x-%08x-%d", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff), counter)
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  if #addresses > 0 then headers["X-Forwarded-For"] = addresses[(counter % #addresses) + 1] end
  return wrk.format("POST", nil, headers, "grant_type=client_credentials&client_id=" .. id .. "&client_secret=wrong-secret")
end

function done(summary, latency)
  bench_done(summary, latency)
end
