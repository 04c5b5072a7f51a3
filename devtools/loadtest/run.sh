#!/usr/bin/env bash
# `make loadtest`: 50 users (liaison officers and two managers) for 60 s against gunicorn, a
# Celery worker and beat on PostgreSQL with the 2016 demo data, all on loopback, while things
# fail: the worker is killed with SIGKILL and restarted, and the database's idle connections are
# terminated. A command, not a CI test.
#
#   1. a fresh PostgreSQL database ($LOADTEST_DB, default tracker_load): dropped, created,
#      migrated, demo loaded (DEMO_PASSWORD sets the demo users' password);
#   2. gunicorn (the command docker-compose.yml runs) and `celery -A config worker`, production
#      settings (DEBUG off) but plain HTTP on 127.0.0.1;
#   3. locust headless, bounded in time; at $LOADTEST_KILL_AT s (20) the worker is SIGKILLed and
#      restarted; from $LOADTEST_TERMINATE_AT s (40), for 15 s, every connection to the database
#      idle for a second is terminated (pg_terminate_backend), as a database restart or a proxy
#      would;
#   4. after the load, the follow-up work must drain: no event pending, no run open, within
#      $LOADTEST_DRAIN_SECONDS (180: the sweeper's lease and interval are 60 s each);
#   5. p50/p95/p99 per request type and the error count (exit status 1 on any error).
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=${BIN:-.venv/bin}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
DB=${LOADTEST_DB:-tracker_load}
PORT=${LOADTEST_PORT:-8765}
WEB_WORKERS=${LOADTEST_WEB_WORKERS:-3}
USERS=${LOADTEST_USERS:-50}
SPAWN_RATE=${LOADTEST_SPAWN_RATE:-10}
RUN_TIME=${LOADTEST_RUN_TIME:-60s}
KILL_AT=${LOADTEST_KILL_AT:-20}
TERMINATE_AT=${LOADTEST_TERMINATE_AT:-40}
DRAIN_SECONDS=${LOADTEST_DRAIN_SECONDS:-180}
OUT=var/loadtest
mkdir -p "$OUT"

export DATABASE_URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/${DB}"
export REDIS_URL=${LOADTEST_REDIS_URL:-redis://127.0.0.1:6379/14}
export DEBUG=0
export SECRET_KEY=${SECRET_KEY:-loadtest-only-secret-key-not-for-production-0123456789}
export ALLOWED_HOSTS=127.0.0.1
# Plain HTTP on loopback: no HTTPS redirect, no secure-only cookies.
export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0
export LOG_LEVEL=WARNING
export DEMO_PASSWORD=${DEMO_PASSWORD:-loadtest-demo-password}
export LOADTEST_PASSWORD=$DEMO_PASSWORD
export LOADTEST_TARGETS=$OUT/targets.json

pids=()
stop_all() {
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT

echo "== Database $DB: fresh, migrated, demo loaded"
dropdb --if-exists "$DB"
createdb "$DB"
"$BIN/python" manage.py migrate --noinput -v 0
"$BIN/python" manage.py load_demo > "$OUT/load_demo.log"
"$BIN/python" manage.py collectstatic --noinput -v 0
"$BIN/python" manage.py shell -v 0 -c "$(cat devtools/loadtest/targets.py)" > "$LOADTEST_TARGETS"

echo "== gunicorn ($WEB_WORKERS workers) on 127.0.0.1:$PORT, a Celery worker and beat"
rm -f "$OUT"/celerybeat-schedule*
setsid "$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" \
  --workers "$WEB_WORKERS" --access-logfile "$OUT/access.log" > "$OUT/gunicorn.log" 2>&1 &
pids+=($!)
start_worker() {
  setsid "$BIN/celery" -A config worker --loglevel=INFO >> "$OUT/worker.log" 2>&1 &
  worker_pid=$!
  pids+=($worker_pid)
}
: > "$OUT/worker.log"
start_worker
setsid "$BIN/celery" -A config beat --loglevel=INFO --schedule "$OUT/celerybeat-schedule" \
  > "$OUT/beat.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" > /dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/healthz"
echo

echo "== locust: $USERS users, spawn rate $SPAWN_RATE/s, $RUN_TIME"
status=0
"$BIN/locust" -f devtools/loadtest/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
  --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$RUN_TIME" --stop-timeout 10 \
  --csv "$OUT/results" --only-summary --loglevel WARNING > "$OUT/locust.log" 2>&1 &
locust_pid=$!

sleep "$KILL_AT"
kill -KILL -- "-$worker_pid" 2>/dev/null || true
echo "== at ${KILL_AT} s: the Celery worker killed with SIGKILL; restarted"
start_worker
sleep $((TERMINATE_AT - KILL_AT))
# Every second for 15 s, terminate each connection idle for 1 s or more: one kept open between
# requests or tasks (CONN_MAX_AGE), which the next request must replace without an error (Django's
# CONN_HEALTH_CHECKS). Not one a request is using between two of its queries, which PostgreSQL
# calls idle too: that request would fail, as it would in any application.
terminated=0
for _ in $(seq 1 15); do
  count=$(psql -tAc "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE datname = '$DB' AND state = 'idle' AND state_change < now() - interval '1 second'
    AND pid <> pg_backend_pid()) AS t" postgres)
  terminated=$((terminated + count))
  sleep 1
done
echo "== from ${TERMINATE_AT} s for 15 s: $terminated idle database connections terminated"
wait "$locust_pid" || status=$?

echo "== Follow-up work: waiting up to $DRAIN_SECONDS s for it to drain"
drained=0
for _ in $(seq 1 "$DRAIN_SECONDS"); do
  left=$(psql -tAc "SELECT (SELECT count(*) FROM activities_event WHERE state = 'pending')
    || ' events pending, ' || (SELECT count(*) FROM monitoring_monitoringrun
    WHERE state IN ('queued', 'running')) || ' runs open'" "$DB")
  if [ "$left" = "0 events pending, 0 runs open" ]; then drained=1; break; fi
  sleep 1
done
psql -tAc "SELECT 'events: ' || string_agg(state || ' ' || n, ', ') FROM (SELECT state, count(*) n
  FROM activities_event GROUP BY state ORDER BY state) AS t" "$DB"
psql -tAc "SELECT 'runs: ' || string_agg(trigger || ' ' || state || ' ' || n, ', ') FROM (SELECT
  trigger, state, count(*) n FROM monitoring_monitoringrun GROUP BY 1, 2 ORDER BY 1, 2) AS t" "$DB"
if [ "$drained" = 1 ]; then echo "drained: $left"; else echo "NOT drained: $left"; status=1; fi

stop_all
trap - EXIT
echo "== Machine: $(nproc) CPUs, $(uname -sr), $("$BIN/python" --version), $(psql -tAc 'SHOW server_version' postgres | cut -d' ' -f1 | sed 's/^/PostgreSQL /')"
echo "== Results ($OUT/results_stats.csv)"
"$BIN/python" devtools/loadtest/summary.py "$OUT/results" || status=1
exit $status
