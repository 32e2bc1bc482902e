using System.Diagnostics;

namespace Millwright.Cli;

/// <summary>A one-line progress bar redrawn in place (carriage return) on stderr four times a second.</summary>
internal sealed class ProgressBar : IDisposable
{
    private const int Width = 30;
    private readonly TextWriter _writer;
    private readonly int _total;
    private readonly TimeSpan _perItem;
    private readonly Timer _timer;
    private readonly Lock _lock = new();
    private readonly Stopwatch _item = new();
    private int _done = -1;
    private string _name = "";

    public ProgressBar(TextWriter writer, int total, TimeSpan perItem)
    {
        _writer = writer;
        _total = total;
        _perItem = perItem;
        _timer = new Timer(_ => Draw(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    public void Begin(string name)
    {
        lock (_lock)
        {
            _done++;
            _name = name;
            _item.Restart();
        }

        Draw();
    }

    /// <summary>Erases the bar so that a report line can be written.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _writer.Write("\r" + new string(' ', Width + 50) + "\r");
            _writer.Flush();
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Draw()
    {
        lock (_lock)
        {
            if (_done < 0)
            {
                return;
            }

            var fraction = Math.Clamp((_done + Math.Min(1.0, _item.Elapsed / _perItem)) / _total, 0, 1);
            var filled = (int)(fraction * Width);
            _writer.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {_done}/{_total} {_name} {_item.Elapsed.TotalSeconds:0}s ");
            _writer.Flush();
        }
    }
}
