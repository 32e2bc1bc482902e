#!/usr/bin/env bash
# The README tour, line by line, against a fresh demo: starts `millwright demo` (short history, free ports) in an
# empty working directory, waits until its factory and shop are set up, then runs every ```sh block of README.md
# after the first (the first starts the demo and the tests) in order, in one shell, stopping at the first command
# that fails: curl -sf makes an HTTP error a failure. The README's addresses (127.0.0.1:5080, 1883) are pointed at
# the demo's free ports; nothing else is changed.
#
#   tests/readme-tour.sh [millwright command...]    (default: dotnet run --project src/Millwright --)
#
# Run by ./test.sh through ReadmeTourTests, with the built millwright.dll.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -gt 0 ]; then MILLWRIGHT=("$@"); else MILLWRIGHT=(dotnet run --project "$ROOT/src/Millwright" --); fi

WORK="$(mktemp -d /tmp/millwright-tour.XXXXXX)"
DEMO_PID=""
cleanup() {
    if [ -n "$DEMO_PID" ]; then kill "$DEMO_PID" 2>/dev/null || true; wait "$DEMO_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# Three free loopback ports (HTTP, MQTT, the first simulated Modbus server's), then 60 more above the last for Modbus.
read -r HTTP MQTT MODBUS < <(/usr/bin/python3 - <<'PY'
import socket
ports = []
socks = []
for _ in range(2):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s); ports.append(s.getsockname()[1])
# A run of 100 free ports for the simulated Modbus servers.
base = 20000 + (ports[0] % 20000)
while True:
    try:
        run = []
        for p in range(base, base + 100):
            s = socket.socket(); s.bind(("127.0.0.1", p)); run.append(s)
        for s in run: s.close()
        break
    except OSError:
        for s in run: s.close()
        base += 100
for s in socks: s.close()
print(ports[0], ports[1], base)
PY
)

cd "$WORK"
"${MILLWRIGHT[@]}" demo --http "127.0.0.1:$HTTP" --mqtt "127.0.0.1:$MQTT" --modbus-port "$MODBUS" --history 10m >"$WORK/demo.out" 2>"$WORK/demo.err" &
DEMO_PID=$!

# Ready once the shop is seeded on the provisioned factory: every id the demo hands out is taken by then.
for _ in $(seq 1 600); do
    if grep -q '^Production:' "$WORK/demo.out"; then break; fi
    if ! kill -0 "$DEMO_PID" 2>/dev/null; then echo "readme-tour: the demo ended"; cat "$WORK/demo.out" "$WORK/demo.err"; exit 1; fi
    sleep 0.5
done
grep -q '^Production:' "$WORK/demo.out" || { echo "readme-tour: the demo was not ready after 5 minutes"; cat "$WORK/demo.out"; exit 1; }
grep -qF "KEY=\$(cat $WORK/data/demo-tenant-admin.key)" "$WORK/demo.out" \
    || { echo "readme-tour: the demo did not print the KEY line for its data directory"; cat "$WORK/demo.out"; exit 1; }

# The README's sh blocks after the first, in order, pointed at this demo's ports.
awk '/^```sh$/ { n++; inside = 1; next } /^```$/ { inside = 0; next } inside && n > 1 { print }' "$ROOT/README.md" \
    | sed -e "s/127\.0\.0\.1:5080/127.0.0.1:$HTTP/g" -e "s/-p 1883/-p $MQTT/g" >"$WORK/tour.sh"
[ -s "$WORK/tour.sh" ] || { echo "readme-tour: no sh blocks after the first in README.md"; exit 1; }

echo "readme-tour: running $(grep -c . "$WORK/tour.sh") lines of README.md against the demo on 127.0.0.1:$HTTP"
# A command that waits for ever (a subscriber whose messages never come) fails the tour after 4 minutes, showing
# which command it was (the shell's trace, last line), instead of hanging the test run.
status=0
(cd "$WORK" && timeout --kill-after=10 240 bash -euo pipefail -x "$WORK/tour.sh" >"$WORK/tour.out" 2>"$WORK/tour.err") || status=$?
if [ "$status" -ne 0 ]; then
    [ "$status" -eq 124 ] && echo "readme-tour: TIMED OUT after 240 s; the command it waited for is the trace's last line"
    echo "readme-tour: FAILED"; tail -n 40 "$WORK/tour.err"; echo "--- output"; tail -n 20 "$WORK/tour.out"
    echo "--- the demo's log"; tail -n 30 "$WORK/demo.out"; tail -n 30 "$WORK/demo.err"; exit 1
fi
[ "${README_TOUR_SHOW:-0}" = 1 ] && cat "$WORK/tour.out"
echo "readme-tour: passed"
