#!/usr/bin/env bash
# anomaly-demo.sh DIR MILLWRIGHT_DLL [LIMIT_S]: the virtual factory's anomaly count (docs/benchmarks.md, issue 21).
# Runs `demo --history 1d` on a fresh store in DIR, stops it when its history has been written and the anomaly
# watcher has had 40 s to drain (or after LIMIT_S seconds, 170 by default), then counts the anomalies of the history's
# first simulated hours (the first state interval's start is the history's start) and lists them.
set -u
dir=$1; dll=$2; limit=${3:-170}
rm -rf "$dir"; mkdir -p "$dir"
dotnet "$dll" demo --data "$dir" --http 127.0.0.1:16980 --mqtt 127.0.0.1:16983 --modbus-port 26020 --history 1d > "$dir.log" 2>&1 &
pid=$!
start=$(date +%s)
written=""
while kill -0 $pid 2>/dev/null; do
  sleep 5
  if [ -z "$written" ] && grep -q "^History: .* UTC, " "$dir.log"; then written=$(date +%s); echo "history written"; fi
  if [ -n "$written" ] && [ $(( $(date +%s) - written )) -ge 40 ]; then break; fi
  if [ $(( $(date +%s) - start )) -ge "$limit" ]; then echo "stopped after $limit s"; break; fi
done
# Messages the watcher could not queue (its queue holds 10,000) were not judged: a count is comparable only with this beside it.
curl -s -m 5 -H "X-Api-Key: $(cat "$dir/platform-admin.key")" http://127.0.0.1:16980/metrics | grep "^millwright_anomalies_skipped"
kill $pid 2>/dev/null; wait $pid 2>/dev/null
h0="(select min(start_at) from machine_states)"
for h in 4 8 13; do
  echo "first $h h: anomalies|series $(sqlite3 "$dir/millwright.db" "select count(*), count(distinct series_id) from anomalies where at < $h0 + $h * 3600000")"
done
sqlite3 "$dir/millwright.db" "select m.name, a.tag, a.context, a.cause, round(a.value, 1), round(a.expected_low, 1), round(a.expected_high, 1),
    (a.at - $h0) / 60000 from anomalies a join machines m on m.id = a.machine_id where a.at < $h0 + 13 * 3600000 order by a.at"
