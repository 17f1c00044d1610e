"""wrk Lua scripts that spread requests over many URLs: random paths, new searches, a weighted mix.

The scripts of `bench/run` count, per run, the requests to a URL not asked for
before in that run, and the responses by status, and print both on one line
that `traffic_figures()` reads. Every thread asks for its own share of the
URLs, so the count is exact.
"""

from __future__ import annotations

import json
import math

# Each thread learns its number and the number of threads before `init`.
THREADS = r"""
local threads = {}

function setup(thread)
  thread:set("thread_number", #threads)
  thread:set("thread_count", %(threads)d)
  table.insert(threads, thread)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local fresh, repeated, counts = 0, 0, {}
  for _, thread in ipairs(threads) do
    fresh = fresh + thread:get("fresh")
    repeated = repeated + thread:get("repeated")
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%%d": %%d', status, count))
  end
  io.write(string.format('TRAFFIC {"fresh": %%d, "repeated": %%d, "statuses": {%%s}}\n',
    fresh, repeated, table.concat(parts, ", ")))
end
"""

RANDOM_PATHS = r"""
-- Every request: a path at random from this thread's share of the pool.
local pool = {%(paths)s}

function init(args)
  -- The same sequence for the same run number, on every database.
  math.randomseed(tonumber(args[1] or "1") * 1000 + thread_number)
  paths = {}
  for index = thread_number + 1, #pool, thread_count do
    table.insert(paths, pool[index])
  end
  seen, fresh, repeated, statuses = {}, 0, 0, {}
end

function request()
  local path = paths[math.random(#paths)]
  if seen[path] then
    repeated = repeated + 1
  else
    seen[path] = true
    fresh = fresh + 1
  end
  return wrk.format("GET", path)
end
"""

NEW_SEARCHES = r"""
-- Every request: two words of the vocabulary, a pair no other request of the run asks for.
-- Request n of thread t takes pair number (n * threads + t + offset) * step mod pairs,
-- which is a different pair for each of the first `pairs` requests; a pair (i, j),
-- i > j, has the number i * (i - 1) / 2 + j.
local words = {%(words)s}
local pairs_total = %(pairs)d
local step = %(step)d

function init(args)
  offset = tonumber(args[1] or "0")
  sent, fresh, repeated, statuses = 0, 0, 0, {}
end

function request()
  local number = sent * thread_count + thread_number
  sent = sent + 1
  if number < pairs_total then fresh = fresh + 1 else repeated = repeated + 1 end
  local pair = ((number + offset) * step) %% pairs_total
  local i = math.floor((1 + math.sqrt(1 + 8 * pair)) / 2)
  while i * (i - 1) / 2 > pair do i = i - 1 end
  while (i + 1) * i / 2 <= pair do i = i + 1 end
  local j = pair - i * (i - 1) / 2
  return wrk.format("GET", "/en/search/?q=" .. words[i + 1] .. "+" .. words[j + 1])
end
"""

WEIGHTED_MIX = r"""
-- Picks each request's URL at random, by weight; counts responses by status class.
local kinds = %(kinds)s
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  statuses = {["2xx"] = 0, ["3xx"] = 0, ["4xx"] = 0, ["5xx"] = 0}
end

function request()
  local roll = math.random() * kinds.total
  for _, kind in ipairs(kinds) do
    if roll <= kind.upto then
      return wrk.format("GET", kind.paths[math.random(#kind.paths)])
    end
  end
  return wrk.format("GET", "/")
end

function response(status, headers, body)
  local class = tostring(math.floor(status / 100)) .. "xx"
  statuses[class] = (statuses[class] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for class, count in pairs(thread:get("statuses")) do
      total[class] = (total[class] or 0) + count
    end
  end
  local parts = {}
  for class, count in pairs(total) do
    table.insert(parts, string.format('"%%s": %%d', class, count))
  end
  io.write("STATUSES {" .. table.concat(parts, ", ") .. "}\n")
end
"""


def _lua_strings(values: list[str]) -> str:
    # JSON's string escapes are valid Lua for the ASCII paths and words used here.
    return ", ".join(json.dumps(value) for value in values)


def random_paths_script(paths: list[str], *, threads: int) -> str:
    """Every request a path at random from `paths`; run it with the run's number as argument."""
    return THREADS % {"threads": threads} + RANDOM_PATHS % {"paths": _lua_strings(paths)}


def new_searches_script(words: list[str], *, threads: int) -> str:
    """Every request a search for two words, a pair not asked for before; argument: an offset."""
    pairs = len(words) * (len(words) - 1) // 2
    if pairs < 2:
        raise ValueError("new searches need at least three words")
    # A step coprime with the number of pairs visits them all, in a scattered order.
    step = round(pairs * 0.618)
    while math.gcd(step, pairs) != 1:
        step += 1
    return THREADS % {"threads": threads} + NEW_SEARCHES % {
        "words": _lua_strings(words),
        "pairs": pairs,
        "step": step,
    }


def weighted_mix_script(urls: dict[str, list[str]], weights: dict[str, int]) -> str:
    """The load test's mix: a kind of page by its weight, then one of its URLs at random."""
    upto = 0
    entries = []
    for kind, weight in weights.items():
        paths = urls.get(kind) or []
        if not paths:
            continue
        upto += weight
        entries.append(f"{{upto = {upto}, paths = {{{_lua_strings(paths)}}}}}")
    return WEIGHTED_MIX % {"kinds": "{" + ", ".join(entries) + f", total = {upto}}}"}


def traffic_figures(output: str) -> dict | None:
    """The counts a `bench/run` script printed: new and repeated URLs, responses by status."""
    for line in output.splitlines():
        if line.startswith("TRAFFIC "):
            figures = json.loads(line.removeprefix("TRAFFIC "))
            figures["statuses"] = {int(k): v for k, v in figures["statuses"].items()}
            return figures
    return None
