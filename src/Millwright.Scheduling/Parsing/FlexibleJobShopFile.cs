using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Parsing;

/// <summary>
/// Reads the standard flexible job-shop format (Brandimarte, FJSPLib): a header "jobs machines [average machines per
/// operation]" (the third number may be a decimal and is not used), then one line per job: the number of operations,
/// then per operation the number k of machines that can run it followed by k pairs "machine time", machines numbered
/// from 1. Fields are separated by any whitespace; blank lines and '#' comment lines are skipped. Machines become
/// 0-based in the <see cref="ShopInstance"/>. Untrusted bytes: anything wrong fails with
/// <see cref="InstanceFormatException"/> at a line and column, never another exception.
/// </summary>
public static class FlexibleJobShopFile
{
    private const int MaxJobs = 100_000;
    private const int MaxMachines = 10_000;
    private const int MaxOperations = 100_000;

    public static ShopInstance Parse(ReadOnlySpan<byte> bytes, string? name = null) => Parse(InstanceText.Decode(bytes), name);

    public static ShopInstance Parse(string text, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = InstanceText.Lines(text);
        int jobs = -1, machines = -1, headerLine = 0;
        var parsed = new List<ShopJob>();
        foreach (var (number, line) in lines)
        {
            var tokens = InstanceText.Tokens(line, number, allowDecimalAt: jobs < 0 ? 2 : -1);
            if (jobs < 0)
            {
                if (tokens.Count is not (2 or 3))
                {
                    var column = tokens.Count > 3 ? tokens[3].Column : line.Length + 1;
                    throw new InstanceFormatException(number, column, $"the header must be \"jobs machines\" and optionally the average machines per operation; found {tokens.Count} numbers");
                }

                (jobs, machines, headerLine) = (Whole(tokens[0], number), Whole(tokens[1], number), number);
                if (jobs is < 1 or > MaxJobs || machines is < 1 or > MaxMachines)
                {
                    throw new InstanceFormatException(number, 1, $"{jobs} jobs and {machines} machines: need 1..{MaxJobs} jobs and 1..{MaxMachines} machines");
                }

                continue;
            }

            if (parsed.Count == jobs)
            {
                throw new InstanceFormatException(number, tokens.Count > 0 ? tokens[0].Column : 1, $"more job lines than the {jobs} the header announces");
            }

            parsed.Add(ParseJob(tokens, machines, number, line.Length + 1));
        }

        var lastLine = InstanceText.LastLine(text);
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

    private static ShopJob ParseJob(List<InstanceText.Token> tokens, int machines, int line, int endColumn)
    {
        var at = 0;
        InstanceText.Token Next(string expected) => at < tokens.Count
            ? tokens[at++]
            : throw new InstanceFormatException(line, endColumn, $"the line ends early: expected {expected}");

        var countToken = Next("the number of operations");
        var count = Whole(countToken, line);
        if (count is < 1 or > MaxOperations)
        {
            throw new InstanceFormatException(line, countToken.Column, $"a job needs 1..{MaxOperations} operations, not {count}");
        }

        var operations = new ShopOperation[count];
        for (var k = 0; k < count; k++)
        {
            var what = $"operation {k + 1} of {count}";
            var optionsToken = Next($"the number of machines of {what}");
            var optionCount = Whole(optionsToken, line);
            if (optionCount < 1)
            {
                throw new InstanceFormatException(line, optionsToken.Column, $"{what}: no machine can run it (it lists {optionCount} machines)");
            }

            if (optionCount > machines)
            {
                throw new InstanceFormatException(line, optionsToken.Column, $"{what} lists {optionCount} machines but there are only {machines}");
            }

            var options = new MachineOption[optionCount];
            for (var o = 0; o < optionCount; o++)
            {
                var machineToken = Next($"machine {o + 1} of {optionCount} of {what}");
                var machine = Whole(machineToken, line);
                if (machine < 1 || machine > machines)
                {
                    throw new InstanceFormatException(line, machineToken.Column, $"{what}: machine {machine} is out of range; machines are numbered 1..{machines}");
                }

                if (options.Take(o).Any(x => x.Machine == machine - 1))
                {
                    throw new InstanceFormatException(line, machineToken.Column, $"{what}: machine {machine} is listed twice");
                }

                var timeToken = Next($"the time of {what} on machine {machine}");
                var time = Whole(timeToken, line);
                if (time < 0)
                {
                    throw new InstanceFormatException(line, timeToken.Column, $"{what}: negative time {time} on machine {machine}");
                }

                if (time > ShopInstance.MaxTime)
                {
                    throw new InstanceFormatException(line, timeToken.Column, $"{what}: time {time} is absurd (more than {ShopInstance.MaxTime})");
                }

                options[o] = new MachineOption(machine - 1, (int)time);
            }

            operations[k] = new ShopOperation(options);
        }

        if (at < tokens.Count)
        {
            throw new InstanceFormatException(line, tokens[at].Column, $"the job's {count} operations end before the line does");
        }

        return new ShopJob(operations);
    }

    /// <summary>An integer token as an int; the header's decimal is the only token allowed a fraction.</summary>
    private static int Whole(InstanceText.Token token, int line)
    {
        if (token.IsDecimal)
        {
            throw new InstanceFormatException(line, token.Column, "a whole number is needed here, not a decimal");
        }

        return token.Value is >= int.MinValue and <= int.MaxValue
            ? (int)token.Value
            : throw new InstanceFormatException(line, token.Column, "number too large");
    }
}
