-- Shared by the wrk scripts of scripts/bench (bench.lua, bench-refresh.lua, bench-keys.lua).
-- Loaded with dofile() from the directory of the script that wrk was given.
--
-- bench_done(summary, latency, extra) prints the one machine-readable line scripts/bench reads:
--   BENCH requests=N duration_us=N p50_us=N p99_us=N non2xx=N socket_errors=N [extra fields]
-- `non2xx` is wrk's count of answers with a status of 400 or more (wrk counts 3xx as success;
-- no scenario here is answered with a redirect). `extra` is an optional string of further
-- "name=N" fields (bench-refresh.lua reports its own counters this way).

-- Splits "a<sep>b<sep>c" into a list, skipping empty items.
function bench_split(text, sep)
  local items = {}
  if text == nil then return items end
  for item in string.gmatch(text, "[^" .. sep .. "]+") do
    if item ~= "" then items[#items + 1] = item end
  end
  return items
end

-- Reads a file of one item per line (keys, tokens) into a list; blank lines are skipped.
function bench_read_lines(path)
  local items = {}
  local file = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in file:lines() do
    line = line:gsub("%s+$", "")
    if line ~= "" then items[#items + 1] = line end
  end
  file:close()
  return items
end

-- os.getenv that treats "" as unset.
function bench_env(name)
  local value = os.getenv(name)
  if value == "" then return nil end
  return value
end

function bench_done(summary, latency, extra)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d%s\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout, extra and (" " .. extra) or ""))
end
