#!/usr/bin/env bash
# Serve the platform with gunicorn and run the background-task worker beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
BIN=.venv/bin
VAR="${OSEZIA_VAR_DIR:-var}"
mkdir -p "$VAR"  # the SQLite file and the worker's log live there (settings create no folder)
# Outside production without SECRET_KEY, one key file shared by every process and kept across
# restarts (the settings only read it; nothing is written in production).
$BIN/python manage.py ensure_secret_key >/dev/null

# Tasks a killed worker left RUNNING are put back in the queue, and the search index's
# change log is applied, before the worker starts (both are safe to repeat).
$BIN/python manage.py reclaim_stale_tasks --after "${STALE_TASK_AFTER:-900}" >>"$VAR/worker.log" 2>&1 || true
$BIN/python manage.py apply_index_changes >>"$VAR/worker.log" 2>&1 || true
$BIN/python manage.py db_worker --queue-name default >>"$VAR/worker.log" 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM

echo
echo "Osez l'IA est servi sur http://127.0.0.1:${PORT}/ (API : http://127.0.0.1:${PORT}/api/docs)"
echo "Tâches de fond : manage.py db_worker (journal dans $VAR/worker.log). Ctrl-C pour arrêter."
exec $BIN/gunicorn config.wsgi:application --bind "127.0.0.1:${PORT}" --workers "${WEB_WORKERS:-2}" \
  --access-logfile - --error-logfile -
