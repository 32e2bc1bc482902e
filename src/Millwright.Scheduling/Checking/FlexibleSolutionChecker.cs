using System.Globalization;

namespace Millwright.Scheduling.Checking;

/// <summary>
/// Checks a printed flexible solution (the text <c>schedule solve</c> writes: makespan, then per job
/// <c>machine:start</c> per operation) against the instance file's own text. It shares no code with the parser, the
/// model or the solvers, so a mistake there (a machine off by one, a lost operation) shows up here: it re-reads the
/// file with its own whitespace split, then checks every operation is on a machine the file allows, job order, no
/// overlap on a machine (zero-length operations occupy none) and that the printed makespan is the real one.
/// </summary>
public static class FlexibleSolutionChecker
{
    public static CheckResult Check(string instanceText, string solutionText)
    {
        ArgumentNullException.ThrowIfNull(instanceText);
        ArgumentNullException.ThrowIfNull(solutionText);
        var violations = new List<string>();
        var fileLines = ContentLines(instanceText);
        var solution = ContentLines(solutionText);
        if (fileLines.Count == 0 || solution.Count == 0 || !int.TryParse(fileLines[0][0], CultureInfo.InvariantCulture, out var jobs))
        {
            return new CheckResult(["the instance or the solution is empty"], 0, 0);
        }

        if (fileLines.Count - 1 != jobs || solution.Count - 1 != jobs)
        {
            return new CheckResult([$"the header says {jobs} jobs; the file has {fileLines.Count - 1} job lines and the solution {solution.Count - 1}"], 0, 0);
        }

        var busy = new Dictionary<int, List<(long Start, long End, int Job, int Op)>>();
        long makespan = 0;
        for (var j = 0; j < jobs; j++)
        {
            var times = OperationTimes(fileLines[j + 1]);
            var placed = solution[j + 1];
            if (placed.Length != times.Count)
            {
                violations.Add($"job {j + 1}: {placed.Length} entries for {times.Count} operations");
                continue;
            }

            long ready = 0;
            for (var k = 0; k < placed.Length; k++)
            {
                var parts = placed[k].Split(':');
                if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var machine) || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var start))
                {
                    violations.Add($"job {j + 1} operation {k + 1}: \"{placed[k]}\" is not machine:start");
                    continue;
                }

                if (!times[k].TryGetValue(machine, out var duration))
                {
                    violations.Add($"job {j + 1} operation {k + 1}: machine {machine} cannot run it");
                    continue;
                }

                if (start < ready)
                {
                    violations.Add($"job {j + 1} operation {k + 1} starts at {start}, before {(k == 0 ? "time 0" : $"operation {k} ends at {ready}")}");
                }

                ready = start + duration;
                makespan = Math.Max(makespan, ready);
                if (duration > 0)
                {
                    (busy.TryGetValue(machine, out var list) ? list : busy[machine] = []).Add((start, ready, j + 1, k + 1));
                }
            }
        }

        foreach (var (machine, list) in busy)
        {
            list.Sort((a, b) => a.Start.CompareTo(b.Start));
            for (var i = 1; i < list.Count; i++)
            {
                if (list[i].Start < list[i - 1].End)
                {
                    violations.Add($"machine {machine}: job {list[i].Job} operation {list[i].Op} starts at {list[i].Start}, before job {list[i - 1].Job} operation {list[i - 1].Op} ends at {list[i - 1].End}");
                }
            }
        }

        if (solution[0].Length != 1 || !long.TryParse(solution[0][0], CultureInfo.InvariantCulture, out var printed) || printed != makespan)
        {
            violations.Add($"the first line says makespan {string.Join(' ', solution[0])}, the schedule's is {makespan}");
        }

        return new CheckResult(violations, makespan, 0);
    }

    /// <summary>Per operation of a job line: machine → time.</summary>
    private static List<Dictionary<int, long>> OperationTimes(string[] fields)
    {
        var numbers = fields.Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var operations = new List<Dictionary<int, long>>();
        var at = 1;
        for (var k = 0; k < numbers[0]; k++)
        {
            var options = new Dictionary<int, long>();
            var count = numbers[at++];
            for (var o = 0; o < count; o++, at += 2)
            {
                options[(int)numbers[at]] = numbers[at + 1];
            }

            operations.Add(options);
        }

        return operations;
    }

    private static List<string[]> ContentLines(string text) =>
        [.. text.Split('\n').Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length > 0 && !f[0].StartsWith('#'))];
}
