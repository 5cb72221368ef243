-- wrk script of benchmarks/portal_pages.py: one page requested until LIMIT answers came.
--
-- wrk -t1 -cC -dDs -H "Cookie: ..." -s _portal_pages_stop.lua URL -- LIMIT
--
-- Each connection requests the URL again as soon as its answer came (wrk's own request).
-- After LIMIT answers the thread stops and prints "pages-done" (the benchmark then ends
-- wrk with SIGINT, which cuts its -d sleep short); if -d runs out first, wrk ends by
-- itself. done() prints one line "pages-summary {json}": the requests sent (the answered
-- ones and those still in flight when the thread stopped, which the server serves all
-- the same), the answered ones and those answered with another status than 200.

local limit = 0
local threads = {}

sent = 0
answered = 0
other = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  limit = tonumber(args[1])
end

function request()
  sent = sent + 1
  return wrk.request()
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 then
    other = other + 1
  end
  if answered == limit then
    io.write("pages-done\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local totals = { sent = 0, answered = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
  end
  io.write(string.format(
    'pages-summary {"sent":%d,"answered":%d,"other":%d}\n',
    totals.sent, totals.answered, totals.other
  ))
end
