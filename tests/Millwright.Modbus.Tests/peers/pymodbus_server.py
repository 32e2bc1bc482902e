#!/usr/bin/python3
"""A pymodbus 3.0 (Debian bookworm's python3-pymodbus) TCP server with fixed test values.

Started by PymodbusPeer on 127.0.0.1 with port 0; prints "READY <port>" once listening and exits when
stdin closes. Values are packed with Python's struct module, independently of our C# codec; the tests
mirror the table below.
"""
import asyncio
import logging
import struct
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server.async_io import ModbusTcpServer


def words(fmt, value, swapped=False):
    """Big-endian 32-bit value as two registers, high word first (ABCD) or low word first (CDAB)."""
    high, low = struct.unpack(">HH", struct.pack(fmt, value))
    return [low, high] if swapped else [high, low]


def holding():
    regs = [0] * 100
    regs[0] = struct.unpack(">H", struct.pack(">h", -2))[0]  # int16
    regs[1] = 50000  # uint16
    regs[2:4] = words(">i", -123456)  # int32 ABCD
    regs[4:6] = words(">I", 3000000000)  # uint32 ABCD
    regs[6:8] = words(">f", 12.5)  # float32 ABCD
    regs[8:10] = words(">f", -7.25, swapped=True)  # float32 CDAB
    regs[10:12] = words(">i", -123456, swapped=True)  # int32 CDAB
    regs[12] = 1234  # uint16 with scale 0.1 and offset -10
    regs[14:16] = words(">I", 3000000000, swapped=True)  # uint32 CDAB
    return regs


def inputs():
    regs = [0] * 20
    regs[0:2] = words(">f", 3.14159)  # float32 ABCD
    regs[2] = 42
    return regs


async def main():
    logging.basicConfig(level=logging.CRITICAL)
    logging.getLogger("pymodbus").setLevel(logging.CRITICAL)
    slave = ModbusSlaveContext(
        # zero_mode: PDU address n is list index n (pymodbus otherwise adds 1).
        zero_mode=True,
        hr=ModbusSequentialDataBlock(0, holding()),
        ir=ModbusSequentialDataBlock(0, inputs()),
        co=ModbusSequentialDataBlock(0, [i % 3 == 0 for i in range(20)]),
        di=ModbusSequentialDataBlock(0, [i % 2 == 1 for i in range(20)]),
    )
    context = ModbusServerContext(slaves=slave, single=True)
    server = ModbusTcpServer(context, address=("127.0.0.1", 0), allow_reuse_address=True)
    serving = asyncio.ensure_future(server.serve_forever())
    await server.serving
    port = server.server.sockets[0].getsockname()[1]
    print(f"READY {port}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    serving.cancel()


if __name__ == "__main__":
    asyncio.run(main())
