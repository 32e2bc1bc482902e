#!/usr/bin/env bash
# Runs every test of the solution against SQLite, a private PostgreSQL 15 and a private RabbitMQ started here, and prints
# "N passed, N failed" as the last line. Works on a fresh Debian 12 with only the .NET SDK: it installs
# PostgreSQL and RabbitMQ with apt-get when their binaries are missing, and never uses the system's services.
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
PG_BIN=/usr/lib/postgresql/15/bin
RESULTS="$PWD/TestResults"
WORK="$(mktemp -d /tmp/millwright-test.XXXXXX)"
PG_STARTED=0
source tests/rabbitmq.sh

as_pg() {
    # initdb and postgres refuse to run as root; as anyone else they run as that user.
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
    stop_rabbitmq
    if [ "$PG_STARTED" = 1 ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The real peers the tests talk to, from Debian: PostgreSQL, mosquitto and its clients, paho-mqtt,
# pymodbus, mbpoll and chromium. Installed only when missing, with one apt-get update.
install_peers() {
    local missing=()
    [ -x "$PG_BIN/pg_ctl" ] || missing+=(postgresql)
    command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
    command -v mosquitto_pub >/dev/null || missing+=(mosquitto-clients)
    command -v mbpoll >/dev/null || missing+=(mbpoll)
    /usr/bin/python3 -c 'import paho.mqtt' 2>/dev/null || missing+=(python3-paho-mqtt)
    /usr/bin/python3 -c 'import pymodbus' 2>/dev/null || missing+=(python3-pymodbus)
    # The dashboard's browser tests drive Debian's Chromium through Playwright (which never downloads a browser).
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    # The cluster tests' private broker (tests/rabbitmq.sh).
    [ -x "$RABBIT_BIN/rabbitmq-server" ] || missing+=(rabbitmq-server)
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "test.sh: installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
}

start_postgres() {
    chmod 755 "$WORK"
    mkdir -p "$WORK/pg" "$WORK/sock"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$WORK/pg" "$WORK/sock"; fi
    as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$WORK/initdb.log" 2>&1 \
        || { cat "$WORK/initdb.log"; return 1; }
    # Try loopback ports until one is free; durability settings are off because the cluster is thrown away.
    local port
    for port in $(seq 55432 55481); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
        if as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w -t 60 start \
            -o "-p $port -k $WORK/sock -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            >/dev/null 2>&1; then
            PG_STARTED=1
            export MILLWRIGHT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
            echo "test.sh: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
            return 0
        fi
    done
    tail -n 20 "$WORK/pg/server.log" 2>/dev/null
    return 1
}

# The npm peers (Eclipse Tahu's Sparkplug client, node-opcua) in tests/peers, pinned by its package-lock.json;
# npm ci runs only when the installed tree is missing or older than the lock file.
install_node_peers() {
    local dir=tests/peers
    [ -f "$dir/node_modules/.package-lock.json" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ] && return 0
    command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
    echo "test.sh: installing the npm test peers in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

install_peers || echo "test.sh: some test peers could not be installed; their tests will fail" >&2
install_node_peers || echo "test.sh: the npm test peers could not be installed; their tests will fail" >&2

# RabbitMQ boots in the background while PostgreSQL starts and the tests build.
start_rabbitmq "$WORK" || echo "test.sh: RabbitMQ could not be launched; the cluster tests will fail" >&2

if ! start_postgres; then
    # The PostgreSQL tests then fail with a message saying so; they never skip.
    echo "test.sh: PostgreSQL could not be started; its tests will fail" >&2
    unset MILLWRIGHT_TEST_POSTGRES
fi

await_rabbitmq || echo "test.sh: RabbitMQ did not start; the cluster tests will fail" >&2

rm -rf "$RESULTS"
dotnet test Millwright.slnx --logger "trx;LogFilePrefix=results" --results-directory "$RESULTS"
status=$?

passed=0
failed=0
shopt -s nullglob
trx_files=("$RESULTS"/*.trx)
for trx in "${trx_files[@]}"; do
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
    p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
    f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
done

# A test project that left no results (build failure, crashed test host) counts as one failure. Only
# *.Tests projects hold tests; tests/Millwright.Testing is the shared kit.
projects="$(grep -c '<Project Path="tests/[^"]*\.Tests\.csproj"' Millwright.slnx)"
missing=$((projects - ${#trx_files[@]}))
if [ "$missing" -gt 0 ]; then
    echo "test.sh: $missing of $projects test projects produced no results (build failure or crash)" >&2
    failed=$((failed + missing))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    echo "test.sh: dotnet test exited with $status" >&2
    failed=1
fi

echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
