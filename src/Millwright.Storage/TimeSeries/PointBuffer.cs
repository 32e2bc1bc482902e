namespace Millwright.Storage.TimeSeries;

/// <summary>
/// Points of one series sorted by time, one per timestamp: numbers, or text for text series (the other list
/// stays empty). Not thread-safe; the store guards shared buffers with its head lock.
/// </summary>
internal sealed class PointBuffer(bool text)
{
    public List<long> Times { get; } = [];

    public List<double> Numbers { get; } = [];

    public List<string> Texts { get; } = [];

    public bool IsText { get; } = text;

    public int Count => Times.Count;

    public long Last => Times[^1];

    public TimePoint this[int index] => IsText ? new TimePoint(Times[index], 0, Texts[index]) : new TimePoint(Times[index], Numbers[index], null);

    /// <summary>Inserts in time order; returns false and keeps the stored value when the timestamp is taken.</summary>
    public bool TryInsert(long time, double number, string? text)
    {
        var index = Times.Count;
        if (index > 0 && time <= Times[^1])
        {
            index = Times.BinarySearch(time);
            if (index >= 0)
            {
                return false;
            }

            index = ~index;
        }

        Times.Insert(index, time);
        if (IsText)
        {
            Texts.Insert(index, text ?? "");
        }
        else
        {
            Numbers.Insert(index, number);
        }

        return true;
    }

    public bool Contains(long time) => Times.Count > 0 && time <= Times[^1] && Times.BinarySearch(time) >= 0;

    /// <summary>The index of the first point at or after the time.</summary>
    public int LowerBound(long time)
    {
        var index = Times.BinarySearch(time);
        return index >= 0 ? index : ~index;
    }

    /// <summary>Copies the points in [from, to) into an empty buffer.</summary>
    public PointBuffer Slice(long from, long to)
    {
        var copy = new PointBuffer(IsText);
        int start = LowerBound(from), end = LowerBound(to);
        if (end > start)
        {
            copy.Times.AddRange(Times.GetRange(start, end - start));
            if (IsText)
            {
                copy.Texts.AddRange(Texts.GetRange(start, end - start));
            }
            else
            {
                copy.Numbers.AddRange(Numbers.GetRange(start, end - start));
            }
        }

        return copy;
    }

    /// <summary>Merges two sorted buffers; where both hold a timestamp, <paramref name="first"/>'s value wins.</summary>
    public static PointBuffer Merge(PointBuffer first, PointBuffer second)
    {
        var result = new PointBuffer(first.IsText);
        int i = 0, j = 0;
        while (i < first.Count || j < second.Count)
        {
            var takeFirst = j >= second.Count || (i < first.Count && first.Times[i] <= second.Times[j]);
            if (takeFirst && j < second.Count && i < first.Count && first.Times[i] == second.Times[j])
            {
                j++;
            }

            var (source, index) = takeFirst ? (first, i++) : (second, j++);
            result.Times.Add(source.Times[index]);
            if (result.IsText)
            {
                result.Texts.Add(source.Texts[index]);
            }
            else
            {
                result.Numbers.Add(source.Numbers[index]);
            }
        }

        return result;
    }

    public void Clear()
    {
        Times.Clear();
        Numbers.Clear();
        Texts.Clear();
    }
}
