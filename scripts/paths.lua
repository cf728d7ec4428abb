-- wrk script: each connection walks a list of paths. With mode "repeat" the list loops (a hot
-- mix); with "once" every thread takes its own slice so that no path is requested twice.
local paths = {}
local file = os.getenv("PATHS")
local mode = os.getenv("MODE") or "repeat"
for line in io.lines(file) do
  if #line > 0 then paths[#paths + 1] = line end
end

local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  nthreads = tonumber(os.getenv("THREADS") or "2")
  i = id - 1
  step = nthreads
end

function request()
  local p = paths[(i % #paths) + 1]
  i = i + step
  return wrk.format("GET", p)
end

-- A cold run must not come back to a path it has requested: the answer would come from the cache.
function done(summary, latency, requests)
  if mode == "once" and summary.requests > #paths then
    io.stderr:write(string.format("cold paths repeated: %d requests for %d paths; write more paths\n",
      summary.requests, #paths))
  end
end
