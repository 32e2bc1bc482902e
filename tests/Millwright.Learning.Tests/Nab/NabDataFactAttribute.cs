namespace Millwright.Learning.Tests.Nab;

/// <summary>
/// A test over the shared NAB series (not in the repository: 3.7 MB, MIT licence, /work/shared/data/nab or
/// MILLWRIGHT_NAB_DATA); skipped, and said so, where they are absent.
/// </summary>
public sealed class NabDataFactAttribute : FactAttribute
{
    public NabDataFactAttribute()
    {
        if (NabCorpus.Directory() is null)
        {
            Skip = "NAB data not found: set MILLWRIGHT_NAB_DATA to the folder holding data/ and windows.json";
        }
    }
}
