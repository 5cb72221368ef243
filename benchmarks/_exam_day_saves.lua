-- wrk script of benchmarks/portal_exam_day.py: candidates saving answers through POST /test/save.
--
-- wrk -t1 -cC -dDs --latency -s _exam_day_saves.lua URL -- CANDIDATES FIRST LIMIT ORIGIN
--
-- CANDIDATES: a file, one candidate a line: their Cookie header, their page's save
-- token and the page's epoch, separated by tabs. Each request is the next candidate's
-- next save (the candidates in turn, so one candidate's saves go one at a time, in
-- order, as the player sends them): counters from FIRST up, items q1, q2, q3 in turn.
-- After LIMIT answers the thread stops and prints "saves-done" (the benchmark then
-- ends wrk with SIGINT, which cuts its -d sleep short). done() prints one line
-- "saves-summary {json}": requests sent and answered, answers that said stored,
-- superseded or not, the errors and the latency percentiles (microseconds).

local candidates = {}
local turn = 0
local first = 1
local limit = 0
local origin = ""
local path = "/test/save"
local items = { "q1", "q2", "q3" }
local texts = {
  "De schrijver wil de lezer overtuigen dat thuiswerken niet voor iedereen geschikt is.",
  "Omdat de zinnen daarvoor een tegenstelling aangeven en deze alinea een conclusie trekt.",
}

sent = 0
answered = 0
stored = 0
superseded = 0
not_stored = 0
other = 0

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local file = args[1]
  first = tonumber(args[2])
  limit = tonumber(args[3])
  origin = args[4]
  for line in io.lines(file) do
    local cookie, token, epoch = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)$")
    if cookie then
      table.insert(candidates, { cookie = cookie, token = token, epoch = epoch, counter = first - 1 })
    end
  end
  if #candidates == 0 then
    error("no candidates in " .. file)
  end
end

local function value_of(item, n)
  if item == "q3" then
    return string.format('{"text":"%s"}', texts[n % #texts + 1])
  end
  return string.format('{"text":"%d"}', n % 4 + 1)
end

function request()
  turn = turn % #candidates + 1
  local candidate = candidates[turn]
  candidate.counter = candidate.counter + 1
  local n = candidate.counter
  local item = items[n % #items + 1]
  local body = string.format(
    '{"epoch":%s,"counter":%d,"item":"%s","value":%s}', candidate.epoch, n, item, value_of(item, n)
  )
  sent = sent + 1
  return wrk.format("POST", path, {
    ["Cookie"] = candidate.cookie,
    ["X-Examkit-Save"] = candidate.token,
    ["Content-Type"] = "application/json",
    ["Origin"] = origin,
  }, body)
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 then
    other = other + 1
  elseif body:find('"superseded":%s*true') then
    superseded = superseded + 1
  elseif body:find('"stored":%s*true') then
    stored = stored + 1
  else
    not_stored = not_stored + 1
  end
  if answered == limit then
    io.write("saves-done\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local totals = { sent = 0, answered = 0, stored = 0, superseded = 0, not_stored = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'saves-summary {"sent":%d,"answered":%d,"stored":%d,"superseded":%d,"not_stored":%d,'
      .. '"other":%d,"completed":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,'
      .. '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p99_us":%d,'
      .. '"mean_us":%.1f}\n',
    totals.sent, totals.answered, totals.stored, totals.superseded, totals.not_stored,
    totals.other, summary.requests, summary.duration, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout, latency:percentile(50), latency:percentile(99),
    latency.mean
  ))
end
