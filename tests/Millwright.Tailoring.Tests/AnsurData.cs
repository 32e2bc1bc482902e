using Millwright.Tailoring;

namespace Millwright.Tailoring.Tests;

/// <summary>The real data set, loaded once per test run (the tests need it: see Ansur.FindDirectory).</summary>
internal static class AnsurData
{
    private static readonly Lazy<string> DirectoryPath = new(() => Ansur.FindDirectory()
        ?? throw new InvalidOperationException($"ANSUR II data not found: set {Ansur.DirectoryVariable} to the directory of {Ansur.MaleFile}"));

    private static readonly Lazy<BodySample> MaleSample = new(() => Ansur.Load(DirectoryPath.Value, Sex.Male));
    private static readonly Lazy<BodySample> FemaleSample = new(() => Ansur.Load(DirectoryPath.Value, Sex.Female));
    private static readonly Lazy<PopulationModel> MaleModelValue = new(() => PopulationModel.Fit(Male));
    private static readonly Lazy<PopulationModel> FemaleModelValue = new(() => PopulationModel.Fit(Female));

    public static string Directory => DirectoryPath.Value;

    public static BodySample Male => MaleSample.Value;

    public static BodySample Female => FemaleSample.Value;

    public static PopulationModel MaleModel => MaleModelValue.Value;

    public static PopulationModel FemaleModel => FemaleModelValue.Value;

    public static BodySample Of(Sex sex) => sex == Sex.Male ? Male : Female;

    public static PopulationModel ModelOf(Sex sex) => sex == Sex.Male ? MaleModel : FemaleModel;
}
