#!/usr/bin/python3
"""Two tenants on one Millwright: does a flood from tenant A slow tenant B down?

Starts `millwright serve` on a fresh SQLite store, makes tenants A and B through the REST API, and drives both
with paho-mqtt (a client we did not write), each tenant from its own processes:
  1. B alone sends a steady 1,000 points/s (10 messages/s of 100 values, QoS 1); its publish->PUBACK latency is
     publish->commit, since the platform acknowledges only after the group commit.
  2. A alone publishes as fast as it can (QoS 1, a deep in-flight window): its committed rate is the platform's
     capacity C on this machine.
  3. A offers 2 x C open-loop (QoS 1, publishes queued whatever the acknowledgements) while B sends as in 1.
A's processes run at nice 10 (MW_FLOOD_NICE, 0 to turn off): on this machine they share the two cores with the
platform, which devices of another tenant would not. Before phase 1, B sends for 5 s unmeasured, so that JIT compilation is not counted as B's latency alone.
Prints offered and committed rates and B's p50/p99 in each phase, and the ratio of B's p99 with A flooding to
B's p99 alone.

  bench/fairness.py [seconds per phase, default 20]
"""
import json
import multiprocessing as mp
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import paho.mqtt
import paho.mqtt.client as mqtt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAGS = 100
A_VALUES = 500
WARM_UP = 5
FLOOD_NICE = int(os.environ.get("MW_FLOOD_NICE", "10"))
# B's devices too run on their own hardware: MW_STEADY_NICE=-5 (root) keeps B's client from waiting for a core
# behind the platform's busy threads, so its latency is the platform's and not its own scheduling's.
STEADY_NICE = int(os.environ.get("MW_STEADY_NICE", "0"))
# Open loop at 2 C hands paho more than it can write: its queue grows in memory and the platform may see less than C.
# MW_SATURATE=1 runs A in phase 3 flat out (window-bound) instead, which keeps A's lane full.
SATURATE = os.environ.get("MW_SATURATE") == "1"
# MW_FLOOD_SCHED=idle runs A's processes in phase 3 under SCHED_IDLE instead (phase 2 keeps the nice above, so C is
# not lowered by a starved generator): they get a core only when the platform and B's
# client leave one idle, which is what A's devices on their own hardware cost this machine (nothing). A's offered
# rate is what its processes managed to hand paho; check it is still at least 2 C.
FLOOD_IDLE = os.environ.get("MW_FLOOD_SCHED") == "idle"
# MW_FLOOD_CLIENT=raw sends A's flood (phases 2 and 3) from pre-built MQTT 3.1.1 PUBLISH packets written in blocks
# instead of paho: paho, open loop at 2 C, accepted 7.6 M points/s into its queue but its Python loop put only
# 0.5 M/s on the wire (the platform sat at a quarter of a core), so "offered" was not what the platform was offered.
RAW_FLOOD = os.environ.get("MW_FLOOD_CLIENT") == "raw"
RAW_BLOCK = 64
RAW_WINDOW = 1000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(api, key, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(api + path, data=data, method=method,
                                     headers={"X-Api-Key": key, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")


def tenant(api, platform_key, slug, machines):
    t = call(api, platform_key, "POST", "/api/v1/tenants", {"slug": slug, "name": f"Tenant {slug}"})
    key = mint_key(api, platform_key, t["id"], "tenant_admin", "fairness benchmark")
    site = call(api, key, "POST", "/api/v1/sites", {"name": "s", "timeZone": "UTC"})
    area = call(api, key, "POST", "/api/v1/areas", {"siteId": site["id"], "name": "a"})
    line = call(api, key, "POST", "/api/v1/lines", {"areaId": area["id"], "name": "l"})
    mtype = call(api, key, "POST", "/api/v1/machine-types", {
        "name": "sensor", "tags": [{"name": f"t{i}", "unit": "kW"} for i in range(A_VALUES)]})
    creds = []
    for m in range(machines):
        machine = call(api, key, "POST", "/api/v1/machines", {"lineId": line["id"], "typeId": mtype["id"], "name": f"m{m}"})
        c = call(api, key, "POST", f"/api/v1/machines/{machine['id']}/credentials", {})
        creds.append((f"mw/{slug}/m{m}/telemetry", c["username"], c["secret"]))
    return creds


def mint_key(api, platform_key, tenant_id, role, reason):
    """A key of the tenant, minted by the platform admin: that needs a reason, which lands in the tenant's audit log."""
    return call(api, platform_key, "POST", f"/api/v1/tenants/{tenant_id}/api-keys", {"name": "bench", "role": role, "reason": reason})["key"]


def start_platform(prefix, extra_args=()):
    """`millwright serve` (Release) on a fresh SQLite store and free ports; returns (process, work dir, api, MQTT port, platform key)."""
    work = tempfile.mkdtemp(prefix=prefix)
    http, mqtt_port = free_port(), free_port()
    if os.environ.get("MW_NO_BUILD") != "1":
        subprocess.run(["dotnet", "build", "-c", "Release", "src/Millwright", "-v", "q", "-nologo"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(["dotnet", "src/Millwright/bin/Release/net10.0/millwright.dll", "serve", "--data", work,
                               "--http", f"127.0.0.1:{http}", "--mqtt", f"127.0.0.1:{mqtt_port}", *extra_args],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    api = f"http://127.0.0.1:{http}"
    for _ in range(600):
        try:
            urllib.request.urlopen(api + "/health")
            break
        except OSError:
            time.sleep(0.1)
    return server, work, api, mqtt_port, open(os.path.join(work, "platform-admin.key")).read().strip()


def stop_platform(server, work):
    server.terminate()
    server.wait()
    shutil.rmtree(work, ignore_errors=True)


def connect(port, username, secret, inflight):
    client = mqtt.Client(client_id=username, protocol=mqtt.MQTTv311)
    client.username_pw_set(username, secret)
    client.max_inflight_messages_set(inflight)
    client.max_queued_messages_set(0)
    return client


def steady(port, cred, seconds, out):
    """Tenant B: 10 messages of 100 values a second, latency of each PUBACK."""
    if STEADY_NICE:
        os.nice(STEADY_NICE)
    topic, user, secret = cred
    client = connect(port, user, secret, 100)
    sent, latencies, lock = {}, [], threading.Lock()

    def on_publish(c, userdata, mid):
        now = time.perf_counter()
        with lock:  # the acknowledgement may come before publish() has returned its mid
            if mid in sent:
                latencies.append(now - sent.pop(mid))

    client.on_publish = on_publish
    client.connect("127.0.0.1", port)
    client.loop_start()
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < seconds:
        due = start + n / 10
        if due > time.perf_counter():
            time.sleep(max(0.0, due - time.perf_counter()))
        payload = json.dumps({"ts": int(time.time() * 1000), "values": {f"t{i}": n % 97 for i in range(TAGS)}})
        with lock:
            at = time.perf_counter()
            info = client.publish(topic, payload, qos=1)
            sent[info.mid] = at
        n += 1
    time.sleep(2)
    client.loop_stop()
    client.disconnect()
    out.put(("B", n * TAGS, len(latencies) * TAGS, sorted(latencies), seconds))


def lower_priority(idle):
    """A flood process's own priority: SCHED_IDLE when asked, else MW_FLOOD_NICE. A tenant's devices run on their own
    hardware; on this 2-core machine the flood's Python processes would otherwise take the very CPU the platform and
    tenant B's client need (MW_FLOOD_NICE=0 turns this off)."""
    if idle:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    elif FLOOD_NICE:
        os.nice(FLOOD_NICE)


def flood(port, cred, seconds, rate, idle, out):
    """Tenant A: messages of 500 values, open loop at `rate` messages/s (0: as fast as paho takes them, window-bound)."""
    lower_priority(idle)
    topic, user, secret = cred
    client = connect(port, user, secret, 1000 if rate == 0 else 65535)
    acked = [0]
    client.on_publish = lambda c, u, mid: acked.__setitem__(0, acked[0] + 1)
    client.connect("127.0.0.1", port)
    client.loop_start()
    payload = json.dumps({"values": {f"t{i}": i for i in range(A_VALUES)}})
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < seconds:
        if rate:
            due = start + n / rate
            if due > time.perf_counter():
                time.sleep(max(0.0, due - time.perf_counter()))
        elif n - acked[0] >= 1000:
            time.sleep(0.001)
            continue
        client.publish(topic, payload, qos=1)
        n += 1
    committed = acked[0]
    client.loop_stop()
    client.disconnect()
    out.put(("A", n * A_VALUES, committed * A_VALUES, [], seconds))


def varint(n):
    out = bytearray()
    while True:
        n, byte = n >> 7, n & 0x7F
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def utf8(text):
    data = text.encode()
    return len(data).to_bytes(2, "big") + data


def flood_raw(port, cred, seconds, rate, idle, out):
    """Tenant A without paho: MQTT 3.1.1 QoS 1 PUBLISH packets built once and written RAW_BLOCK at a time, open loop at
    `rate` messages/s (0: flat out with at most RAW_WINDOW unacknowledged). Counts the PUBACKs (the only packets the
    server sends after CONNACK, keep-alive being off). Reports what was due by the schedule as offered."""
    lower_priority(idle)
    topic, user, secret = cred
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    body = utf8("MQTT") + bytes([4, 0xC2, 0, 0]) + utf8(user) + utf8(user) + utf8(secret)
    sock.sendall(bytes([0x10]) + varint(len(body)) + body)
    connack = sock.recv(4)
    if len(connack) != 4 or connack[0] != 0x20 or connack[3] != 0:
        raise SystemExit(f"flood: CONNACK {connack.hex()}")
    payload = json.dumps({"values": {f"t{i}": i for i in range(A_VALUES)}}).encode()
    head = bytes([0x32]) + varint(2 + len(topic.encode()) + 2 + len(payload)) + utf8(topic)
    size = len(head) + 2 + len(payload)
    block = bytearray((head + b"\0\0" + payload) * RAW_BLOCK)
    acked = [0]

    def read_acks():
        rest = 0
        while True:
            try:
                data = sock.recv(1 << 16)
            except OSError:  # closed by the writer at the end
                return
            if not data:
                return
            # PUBACKs are 4 bytes (0x40 0x02 id id); a read may end inside one.
            total = rest + len(data)
            acked[0] += total // 4
            rest = total % 4

    threading.Thread(target=read_acks, daemon=True).start()
    start = time.perf_counter()
    n = 0
    pid = 0
    while time.perf_counter() - start < seconds:
        if rate:
            k = min(RAW_BLOCK, int((time.perf_counter() - start) * rate) - n)
        else:
            k = min(RAW_BLOCK, RAW_WINDOW - (n - acked[0]))
        if k <= 0:
            time.sleep(0.001)
            continue
        for j in range(k):
            pid = pid % 65535 + 1
            struct.pack_into(">H", block, j * size + len(head), pid)
        sock.sendall(memoryview(block)[: k * size])
        n += k
    elapsed = time.perf_counter() - start
    committed = acked[0]
    sock.close()
    offered = rate * elapsed if rate else n
    out.put(("A", offered * A_VALUES, committed * A_VALUES, [], seconds))


def run(port, b, a, seconds, a_rate=None, a_idle=False):
    out = mp.Queue()
    procs = []
    if b:
        procs.append(mp.Process(target=steady, args=(port, b, seconds, out)))
    for cred in a or []:
        procs.append(mp.Process(target=flood_raw if RAW_FLOOD else flood, args=(port, cred, seconds, a_rate or 0, a_idle, out)))
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    summary = {}
    for who, offered, committed, latencies, secs in results:
        s = summary.setdefault(who, {"offered": 0, "committed": 0, "latencies": []})
        s["offered"] += offered / secs
        s["committed"] += committed / secs
        s["latencies"] += latencies
    return summary


def pct(values, q):
    return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else float("nan")


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    server, work, api, mqtt_port, platform_key = start_platform("mw-fair-")
    try:
        b = tenant(api, platform_key, "tenant-b", 1)[0]
        a = tenant(api, platform_key, "tenant-a", 2)
        cores = os.cpu_count()
        print(f"flood generator {'(pre-built packets) ' if RAW_FLOOD else '(paho) '}{'under SCHED_IDLE' if FLOOD_IDLE else f'at nice {FLOOD_NICE}'}, steady client at nice {STEADY_NICE}")
        print(f"machine: {cores} cores, {int(open('/proc/meminfo').readline().split()[1]) // 1048576} GiB; store: SQLite; client: paho-mqtt {paho.mqtt.__version__}")

        # Unmeasured: the platform's first messages pay for JIT compilation, which is not what a tenant sees later.
        run(mqtt_port, b, None, WARM_UP)
        alone = run(mqtt_port, b, None, seconds)["B"]
        print(f"1. B alone:            offered {alone['offered']:9.0f} points/s, committed {alone['committed']:9.0f}, "
              f"publish->commit p50 {pct(alone['latencies'], 0.5):6.1f} ms, p99 {pct(alone['latencies'], 0.99):6.1f} ms")
        capacity = run(mqtt_port, None, a, seconds)["A"]
        print(f"2. A alone, flat out:  offered {capacity['offered']:9.0f} points/s, committed {capacity['committed']:9.0f} (capacity C)")
        rate = 2 * capacity["committed"] / A_VALUES / len(a)
        both = run(mqtt_port, b, a, seconds, a_rate=None if SATURATE else rate, a_idle=FLOOD_IDLE)
        print(f"3. A at 2C + B:        A offered {both['A']['offered']:9.0f} points/s, committed {both['A']['committed']:9.0f}; "
              f"B offered {both['B']['offered']:6.0f}, committed {both['B']['committed']:6.0f}, "
              f"p50 {pct(both['B']['latencies'], 0.5):6.1f} ms, p99 {pct(both['B']['latencies'], 0.99):6.1f} ms")
        print(f"B p99 with A flooding / B p99 alone: {pct(both['B']['latencies'], 0.99) / pct(alone['latencies'], 0.99):.2f} (target <= 2); "
              f"A offered / committed: {both['A']['offered'] / max(1, both['A']['committed']):.2f}")
    finally:
        stop_platform(server, work)


if __name__ == "__main__":
    main()
