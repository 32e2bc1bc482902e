#!/usr/bin/python3
"""A paho-mqtt 1.6 client driven from the C# tests: connect, subscribe, publish, then report every event
as one JSON line on stdout. Run with Debian's /usr/bin/python3 (python3-paho-mqtt)."""
import argparse
import json
import os
import sys
import threading
import time

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties


def say(event, **fields):
    fields["event"] = event
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--version", type=int, choices=[4, 5], default=4)
    p.add_argument("--id", default="")
    p.add_argument("--clean", type=int, default=1)
    p.add_argument("--session-expiry", type=int)
    p.add_argument("--keepalive", type=int, default=30)
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--will", nargs=4, metavar=("TOPIC", "PAYLOAD", "QOS", "RETAIN"))
    p.add_argument("--will-delay", type=int)
    p.add_argument("--sub", action="append", default=[], help="filter:qos")
    p.add_argument("--pub", action="append", nargs=4, default=[], metavar=("TOPIC", "QOS", "PAYLOAD", "RETAIN"))
    p.add_argument("--repeat", type=int, default=1, help="send each --pub this often, all in flight at once")
    p.add_argument("--user-prop", action="append", nargs=2, default=[], metavar=("KEY", "VALUE"))
    p.add_argument("--message-expiry", type=int)
    p.add_argument("--expect", type=int, default=0, help="messages to receive before ending")
    p.add_argument("--end", choices=["disconnect", "hang"], default="disconnect")
    p.add_argument("--timeout", type=float, default=20)
    a = p.parse_args()

    v5 = a.version == 5
    client = mqtt.Client(client_id=a.id, protocol=mqtt.MQTTv5 if v5 else mqtt.MQTTv311,
                         clean_session=None if v5 else bool(a.clean))
    if a.user is not None:
        client.username_pw_set(a.user, a.password)
    if a.will:
        props = None
        if v5 and a.will_delay is not None:
            props = Properties(PacketTypes.WILLMESSAGE)
            props.WillDelayInterval = a.will_delay
        client.will_set(a.will[0], a.will[1], int(a.will[2]), a.will[3] == "1", properties=props)

    connected = threading.Event()
    subscribed = threading.Event()
    received = []
    done = threading.Event()

    def on_connect(c, userdata, flags, rc, properties=None):
        say("connack", rc=int(rc.value) if hasattr(rc, "value") else int(rc), session_present=int(flags.get("session present", 0)))
        connected.set()

    def on_subscribe(c, userdata, mid, granted, properties=None):
        codes = [int(g.value) if hasattr(g, "value") else int(g) for g in granted]
        say("suback", codes=codes)
        subscribed.set()

    def on_message(c, userdata, msg):
        props = getattr(msg, "properties", None)
        user_props = list(getattr(props, "UserProperty", []) or []) if props else []
        say("message", topic=msg.topic, payload=msg.payload.decode("utf-8", "replace"), qos=msg.qos,
            retain=int(msg.retain), user_props=[list(x) for x in user_props])
        received.append(msg)
        if a.expect and len(received) >= a.expect:
            done.set()

    def on_publish(c, userdata, mid):
        say("published", mid=mid)

    def on_disconnect(c, userdata, rc, properties=None):
        say("disconnected", rc=int(rc.value) if hasattr(rc, "value") else int(rc))
        if not connected.is_set():
            connected.set()

    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = on_message
    client.on_publish = on_publish
    client.on_disconnect = on_disconnect

    connect_props = None
    if v5:
        connect_props = Properties(PacketTypes.CONNECT)
        if a.session_expiry is not None:
            connect_props.SessionExpiryInterval = a.session_expiry
        client.connect("127.0.0.1", a.port, keepalive=a.keepalive, clean_start=bool(a.clean), properties=connect_props)
    else:
        client.connect("127.0.0.1", a.port, keepalive=a.keepalive)
    client.loop_start()
    deadline = time.monotonic() + a.timeout
    if not connected.wait(a.timeout):
        say("error", what="no connack")
        os._exit(2)

    if a.sub:
        subscribed.clear()
        client.subscribe([(s.rsplit(":", 1)[0], int(s.rsplit(":", 1)[1])) for s in a.sub])
        if not subscribed.wait(max(0.1, deadline - time.monotonic())):
            say("error", what="no suback")
            os._exit(2)
    say("ready")

    for topic, qos, payload, retain in a.pub:
        props = None
        if v5 and (a.user_prop or a.message_expiry is not None):
            props = Properties(PacketTypes.PUBLISH)
            if a.user_prop:
                props.UserProperty = [tuple(x) for x in a.user_prop]
            if a.message_expiry is not None:
                props.MessageExpiryInterval = a.message_expiry
        infos = [client.publish(topic, payload, int(qos), retain == "1", properties=props) for _ in range(a.repeat)]
        for info in infos:
            info.wait_for_publish(max(0.1, deadline - time.monotonic()))
            if not info.is_published():
                say("error", what="publish not acknowledged", topic=topic)
                os._exit(2)
        if a.repeat > 1:
            say("acknowledged", topic=topic, count=len(infos))

    if a.expect and not done.wait(max(0.1, deadline - time.monotonic())):
        say("error", what="timeout", received=len(received))
        os._exit(3)

    if a.end == "hang":
        say("hanging")
        threading.Event().wait(a.timeout)
        os._exit(4)

    client.disconnect()
    client.loop_stop()
    say("bye")


if __name__ == "__main__":
    main()
