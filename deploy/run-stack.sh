#!/usr/bin/env bash
# The team stack on this machine, from Debian packages: N app processes behind nginx, one PostgreSQL.
#
#   deploy/run-stack.sh                          # 2 app processes, nginx on 127.0.0.1:8080
#   APPS=3 PORT=8090 deploy/run-stack.sh
#   DATABASE_URL=postgresql://user:pw@db/calc SECRETS=/etc/calculator/secrets.toml deploy/run-stack.sh
#
# Needs the Debian packages nginx and postgresql (apt-get install nginx postgresql) and the project's venv.
# Runs in the foreground until Ctrl-C (or SIGTERM), then stops everything it started.
#
# Settings (environment):
#   APPS          number of app processes (default 2); they listen on 127.0.0.1:APP_PORT, APP_PORT+1, ...
#   APP_PORT      first app port (default 8601)
#   PORT, LISTEN  where nginx listens (default 8080 on 127.0.0.1; LISTEN=0.0.0.0 to serve other computers:
#                 then configure sign-in, or saved scenarios are off for everybody else)
#   DATABASE_URL  the one PostgreSQL all processes share (default: database "calculator" on this machine's
#                 Debian cluster, created if missing, as user postgres over the local socket)
#   SECRETS       a secrets.toml with the [auth] section for sign-in (README: Running it for a team)
#   STACK_DIR     where nginx.conf, pid files and logs go (default: a new temporary folder)
#   PYTHON        the interpreter with the project installed (default: .venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/.."

APPS=${APPS:-2}
APP_PORT=${APP_PORT:-8601}
PORT=${PORT:-8080}
LISTEN=${LISTEN:-127.0.0.1}
PYTHON=${PYTHON:-.venv/bin/python}
STACK_DIR=${STACK_DIR:-$(mktemp -d -t calc-stack.XXXXXX)}
mkdir -p "$STACK_DIR"
STACK_DIR=$(cd "$STACK_DIR" && pwd)

# One PostgreSQL for every process.
if [ -z "${DATABASE_URL:-}" ]; then
  cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
  [ -n "$cluster" ] || { echo "no PostgreSQL cluster: apt-get install postgresql, or set DATABASE_URL" >&2; exit 2; }
  pg_ctlcluster $cluster start 2>/dev/null || true
  pgport=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
  su postgres -c "psql -q -p $pgport -tc \"SELECT 1 FROM pg_database WHERE datname='calculator'\"" | grep -q 1 \
    || su postgres -c "createdb -p $pgport calculator"
  DATABASE_URL="postgresql+psycopg://postgres@/calculator?host=/var/run/postgresql&port=$pgport"
fi
export DATABASE_URL

# The same cookie secret in every process: a browser that moves to another process keeps its XSRF cookie valid.
export STREAMLIT_SERVER_COOKIE_SECRET=${STREAMLIT_SERVER_COOKIE_SECRET:-$(head -c 32 /dev/urandom | base64)}

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

upstreams=""
for i in $(seq 1 "$APPS"); do
  port=$((APP_PORT + i - 1))
  secrets_args=()
  [ -n "${SECRETS:-}" ] && secrets_args=(--secrets.files "$SECRETS")
  "$PYTHON" -m streamlit run app.py --server.headless true --server.address 127.0.0.1 --server.port "$port" \
    --browser.gatherUsageStats false "${secrets_args[@]}" >"$STACK_DIR/app-$i.log" 2>&1 &
  pids+=($!)
  echo $! >"$STACK_DIR/app-$i.pid"
  echo "$port" >"$STACK_DIR/app-$i.port"
  upstreams+="        server 127.0.0.1:$port max_fails=1 fail_timeout=10s;"$'\n'
done

sed -e "s|@LISTEN@|$LISTEN:$PORT|" -e "s|@STACK_DIR@|$STACK_DIR|g" deploy/nginx.conf \
  | awk -v servers="$upstreams" '{ if ($0 ~ /^@UPSTREAMS@$/) printf "%s", servers; else print }' >"$STACK_DIR/nginx.conf"

for i in $(seq 1 "$APPS"); do
  port=$((APP_PORT + i - 1))
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/_stcore/health" >/dev/null 2>&1 && break
    sleep 0.5
  done
done

nginx -p "$STACK_DIR" -c "$STACK_DIR/nginx.conf" &
pids+=($!)
echo $! >"$STACK_DIR/nginx.pid.main"

for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$PORT/_stcore/health" >/dev/null 2>&1 && break
  sleep 0.5
done
echo "stack up: http://$LISTEN:$PORT ($APPS app processes, logs and pids in $STACK_DIR)"
echo ready >"$STACK_DIR/ready"
wait
