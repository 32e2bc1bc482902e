#!/usr/bin/python3
"""A machine that takes jobs over Modbus TCP, on Debian's pymodbus 3.0 (python3-pymodbus).

Usage: modbus_machine.py complete|reject|bogus. Listens on 127.0.0.1 with port 0, prints "READY <port>", and
serves until it is killed (the tests' PeerProcess does that). Its job block follows the command map the tests give the platform (docs/modbus.md):
  holding 100-101 jobId (uint32, high word first), 102 quantity (uint16), 103-110 program (ASCII, 16 characters),
  111 command register (1 = job, 2 = cancel);
  holding 120 status (1 accepted, 2 rejected, 3 cancelled, 4 completed), 121-122 jobId echoed, 123 good units.
Holding registers exist at 0-129 only, so a write elsewhere is refused with IllegalDataAddress (exception 2).
When the command register is written it prints "COMMAND <code> <jobId> <quantity> <program>" and answers as its
mode says: complete = accepted, then completed with good = quantity a moment later; reject = rejected;
bogus = status code 9, which no map names.
"""
import asyncio
import logging
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server.async_io import ModbusTcpServer

MODE = sys.argv[1]
COMMAND, STATUS = 111, 120


class JobBlock(ModbusSequentialDataBlock):
    """Holding registers that react, like a PLC program, when the command register is written."""

    def setValues(self, address, values):
        super().setValues(address, values)
        count = len(values) if isinstance(values, list) else 1
        if address <= COMMAND < address + count:
            self.take(self.getValues(COMMAND, 1)[0])

    def take(self, code):
        regs = self.getValues(100, 11)
        job_id = (regs[0] << 16) | regs[1]
        quantity = regs[2]
        program = b"".join(bytes([r >> 8, r & 0xFF]) for r in regs[3:11]).rstrip(b"\0").decode("ascii")
        print(f"COMMAND {code} {job_id} {quantity} {program}", flush=True)
        if code == 2:
            self.answer(3, job_id, 0)
        elif MODE == "reject":
            self.answer(2, job_id, 0)
        elif MODE == "bogus":
            self.answer(9, job_id, 0)
        else:
            self.answer(1, job_id, 0)
            asyncio.get_running_loop().call_later(0.5, self.answer, 4, job_id, quantity)

    def answer(self, status, job_id, good):
        super().setValues(STATUS, [status, job_id >> 16, job_id & 0xFFFF, good])


async def main():
    logging.basicConfig(level=logging.CRITICAL)
    logging.getLogger("pymodbus").setLevel(logging.CRITICAL)
    # zero_mode: PDU address n is list index n (pymodbus otherwise adds 1).
    slave = ModbusSlaveContext(zero_mode=True, hr=JobBlock(0, [0] * 130), ir=ModbusSequentialDataBlock(0, [0] * 10))
    server = ModbusTcpServer(ModbusServerContext(slaves=slave, single=True), address=("127.0.0.1", 0), allow_reuse_address=True)
    serving = asyncio.ensure_future(server.serve_forever())
    await server.serving
    print(f"READY {server.server.sockets[0].getsockname()[1]}", flush=True)
    await serving


if __name__ == "__main__":
    asyncio.run(main())
