-- wrk script of bench/run_http.sh: POST /v1/query with a point SELECT on a random id of table
-- kv (LYT_ROWS rows), authorized by LYT_AUTHORIZATION (a Bearer or Basic header value). wrk
-- counts replies other than 2xx/3xx, which run_http.sh treats as a failed run.
local rows = tonumber(os.getenv("LYT_ROWS"))
local authorization = os.getenv("LYT_AUTHORIZATION")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = authorization

function request()
  local body = string.format('{"sql":"SELECT id, v FROM kv WHERE id = $1","params":[%d]}', math.random(1, rows))
  return wrk.format(nil, "/v1/query", nil, body)
end

