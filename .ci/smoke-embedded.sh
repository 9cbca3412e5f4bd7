#!/usr/bin/env bash
# `npm start` with no DATABASE_URL: the embedded PostgreSQL starts, / and /api/health answer 200, and Ctrl-C
# (SIGINT to the process group, as a terminal sends it) stops everything cleanly.
set -uo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
port=3217
log="$data/start.log"
env -u DATABASE_URL PORT=$port MARGIN_DATA_DIR="$data/margin" setsid npm start >"$log" 2>&1 &
pid=$!
ok=1
for _ in $(seq 300); do
  if curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then ok=0; break; fi
  kill -0 $pid 2>/dev/null || break
  sleep 1
done
if [ $ok -ne 0 ]; then echo "not healthy:"; tail -50 "$log"; kill -- -$pid 2>/dev/null; exit 1; fi
home=$(curl -sL -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")
health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/health")
echo "GET / -> $home, GET /api/health -> $health"
grep -q "Sign in as" "$log" || { echo "start did not print sign-in credentials"; ok=1; }
kill -INT -- -$pid
# npm itself exits at once on Ctrl-C; what matters is that every process it started (web, worker, PostgreSQL)
# is gone and Margin said so.
for _ in $(seq 45); do pgrep -g $pid >/dev/null || break; sleep 1; done
if pgrep -g $pid >/dev/null; then echo "still running 45 s after Ctrl-C:"; pgrep -a -g $pid; kill -KILL -- -$pid; ok=1; fi
grep -q "\[margin\] stopped" "$log" || { echo "no clean-stop message"; ok=1; }
tail -4 "$log"
rm -rf "$data"
[ "$home" = 200 ] && [ "$health" = 200 ] && [ $ok -eq 0 ]
