-- wrk script for scripts/bench: /v1/check with a different API key on (almost) every request.
--
-- Each request carries "X-API-Key: <key>" with the key drawn at random from a file, so the
-- server's key lookup and cache see a working set of that file's size (the million-key scenario
-- runs it with a 1,000-key and a 10,000-key sample of a database of a million keys).
--
-- Environment:
--   BENCH_KEYS_FILE   API keys (ghak_…), one per line
--   BENCH_HEADER      optional extra headers, "Name: value", several separated by newlines
--
-- The requests are formatted once per thread in init(), so request() only draws a number: wrk's
-- own cost is the same for a 1k-key and a 10k-key file.
--
-- done() prints the BENCH line of bench-common.lua.

dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "bench-common.lua")

for _, header in ipairs(bench_split(bench_env("BENCH_HEADER"), "\n")) do
  local name, value = header:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end

-- setup() runs in the main Lua state: number the threads, so each seeds its own random sequence.
local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_number", thread_count)
end

-- In each thread's state: the formatted requests, one per key.
local requests = {}

function init(args)
  math.randomseed(os.time() * 1000 + (thread_number or 0) * 7919)
  local keys = bench_read_lines(assert(bench_env("BENCH_KEYS_FILE"), "BENCH_KEYS_FILE is not set"))
  assert(#keys > 0, "BENCH_KEYS_FILE has no keys")
  for i, key in ipairs(keys) do
    local headers = {}
    for name, value in pairs(wrk.headers) do headers[name] = value end
    headers["X-API-Key"] = key
    requests[i] = wrk.format(nil, nil, headers)
  end
end

function request()
  return requests[math.random(#requests)]
end

function done(summary, latency)
  bench_done(summary, latency)
end
