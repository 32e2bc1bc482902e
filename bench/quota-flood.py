#!/usr/bin/python3
"""One tenant tries to make the broker hold without bound, under the default quotas.

Starts `millwright serve` on a fresh SQLite store and, as one tenant's operator key over raw MQTT 5.0 (so every
reason code is seen):
  1. opens SESSIONS persistent sessions (session expiry 1 day), one connection each, closed after its CONNACK;
  2. publishes RETAINED retained messages of 100 bytes to distinct topics at QoS 1, 200 in flight.
Prints how many were accepted and refused with which reason code, and the server's peak RSS.

  bench/quota-flood.py [sessions, default 100000] [retained, default 1000000]
"""
import os
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fairness import call, mint_key, start_platform, stop_platform  # noqa: E402


def varint(n):
    out = bytearray()
    while True:
        byte, n = n % 128, n // 128
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def utf8(s):
    b = s.encode()
    return struct.pack(">H", len(b)) + b


def connect_packet(client_id, user, password, expiry):
    props = b"\x11" + struct.pack(">I", expiry) if expiry else b""
    body = utf8("MQTT") + b"\x05" + bytes([0xC0 | (0 if expiry else 0x02)]) + struct.pack(">H", 60) + varint(len(props)) + props
    body += utf8(client_id) + utf8(user) + utf8(password)
    return b"\x10" + varint(len(body)) + body


def read_packet(sock, buffer):
    while True:
        if len(buffer) >= 2:
            length, shift, i = 0, 0, 1
            while i < len(buffer) and i <= 4:
                length += (buffer[i] & 0x7F) << shift
                shift += 7
                if not buffer[i] & 0x80:
                    break
                i += 1
            else:
                i = None
            if i is not None and len(buffer) >= i + 1 + length:
                packet = bytes(buffer[: i + 1 + length])
                del buffer[: i + 1 + length]
                return packet[0], packet[i + 1:]
        chunk = sock.recv(65536)
        if not chunk:
            return None, None
        buffer.extend(chunk)


class Peak(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    def run(self):
        while self.running:
            try:
                for line in open(f"/proc/{self.pid}/status"):
                    if line.startswith("VmRSS"):
                        self.peak = max(self.peak, int(line.split()[1]))
            except OSError:
                return
            time.sleep(0.2)


def sessions(port, user, key, count):
    codes = {}
    start = time.perf_counter()
    for n in range(count):
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(connect_packet(f"kept-{n}", user, key, 86400))
            kind, body = read_packet(s, bytearray())
            code = body[1] if body else -1
            codes[code] = codes.get(code, 0) + 1
        if n % 10000 == 9999:
            print(f"   {n + 1} attempts, {time.perf_counter() - start:.0f} s: {fmt(codes)}", file=sys.stderr)
    return codes


def retained(port, user, key, slug, count):
    codes = {}
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(connect_packet("retainer", user, key, 0))
    buffer = bytearray()
    _, connack = read_packet(s, buffer)
    if not connack or connack[1] != 0:
        raise SystemExit(f"the retaining client was refused: CONNACK {connack[1] if connack else 'none'}")
    payload = b"x" * 100
    sent = acked = 0
    start = time.perf_counter()
    while acked < count:
        burst = bytearray()
        while sent < count and sent - acked < 200:
            pid = sent % 65535 + 1
            body = utf8(f"mw/{slug}/d{sent}/cmd") + struct.pack(">H", pid) + b"\x00" + payload
            burst += b"\x33" + varint(len(body)) + body
            sent += 1
        if burst:
            s.sendall(burst)
        kind, body = read_packet(s, buffer)
        if kind is None:
            codes["closed"] = codes.get("closed", 0) + 1
            break
        if kind >> 4 == 4:
            code = body[2] if len(body) > 2 else 0
            codes[code] = codes.get(code, 0) + 1
            acked += 1
            if acked % 100000 == 0:
                print(f"   {acked} acknowledged, {time.perf_counter() - start:.0f} s: {fmt(codes)}", file=sys.stderr)
    s.close()
    return codes


def fmt(codes):
    names = {0: "success", 0x97: "0x97 quota exceeded", 0x9F: "0x9F connection rate exceeded", 0x87: "0x87 not authorized"}
    return ", ".join(f"{names.get(k, k)}: {v}" for k, v in sorted(codes.items(), key=lambda kv: str(kv[0])))


def main():
    n_sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    n_retained = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    # MW_SERVE_ARGS adds options, e.g. "--quota mqtt-connect-rate=100000" to reach the session quota sooner.
    server, work, api, mqtt_port, platform_key = start_platform("mw-quota-", os.environ.get("MW_SERVE_ARGS", "").split())
    peak = Peak(server.pid)
    try:
        peak.start()
        t = call(api, platform_key, "POST", "/api/v1/tenants", {"slug": "flood", "name": "Flood"})
        key = mint_key(api, platform_key, t["id"], "operator", "quota benchmark")
        print(f"machine: {os.cpu_count()} cores; store: SQLite; default quotas; RSS before: {peak.peak // 1024} MiB")
        started = time.perf_counter()
        codes = sessions(mqtt_port, "flood", key, n_sessions)
        print(f"1. {n_sessions} persistent sessions in {time.perf_counter() - started:.0f} s: {fmt(codes)}; peak RSS {peak.peak // 1024} MiB")
        time.sleep(2)  # the connect-rate bucket refills, so the retaining client gets in
        started = time.perf_counter()
        codes = retained(mqtt_port, "flood", key, "flood", n_retained)
        print(f"2. {n_retained} retained messages in {time.perf_counter() - started:.0f} s: {fmt(codes)}; peak RSS {peak.peak // 1024} MiB")
        quotas = call(api, key, "GET", "/api/v1/quotas")["quotas"]
        used = {q["name"]: q["used"] for q in quotas}
        print(f"GET /api/v1/quotas: persistent-sessions {used['persistent-sessions']}, retained-messages {used['retained-messages']}, "
              f"retained-bytes {used['retained-bytes']}")
    finally:
        peak.running = False
        stop_platform(server, work)


if __name__ == "__main__":
    main()
