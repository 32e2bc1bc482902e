using System.Text;
using System.Text.Json;
using Millwright.Simulator.Jobs;
using Millwright.Simulator.Models;

namespace Millwright.Simulator.Tests;

/// <summary>
/// The command parser reads bytes anyone with the tenant's operator key can publish. Mutated commands and
/// random bytes may only parse, be invalid or be ignored; the machine acting on them and the answer it writes
/// must never throw either.
/// </summary>
public sealed class CommandFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        """{"type": "job", "commandId": "j42-1", "jobId": 42, "orderId": 7, "order": "SO-1007", "item": "BRKT-A", "operation": "10 Mill", "program": "O1234", "quantity": 20, "setupSeconds": 120, "unitSeconds": 30, "issuedAt": 1764700000000}"""u8.ToArray(),
        """{"type": "cancel", "commandId": "j42-c2", "jobId": 42, "reason": "machine down; job moved"}"""u8.ToArray(),
        """{"type":"job","commandId":"\u00e9\ud83d\ude00","jobId":9007199254740993,"quantity":1e3,"unitSeconds":0.2,"setupSeconds":null,"program":""}"""u8.ToArray(),
        """{"type":"job","jobId":-1,"quantity":[1],"unitSeconds":{"a":[[[]]]},"program":"\ud800"}"""u8.ToArray(),
        """{"type":"job","jobId":43,"quantity":2,"unitSeconds":60,"customization":{"embroidery":{"designId":7,"sha256":"5d0c2a4be1f0a0c86a6ab5a6a4d93b47e1f6b2e0c0d4e3f2a1b0c9d8e7f6a5b4","url":"/api/v1/embroidery/stitch-files/5d0c2a4be1f0a0c86a6ab5a6a4d93b47e1f6b2e0c0d4e3f2a1b0c9d8e7f6a5b4","bytes":9251,"threads":["#1f3a93"]}}}"""u8.ToArray(),
    ];

    // Bytes on JSON's decision boundaries: structure, escapes, number parts, surrogate escapes, UTF-8 lead bytes.
    private static readonly byte[] Interesting = """{}[]":,\ -+.eE0123456789ntfud"""u8.ToArray().Concat(new byte[] { 0x00, 0x7F, 0x80, 0xC0, 0xED, 0xF4, 0xFF }).ToArray();

    [Fact]
    public void Two_hundred_thousand_mutated_or_random_commands_never_throw_and_only_valid_jobs_are_taken()
    {
        var random = new Random(20261202);
        var clock = new ManualClock();
        var machine = MachineFactory.Create(MachineKind.Cnc, "fuzz", 1, clock);
        machine.TakeJobs(TimeSpan.FromMinutes(5));
        var seen = new Dictionary<JobCommandKind, int>();

        for (var i = 0; i < 200_000; i++)
        {
            var input = i % 10 == 0 ? RandomBytes(random) : Mutate(random);
            JobCommand command;
            try
            {
                command = JobCommandParser.Parse(input);
                Check(command);
                machine.Handle(command);
                while (machine.TryPeekAnswer(out _))
                {
                    using var answer = JsonDocument.Parse(machine.TakeAnswer().ToJson());
                    Assert.True(answer.RootElement.TryGetProperty("jobId", out _));
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"case {i}: {e.GetType().Name}: {e.Message}\n{Convert.ToBase64String(input)}");
                return;
            }

            seen[command.Kind] = seen.GetValueOrDefault(command.Kind) + 1;
            if (i % 100 == 0)
            {
                clock.Advance(TimeSpan.FromSeconds(30));
                machine.Tick();
            }
        }

        // The mutations must reach past the JSON layer into every outcome, or the test proves little.
        Assert.All(Enum.GetValues<JobCommandKind>(), kind => Assert.True(seen.GetValueOrDefault(kind) > 1_000, $"only {seen.GetValueOrDefault(kind)} {kind}"));
    }

    private static void Check(JobCommand command)
    {
        Assert.True(command.CommandId is null || command.CommandId.Length is > 0 and <= JobCommandParser.MaxCommandIdLength);
        switch (command.Kind)
        {
            case JobCommandKind.Job:
                Assert.InRange(command.Quantity, 1, JobCommandParser.MaxQuantity);
                Assert.InRange(command.Unit, TimeSpan.FromTicks(1), JobCommandParser.MaxDuration);
                Assert.InRange(command.Setup, TimeSpan.Zero, JobCommandParser.MaxDuration);
                Assert.True(command.Program.Length <= JobCommandParser.MaxProgramLength);
                Assert.True(command.JobId >= 0);
                if (command.Design is { } design)
                {
                    // A design reference is only ever a path on the platform with a well-formed hash and size.
                    Assert.Matches("^[0-9a-f]{64}$", design.Sha256);
                    Assert.True(design.Path.StartsWith('/') && !design.Path.StartsWith("//", StringComparison.Ordinal));
                    Assert.InRange(design.Bytes, 1, JobCommandParser.MaxDesignBytes);
                }

                break;
            case JobCommandKind.InvalidJob or JobCommandKind.Ignored:
                Assert.False(string.IsNullOrEmpty(command.Error));
                break;
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 300)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random)
    {
        var bytes = Seeds[random.Next(Seeds.Length)].ToList();
        for (var n = 1 + random.Next(3); n > 0; n--)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8)));
                    break;
                case 4:
                    var other = Seeds[random.Next(Seeds.Length)];
                    var from = random.Next(other.Length);
                    bytes.InsertRange(at, other.Skip(from).Take(1 + random.Next(24)));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }
}
