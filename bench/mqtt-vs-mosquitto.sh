#!/usr/bin/env bash
# Millwright's MQTT broker and mosquitto side by side: same machine, same load generator
# (`millwright bench mqtt`), one run. Prints each figure for both brokers and the ratio.
#   bench/mqtt-vs-mosquitto.sh [seconds per scenario, default 10] [idle connections, default 10000]
# Every client logs in with a user name and password on both brokers (the idle cost is per authenticated client).
# MILLWRIGHT_BUILD=DIR runs a build already made (a copy of bench/Millwright.Load/bin/Release/net10.0), to
# compare two builds; IDLE_ONLY=1 runs only the idle measurement; MILLWRIGHT_BROKER_ARGS adds options to our broker
# (e.g. "--mqtt-park-idle false" for .NET's socket operations instead of the broker's own epoll loop);
# MILLWRIGHT_BROKER_ENV sets environment variables for our broker only (e.g. "DOTNET_GCgen0size=0x400000", to try a
# GC setting without changing the load generator's).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER=${1:-10}
IDLE=${2:-10000}
MW_PORT=18883
MQ_PORT=18884
WORK=$(mktemp -d /tmp/mqtt-bench.XXXXXX)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"  # 10,000 idle clients need as many descriptors

command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || { apt-get update -qq && apt-get install -y -qq mosquitto >/dev/null; }
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
if [ -n "${MILLWRIGHT_BUILD:-}" ]; then
    M="dotnet $MILLWRIGHT_BUILD/millwright.dll"
    LOAD="dotnet $MILLWRIGHT_BUILD/Millwright.Load.dll"
else
    dotnet build -c Release bench/Millwright.Load -v q -nologo >/dev/null  # `millwright bench` runs it; builds the product too
    M="dotnet src/Millwright/bin/Release/net10.0/millwright.dll"
    LOAD="$M bench"
fi
USER_NAME=bench
PASSWORD=bench-secret
AUTH="--user $USER_NAME --password $PASSWORD"

cat > "$WORK/mosquitto.conf" <<CONF
listener $MQ_PORT 127.0.0.1
allow_anonymous false
password_file $WORK/passwords
persistence false
max_queued_messages 1000
# Our broker sets TCP_NODELAY; mosquitto only does when asked, and Nagle's delay would count against it.
set_tcp_nodelay true
CONF
mosquitto_passwd -b -c "$WORK/passwords" "$USER_NAME" "$PASSWORD"
# Started as root, mosquitto reads its files as the user "mosquitto".
chmod a+rx "$WORK"; chmod a+r "$WORK/passwords"
"$MOSQUITTO" -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 &
MQ_PID=$!
env ${MILLWRIGHT_BROKER_ENV:-} $M broker --listen 127.0.0.1:$MW_PORT --user "$USER_NAME:$PASSWORD" ${MILLWRIGHT_BROKER_ARGS:-} >"$WORK/millwright.log" 2>&1 &
MW_PID=$!
trap 'kill $MQ_PID $MW_PID 2>/dev/null; rm -rf "$WORK"' EXIT
sleep 3

rss_kib() { awk '/VmRSS/ {print $2}' /proc/"$1"/status; }
rate() { sed -n 's/.*: \([0-9]*\) msg\/s.*/\1/p'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/ {print $2}') GiB"
echo "mosquitto: $("$MOSQUITTO" -h 2>&1 | head -1)"
echo "millwright: $(git rev-parse --short HEAD 2>/dev/null || echo unknown), dotnet $(dotnet --version) ${MILLWRIGHT_BROKER_ARGS:-} ${MILLWRIGHT_BROKER_ENV:-}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

declare -A RESULT
[ -n "${IDLE_ONLY:-}" ] || {
for qos in 0 1; do
    for broker in millwright mosquitto; do
        port=$([ $broker = millwright ] && echo $MW_PORT || echo $MQ_PORT)
        line=$($LOAD mqtt --target 127.0.0.1:$port $AUTH --scenario fanin --qos $qos --publishers 100 --payload 100 --seconds "$SECONDS_PER")
        echo "$broker  $line"
        RESULT[$broker-$qos]=$(echo "$line" | rate)
    done
    echo "fan-in QoS $qos ratio millwright/mosquitto: $(awk "BEGIN {printf \"%.2f\", ${RESULT[millwright-$qos]} / ${RESULT[mosquitto-$qos]}}")"
    echo
done

# Latency at half the lower of the two QoS 0 maxima, so both brokers carry the same load.
half=$(( (RESULT[millwright-0] < RESULT[mosquitto-0] ? RESULT[millwright-0] : RESULT[mosquitto-0]) / 2 ))
for broker in millwright mosquitto; do
    port=$([ $broker = millwright ] && echo $MW_PORT || echo $MQ_PORT)
    echo "$broker  $($LOAD mqtt --target 127.0.0.1:$port $AUTH --scenario latency --publishers 10 --rate $half --seconds "$SECONDS_PER")"
done
echo
}

for broker in millwright mosquitto; do
    port=$([ $broker = millwright ] && echo $MW_PORT || echo $MQ_PORT)
    pid=$([ $broker = millwright ] && echo $MW_PID || echo $MQ_PID)
    before=$(rss_kib "$pid")
    $LOAD mqtt --target 127.0.0.1:$port $AUTH --scenario idle --connections "$IDLE" --seconds 20 2>"$WORK/idle-$broker.log" &
    loader=$!
    until grep -q "all $IDLE connected" "$WORK/idle-$broker.log" 2>/dev/null; do sleep 1; done
    sleep 5
    during=$(rss_kib "$pid")
    wait $loader
    echo "$broker  idle: $IDLE connections (load average $(cut -d' ' -f1 /proc/loadavg)), RSS $before KiB -> $during KiB, $(awk "BEGIN {printf \"%.1f\", ($during - $before) * 1024 / $IDLE / 1000}") KB per connection"
done
