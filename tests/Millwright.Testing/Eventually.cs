using System.Diagnostics;

namespace Millwright.Testing;

/// <summary>
/// Waits for something that happens on another thread (a background service, a broker, a browser): polls a
/// condition, a value or an assertion until it holds. The deadline is a hang guard, never a measurement: it is
/// generous so that a slow or loaded machine still passes, and a timeout fails with what was awaited and the
/// last value or exception seen, so the failure explains itself.
/// </summary>
internal static class Eventually
{
    /// <summary>Long enough for a loaded two-core CI machine; a test that needs it is broken, not slow.</summary>
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(200);

    /// <summary>Polls until <paramref name="condition"/> is true.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? patience = null) =>
        ValueAsync(() => Task.FromResult(condition()), done => done, what, patience);

    /// <summary>Polls until the asynchronous <paramref name="condition"/> is true.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? patience = null) =>
        ValueAsync(condition, done => done, what, patience);

    /// <summary>Reads until the value satisfies <paramref name="until"/>, and returns that value.</summary>
    public static Task<T> ValueAsync<T>(Func<T> read, Func<T, bool> until, string what, TimeSpan? patience = null) =>
        ValueAsync(() => Task.FromResult(read()), until, what, patience);

    /// <summary>Reads until the value satisfies <paramref name="until"/>, and returns that value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> until, string what, TimeSpan? patience = null)
    {
        var limit = patience ?? DefaultPatience;
        var clock = Stopwatch.StartNew();
        var pause = FirstPause;
        while (true)
        {
            var value = await read();
            if (until(value))
            {
                return value;
            }

            if (clock.Elapsed >= limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {what}; last seen: {Describe(value)}");
            }

            await Task.Delay(pause);
            pause = Next(pause);
        }
    }

    /// <summary>Runs <paramref name="assertion"/> until it stops throwing; on timeout the last failure is the inner exception.</summary>
    public static async Task AssertAsync(Func<Task> assertion, string what, TimeSpan? patience = null)
    {
        var limit = patience ?? DefaultPatience;
        var clock = Stopwatch.StartNew();
        var pause = FirstPause;
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception e) when (clock.Elapsed < limit)
            {
                _ = e;
            }
            catch (Exception e)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {what}; last failure: {e.Message}", e);
            }

            await Task.Delay(pause);
            pause = Next(pause);
        }
    }

    /// <summary>Runs the synchronous <paramref name="assertion"/> until it stops throwing.</summary>
    public static Task AssertAsync(Action assertion, string what, TimeSpan? patience = null) =>
        AssertAsync(() =>
        {
            assertion();
            return Task.CompletedTask;
        }, what, patience);

    private static TimeSpan Next(TimeSpan pause) => pause * 2 < LongestPause ? pause * 2 : LongestPause;

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        System.Text.Json.Nodes.JsonNode node => node.ToJsonString(),
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Take(20)) + "]",
        _ => value.ToString() ?? "",
    };
}
