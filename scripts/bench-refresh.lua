-- wrk script for scripts/bench: the refresh_token grant with rotating refresh tokens.
--
-- A refresh token can be used exactly once: its use answers the next token of the family, and
-- presenting a used token again revokes the whole family. So every wrk thread keeps its own queue
-- of unused tokens: request() takes one out and sends
--   POST <url> grant_type=refresh_token&refresh_token=<token>   (client_secret_basic)
-- and response() puts the new refresh_token of the answer back. wrk's connections of a thread
-- share that thread's queue, and each connection has at most one request in flight, so a thread
-- with as many tokens as connections never runs dry and never sends a token twice.
--
-- Environment:
--   BENCH_BASIC              base64 of "client_id:client_secret" of an app with the refresh grant
--   BENCH_TOKENS_FILE        unused refresh tokens, one per line
--   BENCH_TOKENS_PER_THREAD  how many of them each thread gets (thread k gets the k-th slice)
--
-- scripts/bench gives every thread one token more than its connections: wrk calls request() once
-- on the first thread before the run to check the script, and that token is never sent.
--
-- done() prints the BENCH line of bench-common.lua with two more fields, summed over threads:
--   refresh_failures=N  answers without a new refresh token (any non-200: a token was reused,
--                       or the server refused the grant)
--   starved=N           requests sent while the thread's queue was empty, which happens only
--                       after failures or broken connections lost tokens (they carry a made-up
--                       token, so the server refuses them and they are non-2xx as well)

dofile(debug.getinfo(1, "S").source:match("^@(.-)[^/]*$") .. "bench-common.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. assert(bench_env("BENCH_BASIC"), "BENCH_BASIC is not set")

-- setup() runs in wrk's main Lua state, once per thread, before the run: give each thread its
-- slice of the token file, and keep the thread objects to collect their counters in done().
local threads = {}
local all_tokens = nil
function setup(thread)
  if all_tokens == nil then
    local path = assert(bench_env("BENCH_TOKENS_FILE"), "BENCH_TOKENS_FILE is not set")
    all_tokens = bench_read_lines(path)
  end
  local per_thread = assert(tonumber(bench_env("BENCH_TOKENS_PER_THREAD")),
    "BENCH_TOKENS_PER_THREAD is not a number")
  local first = #threads * per_thread + 1
  local slice = {}
  for i = first, first + per_thread - 1 do
    slice[#slice + 1] = assert(all_tokens[i], "BENCH_TOKENS_FILE has too few tokens for the threads")
  end
  threads[#threads + 1] = thread
  thread:set("token_list", table.concat(slice, " "))
end

-- Everything below runs in a thread's own Lua state.

-- The queue: tokens[head .. tail] are unused tokens, oldest first.
local tokens, head, tail = {}, 1, 0
-- Counters read by done() through thread:get() (so they are globals).
refresh_failures, starved = 0, 0

function init(args)
  for _, token in ipairs(bench_split(token_list, " ")) do
    tail = tail + 1
    tokens[tail] = token
  end
end

function request()
  local token
  if head <= tail then
    token = tokens[head]
    tokens[head] = nil
    head = head + 1
  else
    -- Cannot happen while every answer brings a token back; send a token that matches no family
    -- (the server answers invalid_grant, which counts as non-2xx) rather than reuse one.
    starved = starved + 1
    token = "ghrt_starved"
  end
  return wrk.format(nil, nil, nil, "grant_type=refresh_token&refresh_token=" .. token)
end

function response(status, headers, body)
  local token = status == 200 and body:match('"refresh_token"%s*:%s*"([^"]+)"') or nil
  if token then
    tail = tail + 1
    tokens[tail] = token
  else
    refresh_failures = refresh_failures + 1
  end
end

function done(summary, latency, requests)
  local failures, starving = 0, 0
  for _, thread in ipairs(threads) do
    failures = failures + (thread:get("refresh_failures") or 0)
    starving = starving + (thread:get("starved") or 0)
  end
  bench_done(summary, latency, string.format("refresh_failures=%d starved=%d", failures, starving))
end
