#!/usr/bin/env python3
"""Independent peer: encodes Sparkplug B payloads with python3's protobuf runtime (Debian python3-protobuf).

The schema comes from a descriptor set that protoc builds from src/Millwright.Sparkplug/sparkplug_b.proto:
  protoc --descriptor_set_out=/tmp/sparkplug.pb -I src/Millwright.Sparkplug sparkplug_b.proto
  /usr/bin/python3 tests/Millwright.Sparkplug.Tests/Peers/python_peer.py /tmp/sparkplug.pb
prints the hex that PythonPeerTests.cs embeds. The example is the specification's 6.4.2 payload, plus an
Int8 written the zero-extended way and a DDATA by alias without datatype.
"""
import sys
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

fds = descriptor_pb2.FileDescriptorSet()
fds.ParseFromString(open(sys.argv[1], "rb").read())
pool = descriptor_pool.DescriptorPool()
for f in fds.file:
    pool.Add(f)
Payload = message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName("millwright.sparkplug.b.Payload"))

# 6.4.2: {"timestamp": 1486144502122, "metrics": [{"name": "My Metric", "alias": 1,
#          "timestamp": 1479123452194, "dataType": "String", "value": "Test"}], "seq": 2}
p = Payload()
p.timestamp = 1486144502122
m = p.metrics.add()
m.name = "My Metric"
m.alias = 1
m.timestamp = 1479123452194
m.datatype = 12
m.string_value = "Test"
p.seq = 2
print("spec-6.4.2", p.SerializeToString().hex().upper())

# A DBIRTH with an Int8 of -1 written zero-extended (0xFF), a Double, and a null Int32.
p = Payload()
p.timestamp = 1486144502122
p.seq = 1
for name, alias, dt, field, value in [("Temp", 10, 1, "int_value", 0xFF), ("Load", 11, 10, "double_value", 0.75)]:
    m = p.metrics.add()
    m.name, m.alias, m.timestamp, m.datatype = name, alias, 1486144502122, dt
    setattr(m, field, value)
m = p.metrics.add()
m.name, m.alias, m.timestamp, m.datatype, m.is_null = "Count", 12, 1486144502122, 3, True
print("dbirth", p.SerializeToString().hex().upper())

# DDATA by alias only, no datatype (6.4.6): the host types it from the DBIRTH.
p = Payload()
p.timestamp = 1486144503000
p.seq = 2
m = p.metrics.add()
m.alias, m.timestamp, m.double_value = 11, 1486144503000, 0.5
print("ddata", p.SerializeToString().hex().upper())
