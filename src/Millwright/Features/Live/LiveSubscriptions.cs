namespace Millwright.Features.Live;

/// <summary>
/// What one connection asked for: machines directly, and lines and sites with the machines last found under
/// them. The covered machines are their union. Owned by the connection, changed under its gate.
/// </summary>
internal sealed class LiveSubscriptions
{
    private readonly HashSet<long> _machines = [];
    private readonly Dictionary<long, HashSet<long>> _lines = [];
    private readonly Dictionary<long, HashSet<long>> _sites = [];

    public LiveSelection Selection => new([.. _machines.Order()], [.. _lines.Keys.Order()], [.. _sites.Keys.Order()]);

    public bool HasGroups => _lines.Count > 0 || _sites.Count > 0;

    /// <summary>The union of everything named, as it would be with <paramref name="extra"/> added.</summary>
    public HashSet<long> Covered(LiveResolution? extra = null)
    {
        var covered = new HashSet<long>(_machines);
        foreach (var machines in _lines.Values.Concat(_sites.Values))
        {
            covered.UnionWith(machines);
        }

        if (extra is not null)
        {
            covered.UnionWith(extra.Machines);
            foreach (var machines in extra.Lines.Values.Concat(extra.Sites.Values))
            {
                covered.UnionWith(machines);
            }
        }

        return covered;
    }

    /// <summary>Adds what was found; a line or site already held gets its newly read machines.</summary>
    public void Add(LiveResolution found)
    {
        _machines.UnionWith(found.Machines);
        foreach (var (line, machines) in found.Lines)
        {
            _lines[line] = machines;
        }

        foreach (var (site, machines) in found.Sites)
        {
            _sites[site] = machines;
        }
    }

    /// <summary>Replaces everything with a fresh reading of the same selection; what is no longer found (deleted) is dropped.</summary>
    public void Refresh(LiveResolution all)
    {
        _machines.Clear();
        _lines.Clear();
        _sites.Clear();
        Add(all);
    }

    public void Remove(LiveSelection selection)
    {
        _machines.ExceptWith(selection.Machines);
        foreach (var line in selection.Lines)
        {
            _lines.Remove(line);
        }

        foreach (var site in selection.Sites)
        {
            _sites.Remove(site);
        }
    }
}
