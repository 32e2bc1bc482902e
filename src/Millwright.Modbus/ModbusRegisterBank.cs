namespace Millwright.Modbus;

/// <summary>
/// The data a <see cref="ModbusTcpServer"/> serves: four tables with fixed sizes, addressed from 0 as on the
/// wire (PDU addresses, application protocol 4.4). Reads and writes take one lock so a multi-register value
/// written by the simulator is never served half-updated.
/// </summary>
public sealed class ModbusRegisterBank
{
    private readonly Lock _lock = new();
    private readonly bool[] _coils;
    private readonly bool[] _discreteInputs;
    private readonly ushort[] _inputRegisters;
    private readonly ushort[] _holdingRegisters;

    public ModbusRegisterBank(int coils = 10_000, int discreteInputs = 10_000, int inputRegisters = 10_000, int holdingRegisters = 10_000)
    {
        _coils = new bool[CheckSize(coils)];
        _discreteInputs = new bool[CheckSize(discreteInputs)];
        _inputRegisters = new ushort[CheckSize(inputRegisters)];
        _holdingRegisters = new ushort[CheckSize(holdingRegisters)];
    }

    public int Count(ModbusArea area) => area switch
    {
        ModbusArea.Coil => _coils.Length,
        ModbusArea.DiscreteInput => _discreteInputs.Length,
        ModbusArea.InputRegister => _inputRegisters.Length,
        _ => _holdingRegisters.Length,
    };

    /// <summary>True when [address, address + count) lies inside the table.</summary>
    public bool Contains(ModbusArea area, int address, int count) => address >= 0 && count >= 0 && address + count <= Count(area);

    public ushort[] GetRegisters(ModbusArea area, int address, int count)
    {
        var result = new ushort[count];
        lock (_lock)
        {
            Registers(area).AsSpan(address, count).CopyTo(result);
        }

        return result;
    }

    public void SetRegisters(ModbusArea area, int address, ReadOnlySpan<ushort> values)
    {
        lock (_lock)
        {
            values.CopyTo(Registers(area).AsSpan(address, values.Length));
        }
    }

    public bool[] GetBits(ModbusArea area, int address, int count)
    {
        var result = new bool[count];
        lock (_lock)
        {
            Bits(area).AsSpan(address, count).CopyTo(result);
        }

        return result;
    }

    public void SetBits(ModbusArea area, int address, ReadOnlySpan<bool> values)
    {
        lock (_lock)
        {
            values.CopyTo(Bits(area).AsSpan(address, values.Length));
        }
    }

    /// <summary>Writes a typed value the way <see cref="ModbusPointCodec"/> decodes it, for simulators and tests.</summary>
    public void SetValue(ModbusPoint point, double value)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (point.DataType == ModbusDataType.Bool)
        {
            SetBits(point.Area, point.Address, [ModbusPointCodec.EncodeBool(point, value)]);
        }
        else
        {
            SetRegisters(point.Area, point.Address, ModbusPointCodec.EncodeRegisters(point, value));
        }
    }

    internal void ReadBitsPacked(ModbusArea area, int address, int count, Span<byte> destination)
    {
        lock (_lock)
        {
            ModbusRequestEncoder.PackBits(Bits(area).AsSpan(address, count), destination);
        }
    }

    private bool[] Bits(ModbusArea area) => area switch
    {
        ModbusArea.Coil => _coils,
        ModbusArea.DiscreteInput => _discreteInputs,
        _ => throw new ArgumentOutOfRangeException(nameof(area), area, "Not a bit table"),
    };

    private ushort[] Registers(ModbusArea area) => area switch
    {
        ModbusArea.InputRegister => _inputRegisters,
        ModbusArea.HoldingRegister => _holdingRegisters,
        _ => throw new ArgumentOutOfRangeException(nameof(area), area, "Not a register table"),
    };

    private static int CheckSize(int size)
    {
        // 16-bit PDU addresses reach 0..65535 (section 4.4).
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, 0x10000);
        return size;
    }
}
