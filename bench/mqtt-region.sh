#!/usr/bin/env bash
# A region on one node: many idle authenticated MQTT connections from several loopback addresses, some of them
# publishing at QoS 1 once a second; Millwright's broker, then mosquitto, on the same machine with the same loaders.
#   bench/mqtt-region.sh [connections, default 100000] [of them publishing, default 10000] [seconds publishing, default 60]
# The idle connections come from loader processes of at most PER_LOADER each (a process's descriptors), each from
# its own 127.0.0.x (its own ephemeral ports); once they are all held, one more loader connects the publishers.
# Prints per broker: connections held, RSS before and with them, the broker's CPU while the publishers run, and the
# publishers' publish -> PUBACK latency. MILLWRIGHT_BUILD=DIR runs a build already made (as mqtt-vs-mosquitto.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${1:-100000}
PUBLISHING=${2:-10000}
SECONDS_PUBLISHING=${3:-60}
PER_LOADER=${PER_LOADER:-15000}
MW_PORT=18893
MQ_PORT=18894
WORK=$(mktemp -d /tmp/mqtt-region.XXXXXX)
# Every process here (brokers, loaders) may hold as many descriptors as this machine lets it.
ulimit -n "$(ulimit -Hn)"

command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || { apt-get update -qq && apt-get install -y -qq mosquitto >/dev/null; }
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
if [ -n "${MILLWRIGHT_BUILD:-}" ]; then
    M="dotnet $MILLWRIGHT_BUILD/millwright.dll"
    LOAD="dotnet $MILLWRIGHT_BUILD/Millwright.Load.dll"
else
    dotnet build -c Release bench/Millwright.Load -v q -nologo >/dev/null
    M="dotnet src/Millwright/bin/Release/net10.0/millwright.dll"
    LOAD="$M bench"
fi
USER_NAME=bench
PASSWORD=bench-secret
mosquitto_passwd -b -c "$WORK/passwords" "$USER_NAME" "$PASSWORD"
# Started as root, mosquitto reads its files as the user "mosquitto".
chmod a+rx "$WORK"; chmod a+r "$WORK/passwords"
cat > "$WORK/mosquitto.conf" <<CONF
listener $MQ_PORT 127.0.0.1
allow_anonymous false
password_file $WORK/passwords
persistence false
max_connections -1
set_tcp_nodelay true
CONF

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

rss_kib() { awk '/VmRSS/ {print $2}' /proc/"$1"/status; }
cpu_ticks() { awk '{print $14 + $15}' /proc/"$1"/stat; }
HZ=$(getconf CLK_TCK)

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, descriptors per process: $(ulimit -n) (hard $(ulimit -Hn))"
echo "millwright: $(git rev-parse --short HEAD 2>/dev/null || echo unknown); $("$MOSQUITTO" -h 2>&1 | head -1)"
echo "asked: $CONNECTIONS connections, $PUBLISHING of them publishing QoS 1 at 1 Hz for $SECONDS_PUBLISHING s; at most $PER_LOADER per loader"
echo

IDLE=$(( CONNECTIONS - PUBLISHING ))
LOADERS=$(( (IDLE + PER_LOADER - 1) / PER_LOADER ))
for broker in millwright mosquitto; do
    if [ $broker = millwright ]; then
        port=$MW_PORT
        $M broker --listen 127.0.0.1:$port --user "$USER_NAME:$PASSWORD" --mqtt-max-connections $(( CONNECTIONS + 1000 )) >"$WORK/$broker.log" 2>&1 &
    else
        port=$MQ_PORT
        "$MOSQUITTO" -c "$WORK/mosquitto.conf" >"$WORK/$broker.log" 2>&1 &
    fi
    pid=$!
    PIDS+=("$pid")
    sleep 3
    before=$(rss_kib "$pid")
    # Idle loaders hold until the publishers are done (plus time to connect them), then let go.
    hold=$(( SECONDS_PUBLISHING + 600 ))
    loaders=()
    for k in $(seq 1 "$LOADERS"); do
        n=$(( k < LOADERS ? PER_LOADER : IDLE - (LOADERS - 1) * PER_LOADER ))
        $LOAD mqtt --target 127.0.0.1:$port --user "$USER_NAME" --password "$PASSWORD" --scenario region \
            --connections "$n" --source "127.0.0.$(( k + 1 ))" --seconds "$hold" >"$WORK/idle-$k.out" 2>"$WORK/idle-$k.log" &
        loaders+=("$!")
        PIDS+=("$!")
    done
    for k in $(seq 1 "$LOADERS"); do
        until grep -q "^all " "$WORK/idle-$k.log" 2>/dev/null; do sleep 1; done
    done
    idle_rss=$(rss_kib "$pid")
    held=$(grep -h "^all " "$WORK"/idle-*.log | awk '{s += $2} END {print s}')
    echo "$broker  idle: $held of $IDLE held; RSS $before -> $idle_rss KiB ($(awk "BEGIN {printf \"%.1f\", ($idle_rss - $before) * 1024 / ($held > 0 ? $held : 1) / 1000}") KB per connection)"

    $LOAD mqtt --target 127.0.0.1:$port --user "$USER_NAME" --password "$PASSWORD" --scenario region \
        --connections "$PUBLISHING" --publishing "$PUBLISHING" --source "127.0.0.$(( LOADERS + 2 ))" --seconds "$SECONDS_PUBLISHING" \
        >"$WORK/publishers.out" 2>"$WORK/publishers.log" &
    publisher=$!
    PIDS+=("$publisher")
    until grep -q "^all " "$WORK/publishers.log" 2>/dev/null || ! kill -0 $publisher 2>/dev/null; do sleep 1; done
    # The broker's CPU over the publishing window, after the publishers' warm-up.
    sleep 10
    t0=$(cpu_ticks "$pid"); s0=$(date +%s.%N)
    sleep $(( SECONDS_PUBLISHING > 30 ? SECONDS_PUBLISHING - 20 : 10 ))
    t1=$(cpu_ticks "$pid"); s1=$(date +%s.%N)
    busy_rss=$(rss_kib "$pid")
    wait $publisher || true
    echo "$broker  publishing: $(cat "$WORK/publishers.out")"
    echo "$broker  broker CPU while publishing: $(awk "BEGIN {printf \"%.0f\", 100 * ($t1 - $t0) / $HZ / ($s1 - $s0)}") % of one core; RSS $busy_rss KiB ($(awk "BEGIN {printf \"%.0f\", $busy_rss / 1024}") MiB)"
    for k in "${loaders[@]}"; do kill "$k" 2>/dev/null || true; done
    for k in "${loaders[@]}"; do wait "$k" 2>/dev/null || true; done
    for k in $(seq 1 "$LOADERS"); do echo "$broker  idle loader $k: $(grep -h "^all " "$WORK/idle-$k.log")"; done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo
done
