using System.Globalization;
using System.Text;
using Millwright.Scheduling.Model;

namespace Millwright.Scheduling.Parsing;

/// <summary>
/// What <c>millwright schedule solve</c> prints: the makespan on the first line, then one line per job in file order.
/// Classic files get each operation's start; flexible files get <c>machine:start</c> per operation, machines numbered
/// from 1 as in the file. Entries are separated by one space.
/// </summary>
public static class SolutionText
{
    public static string Write(Schedule schedule, long makespan, InstanceFormat format)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var output = new StringBuilder();
        output.Append(makespan.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var job in schedule.Jobs)
        {
            for (var k = 0; k < job.Count; k++)
            {
                if (k > 0)
                {
                    output.Append(' ');
                }

                if (format == InstanceFormat.Fjsp)
                {
                    output.Append((job[k].Machine + 1).ToString(CultureInfo.InvariantCulture)).Append(':');
                }

                output.Append(job[k].Start.ToString(CultureInfo.InvariantCulture));
            }

            output.Append('\n');
        }

        return output.ToString();
    }
}
