using System.Net.Sockets;

namespace Millwright.Modbus;

/// <summary>
/// Modbus TCP client (TCP implementation guide section 4). One transaction is outstanding at a time, so
/// transaction ids only guard against a confused peer. Any failure other than a device exception response
/// drops the connection; the next request connects again.
/// </summary>
public sealed class ModbusTcpClient : IAsyncDisposable
{
    private readonly string _host;
    private readonly int _port;
    private readonly byte _unitId;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ModbusConnector? _connector;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _buffer = new byte[ModbusLimits.MaxAduLength];
    private Socket? _socket;
    private NetworkStream? _stream;
    private ushort _transactionId;

    public ModbusTcpClient(string host, int port, byte unitId = 1, TimeSpan? timeout = null, TimeProvider? timeProvider = null,
        ModbusConnector? connector = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        _host = host;
        _port = port;
        _unitId = unitId;
        _timeout = timeout ?? TimeSpan.FromSeconds(3);
        _time = timeProvider ?? TimeProvider.System;
        _connector = connector;
    }

    public bool IsConnected => _stream is not null;

    public async Task<bool[]> ReadCoilsAsync(ushort address, ushort quantity, CancellationToken cancellationToken = default) =>
        (await SendAsync(new ModbusRequest(ModbusFunction.ReadCoils, address, quantity), default, default, cancellationToken)).Bits!;

    public async Task<bool[]> ReadDiscreteInputsAsync(ushort address, ushort quantity, CancellationToken cancellationToken = default) =>
        (await SendAsync(new ModbusRequest(ModbusFunction.ReadDiscreteInputs, address, quantity), default, default, cancellationToken)).Bits!;

    public async Task<ushort[]> ReadHoldingRegistersAsync(ushort address, ushort quantity, CancellationToken cancellationToken = default) =>
        (await SendAsync(new ModbusRequest(ModbusFunction.ReadHoldingRegisters, address, quantity), default, default, cancellationToken)).Registers!;

    public async Task<ushort[]> ReadInputRegistersAsync(ushort address, ushort quantity, CancellationToken cancellationToken = default) =>
        (await SendAsync(new ModbusRequest(ModbusFunction.ReadInputRegisters, address, quantity), default, default, cancellationToken)).Registers!;

    public Task WriteSingleCoilAsync(ushort address, bool value, CancellationToken cancellationToken = default) =>
        SendAsync(new ModbusRequest(ModbusFunction.WriteSingleCoil, address, 1, value ? ModbusLimits.CoilOn : ModbusLimits.CoilOff), default, default, cancellationToken);

    public Task WriteSingleRegisterAsync(ushort address, ushort value, CancellationToken cancellationToken = default) =>
        SendAsync(new ModbusRequest(ModbusFunction.WriteSingleRegister, address, 1, value), default, default, cancellationToken);

    public Task WriteMultipleCoilsAsync(ushort address, ReadOnlyMemory<bool> values, CancellationToken cancellationToken = default) =>
        SendAsync(new ModbusRequest(ModbusFunction.WriteMultipleCoils, address, (ushort)values.Length), values, default, cancellationToken);

    public Task WriteMultipleRegistersAsync(ushort address, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken = default) =>
        SendAsync(new ModbusRequest(ModbusFunction.WriteMultipleRegisters, address, (ushort)values.Length), default, values, cancellationToken);

    /// <summary>Reads one block of a register map's read plan.</summary>
    internal async Task<ModbusResponse> ReadBlockAsync(ModbusFunction function, ushort address, ushort quantity, CancellationToken cancellationToken) =>
        await SendAsync(new ModbusRequest(function, address, quantity), default, default, cancellationToken);

    public void Disconnect()
    {
        _stream?.Dispose();
        _socket?.Dispose();
        _stream = null;
        _socket = null;
    }

    public ValueTask DisposeAsync()
    {
        Disconnect();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<ModbusResponse> SendAsync(ModbusRequest request, ReadOnlyMemory<bool> coils, ReadOnlyMemory<ushort> registers, CancellationToken cancellationToken)
    {
        // Validate before touching the connection: a caller mistake must not cost the device a reconnect.
        ValidateQuantity(request, coils.Length, registers.Length);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var timeout = new CancellationTokenSource(_timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                var reused = _stream is not null;
                try
                {
                    return await ExchangeAsync(request, coils, registers, linked.Token);
                }
                catch (Exception e) when (reused && IsRead(request.Function) && e is IOException or SocketException)
                {
                    // Devices often drop idle connections; a read is safe to repeat once on a fresh one.
                    Disconnect();
                    return await ExchangeAsync(request, coils, registers, linked.Token);
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                Disconnect();
                throw new TimeoutException($"No Modbus response from {_host}:{_port} within {_timeout.TotalMilliseconds} ms");
            }
            catch (ModbusDeviceException)
            {
                throw;
            }
            catch
            {
                Disconnect();
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ModbusResponse> ExchangeAsync(ModbusRequest request, ReadOnlyMemory<bool> coils, ReadOnlyMemory<ushort> registers, CancellationToken cancellationToken)
    {
        var stream = _stream ?? await OpenAsync(cancellationToken);
        var transactionId = ++_transactionId;
        var length = Encode(request, transactionId, coils.Span, registers.Span);
        await stream.WriteAsync(_buffer.AsMemory(0, length), cancellationToken);
        await stream.ReadExactlyAsync(_buffer.AsMemory(0, ModbusLimits.MbapLength), cancellationToken);
        var header = MbapHeader.Read(_buffer.AsSpan(0, ModbusLimits.MbapLength));
        try
        {
            await stream.ReadExactlyAsync(_buffer.AsMemory(ModbusLimits.MbapLength, header.PduLength), cancellationToken);
        }
        catch (EndOfStreamException e)
        {
            // A header that announces more than the peer sends is a broken frame, not a lost device.
            throw new ModbusProtocolException($"the connection closed inside a response (the MBAP header announced {header.PduLength} more bytes)", e);
        }

        return ModbusResponseParser.Parse(_buffer.AsSpan(0, ModbusLimits.MbapLength + header.PduLength), request, transactionId, _unitId);
    }

    private int Encode(ModbusRequest request, ushort transactionId, ReadOnlySpan<bool> coils, ReadOnlySpan<ushort> registers) => request.Function switch
    {
        ModbusFunction.WriteSingleCoil or ModbusFunction.WriteSingleRegister => ModbusRequestEncoder.EncodeWriteSingle(_buffer, transactionId, _unitId, request),
        ModbusFunction.WriteMultipleCoils => ModbusRequestEncoder.EncodeWriteCoils(_buffer, transactionId, _unitId, request.Address, coils),
        ModbusFunction.WriteMultipleRegisters => ModbusRequestEncoder.EncodeWriteRegisters(_buffer, transactionId, _unitId, request.Address, registers),
        _ => ModbusRequestEncoder.EncodeRead(_buffer, transactionId, _unitId, request),
    };

    private static void ValidateQuantity(ModbusRequest request, int coils, int registers)
    {
        var (quantity, max) = request.Function switch
        {
            ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs => (request.Quantity, ModbusLimits.MaxReadBits),
            ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters => (request.Quantity, ModbusLimits.MaxReadRegisters),
            ModbusFunction.WriteMultipleCoils => (coils, ModbusLimits.MaxWriteBits),
            ModbusFunction.WriteMultipleRegisters => (registers, ModbusLimits.MaxWriteRegisters),
            _ => (1, 1),
        };
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1, "quantity");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantity, max, "quantity");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.Address + quantity, 0x10000, "quantity");
    }

    private static bool IsRead(ModbusFunction function) => (byte)function <= (byte)ModbusFunction.ReadInputRegisters;

    private async Task<NetworkStream> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connector is not null)
        {
            _socket = await _connector(_host, _port, cancellationToken);
            _stream = new NetworkStream(_socket, ownsSocket: false);
            return _stream;
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_host, _port, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        return _stream;
    }
}
