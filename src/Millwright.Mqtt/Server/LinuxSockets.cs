using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Millwright.Mqtt.Server;

/// <summary>
/// The few Linux calls the broker's own readiness loop needs (epoll(7), recv(2), send(2)). Calls on a socket take its
/// <see cref="SafeSocketHandle"/>, so the descriptor cannot be closed (and its number reused) while a call runs.
/// </summary>
internal static class LinuxSockets
{
    public const uint EpollIn = 0x001;
    public const uint EpollErr = 0x008;
    public const uint EpollHup = 0x010;
    public const uint EpollRdHup = 0x2000;
    public const uint EpollOneShot = 1u << 30;
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const int EpollCtlMod = 3;
    public const int EpollCloExec = 0x80000;

    public const int MsgPeek = 0x02;
    public const int MsgDontWait = 0x40;
    public const int MsgNoSignal = 0x4000;

    public const int EIntr = 4;
    public const int EAgain = 11;

    /// <summary>
    /// struct epoll_event is packed on x86-64 (4 + 8 bytes) and naturally aligned elsewhere (4 + 4 padding + 8); only
    /// these two layouts are known here, so the loop runs only on x64 and arm64.
    /// </summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    public static readonly int EventDataOffset = EventSize - 8;

    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    [DllImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static extern int EpollCreate(int flags);

    [DllImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static extern int EpollCtl(int epoll, int operation, SafeSocketHandle socket, ref byte epollEvent);

    [DllImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static extern int EpollWait(int epoll, byte[] events, int maxEvents, int timeoutMs);

    [DllImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static extern nint Receive(SafeSocketHandle socket, ref byte buffer, nuint length, int flags);

    [DllImport("libc", EntryPoint = "send", SetLastError = true)]
    public static extern nint Send(SafeSocketHandle socket, ref byte buffer, nuint length, int flags);

    /// <summary>An errno from a socket call as the exception a reader of a lost peer expects.</summary>
    public static IOException Failure(string call, int errno) =>
        new($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
}
