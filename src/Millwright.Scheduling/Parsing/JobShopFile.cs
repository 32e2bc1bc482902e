using System.Text;
using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Parsing;

/// <summary>
/// Reads the standard job-shop instance format (JSPLIB, see ../shared/benchmarks/jobshop/README.md): '#' comment lines,
/// then "jobs machines", then one line per job of "machine time" pairs in processing order. The bytes are untrusted:
/// anything else fails with <see cref="InstanceFormatException"/> at a line and column, never another exception.
/// </summary>
public static class JobShopFile
{
    private const int MaxJobs = 100_000;
    private const int MaxMachines = 10_000;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ShopInstance Parse(ReadOnlySpan<byte> bytes, string? name = null)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var line = 1 + bytes[..Math.Clamp(e.Index, 0, bytes.Length)].Count((byte)'\n');
            throw new InstanceFormatException(line, 1, "the file is not valid UTF-8 text");
        }

        return Parse(text, name);
    }

    public static ShopInstance Parse(string text, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        int jobs = -1, machines = -1, headerLine = 0;
        var parsed = new List<ShopJob>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.TrimStart().StartsWith('#') || line.Trim().Length == 0)
            {
                continue;
            }

            var numbers = Numbers(line, i + 1);
            if (jobs < 0)
            {
                if (numbers.Count != 2)
                {
                    throw new InstanceFormatException(i + 1, Column(numbers, 2, line), $"the header must be two numbers, \"jobs machines\"; found {numbers.Count}");
                }

                (jobs, machines, headerLine) = (numbers[0].Value, numbers[1].Value, i + 1);
                if (jobs is < 1 or > MaxJobs || machines is < 1 or > MaxMachines)
                {
                    throw new InstanceFormatException(i + 1, 1, $"{jobs} jobs and {machines} machines: need 1..{MaxJobs} jobs and 1..{MaxMachines} machines");
                }

                continue;
            }

            if (parsed.Count == jobs)
            {
                throw new InstanceFormatException(i + 1, numbers[0].Column, $"more job lines than the {jobs} the header announces");
            }

            parsed.Add(ParseJob(numbers, machines, i + 1, line));
        }

        // Problems of a missing part are reported at the file's last line.
        var lastLine = Math.Max(1, lines.Length - (text.EndsWith('\n') ? 1 : 0));
        if (jobs < 0)
        {
            throw new InstanceFormatException(lastLine, 1, "no header line \"jobs machines\"");
        }

        if (parsed.Count < jobs)
        {
            throw new InstanceFormatException(lastLine, 1, $"the header (line {headerLine}) announces {jobs} jobs but only {parsed.Count} job lines follow");
        }

        try
        {
            return new ShopInstance(machines, parsed, name: name);
        }
        catch (SchedulingInputException e)
        {
            throw new InstanceFormatException(headerLine, 1, e.Message);
        }
    }

    private static ShopJob ParseJob(List<(int Value, int Column)> numbers, int machines, int lineNumber, string line)
    {
        if (numbers.Count % 2 != 0)
        {
            throw new InstanceFormatException(lineNumber, line.Length + 1, $"a job line needs \"machine time\" pairs; it has {numbers.Count} numbers");
        }

        var operations = new ShopOperation[numbers.Count / 2];
        for (var k = 0; k < operations.Length; k++)
        {
            var (machine, machineColumn) = numbers[2 * k];
            var (time, timeColumn) = numbers[(2 * k) + 1];
            if (machine >= machines)
            {
                throw new InstanceFormatException(lineNumber, machineColumn, $"machine {machine} does not exist; the header declares machines 0..{machines - 1}");
            }

            if (time > ShopInstance.MaxTime)
            {
                throw new InstanceFormatException(lineNumber, timeColumn, $"time {time} is absurd (more than {ShopInstance.MaxTime})");
            }

            operations[k] = ShopOperation.On(machine, time);
        }

        return new ShopJob(operations);
    }

    /// <summary>Non-negative decimal integers separated by spaces or tabs, each with its 1-based column.</summary>
    private static List<(int Value, int Column)> Numbers(string line, int lineNumber)
    {
        var result = new List<(int, int)>();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c is ' ' or '\t')
            {
                i++;
                continue;
            }

            if (c is < '0' or > '9')
            {
                var what = c == '-' ? "negative numbers are not allowed" : $"unexpected character '{(char.IsControl(c) ? '?' : c)}' (U+{(int)c:X4})";
                throw new InstanceFormatException(lineNumber, i + 1, what);
            }

            var start = i;
            long value = 0;
            while (i < line.Length && line[i] is >= '0' and <= '9')
            {
                value = (value * 10) + (line[i] - '0');
                if (value > int.MaxValue)
                {
                    throw new InstanceFormatException(lineNumber, start + 1, "number too large");
                }

                i++;
            }

            if (i < line.Length && line[i] is not (' ' or '\t'))
            {
                throw new InstanceFormatException(lineNumber, i + 1, $"unexpected character '{(char.IsControl(line[i]) ? '?' : line[i])}' after a number");
            }

            result.Add(((int)value, start + 1));
        }

        return result;
    }

    private static int Column(List<(int Value, int Column)> numbers, int index, string line) =>
        index < numbers.Count ? numbers[index].Column : line.Length + 1;
}
