using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Millwright.Modbus;

namespace Millwright.Simulator.Drivers;

/// <summary>
/// The job block a job-taking simulated Modbus machine serves in its holding registers (docs/simulator.md, "Jobs";
/// the platform's side is docs/modbus.md, "Commands"), as a PLC program would: the platform writes the job's
/// fields, then the command code into <see cref="CommandRegister"/> (1 job, 2 cancel); the machine takes the
/// command on its tick, clears the code, and answers by writing the answer's job id, good and scrap, then the
/// status code last (1 accepted, 2 rejected, 3 cancelled, 4 completed), which the platform's poller reads back.
/// 32-bit values are ABCD (high word first); the program is ASCII, two characters a register, high byte first.
/// </summary>
internal static class ModbusJobBlock
{
    public const ushort JobId = 100;
    public const ushort Quantity = 102;
    public const ushort SetupSeconds = 104;
    public const ushort UnitSeconds = 106;
    public const ushort Program = 108;
    public const ushort ProgramRegisters = 8;
    public const ushort CommandRegister = 116;
    public const ushort StatusRegister = 120;
    public const ushort AnswerJobId = 121;
    public const ushort AnswerGood = 123;
    public const ushort AnswerScrap = 125;

    private static readonly string[] Statuses = ["", "accepted", "rejected", "cancelled", "completed"];

    /// <summary>The command map the platform is given for this block (PUT /api/v1/machines/{id}/modbus, <c>commands</c>).</summary>
    public static object Contract() => new
    {
        fields = new object[]
        {
            new { member = "jobId", address = JobId, dataType = "uint32" },
            new { member = "quantity", address = Quantity, dataType = "uint32" },
            new { member = "setupSeconds", address = SetupSeconds, dataType = "float32" },
            new { member = "unitSeconds", address = UnitSeconds, dataType = "float32" },
            new { member = "program", address = Program, dataType = "string", length = ProgramRegisters },
        },
        commandRegister = CommandRegister,
        codes = new { job = 1, cancel = 2 },
        answer = new
        {
            area = "holding",
            statusRegister = StatusRegister,
            statuses = new Dictionary<string, string> { ["1"] = Statuses[1], ["2"] = Statuses[2], ["3"] = Statuses[3], ["4"] = Statuses[4] },
            fields = new object[]
            {
                new { member = "jobId", address = AnswerJobId, dataType = "uint32" },
                new { member = "good", address = AnswerGood, dataType = "uint32" },
                new { member = "scrap", address = AnswerScrap, dataType = "uint32" },
            },
        },
    };

    /// <summary>The command waiting in the block as the JSON the platform would have sent over MQTT, or null; taking it clears the code.</summary>
    public static byte[]? TakeCommand(ModbusRegisterBank bank)
    {
        var registers = bank.GetRegisters(ModbusArea.HoldingRegister, JobId, CommandRegister - JobId + 1);
        var code = registers[CommandRegister - JobId];
        if (code == 0)
        {
            return null;
        }

        bank.SetRegisters(ModbusArea.HoldingRegister, CommandRegister, [0]);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", code switch { 1 => "job", 2 => "cancel", _ => $"code {code}" });
            json.WriteNumber("jobId", UInt32(registers, JobId - JobId));
            if (code == 1)
            {
                json.WriteNumber("quantity", UInt32(registers, Quantity - JobId));
                json.WriteNumber("setupSeconds", Math.Round(Float32(registers, SetupSeconds - JobId), 3));
                json.WriteNumber("unitSeconds", Math.Round(Float32(registers, UnitSeconds - JobId), 3));
                json.WriteString("program", Ascii(registers.AsSpan(Program - JobId, ProgramRegisters)));
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Writes an answer (the JSON of docs/production.md) into the answer registers, the status last.</summary>
    public static void Answer(ModbusRegisterBank bank, byte[] answer)
    {
        using var json = JsonDocument.Parse(answer);
        var root = json.RootElement;
        long Member(string name) => root.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;
        var status = (ushort)Math.Max(0, Array.IndexOf(Statuses, root.TryGetProperty("status", out var s) ? s.GetString() : null));
        Span<ushort> values = stackalloc ushort[6];
        WriteUInt32(values[0..], Member("jobId"));
        WriteUInt32(values[2..], Member("good"));
        WriteUInt32(values[4..], Member("scrap"));
        bank.SetRegisters(ModbusArea.HoldingRegister, AnswerJobId, values);
        bank.SetRegisters(ModbusArea.HoldingRegister, StatusRegister, [status]);
    }

    private static uint UInt32(ushort[] r, int at) => ((uint)r[at] << 16) | r[at + 1];

    private static float Float32(ushort[] r, int at) => BitConverter.UInt32BitsToSingle(UInt32(r, at)) is var f && float.IsFinite(f) ? f : 0;

    private static void WriteUInt32(Span<ushort> to, long value)
    {
        var v = (uint)Math.Clamp(value, 0, uint.MaxValue);
        to[0] = (ushort)(v >> 16);
        to[1] = (ushort)v;
    }

    private static string Ascii(ReadOnlySpan<ushort> registers)
    {
        Span<byte> bytes = stackalloc byte[registers.Length * 2];
        for (var i = 0; i < registers.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes[(i * 2)..], registers[i]);
        }

        var end = bytes.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
