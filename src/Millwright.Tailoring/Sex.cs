namespace Millwright.Tailoring;

/// <summary>The two populations of the data set; every model is fitted per sex.</summary>
public enum Sex : byte
{
    Male = 0,
    Female = 1,
}
