-- wrk script: POST /v1/referrals, each request a different need of case 1 (the ids of a span
-- given by the environment, split between wrk's threads), with its own Idempotency-Key.
local first = tonumber(os.getenv("FIRST_NEED"))
local span = tonumber(os.getenv("NEED_SPAN") or "20000")
local token = os.getenv("TOKEN")
local threads = 0
function setup(thread)
  thread:set("offset", threads * math.floor(span / 2))
  threads = threads + 1
end
local next_need
function init(args)
  next_need = first + offset
  math.randomseed(os.time() + offset)
end
function request()
  local need = next_need
  next_need = next_need + 1
  local body = string.format('{"case":1,"need":%d,"provider":1,"consent":true,"priority":"urgent"}', need)
  return wrk.format("POST", "/v1/referrals", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("w%d-%d", need, math.random(1, 1000000000)),
  }, body)
end
local failed = 0
function response(status, headers, body)
  if status ~= 201 then failed = failed + 1 end
end
