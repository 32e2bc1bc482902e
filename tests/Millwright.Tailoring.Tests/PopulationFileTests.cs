using Millwright.Tailoring;

namespace Millwright.Tailoring.Tests;

public sealed class PopulationFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mw-bodies-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_population_written_and_read_back_is_the_same_table()
    {
        var table = PopulationGenerator.Generate(AnsurData.MaleModel, AnsurData.FemaleModel, 20_001, 0.3, 1, null, CancellationToken.None);
        var path = BodyFile.PathUnder(_directory);

        BodyFile.Write(table, path, CancellationToken.None);
        var read = BodyFile.Read(path);

        Assert.Equal(table.Names, read.Names);
        Assert.Equal(table.Sexes, read.Sexes);
        for (var j = 0; j < table.Names.Count; j++)
        {
            Assert.Equal(table.Columns[j], read.Columns[j]);
        }

        Assert.Equal(6_000, read.Sexes.Count(s => s == (byte)Sex.Male));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void The_same_seed_gives_the_same_bodies_and_another_seed_others()
    {
        var a = PopulationGenerator.Generate(AnsurData.MaleModel, AnsurData.FemaleModel, 40_000, 0.5, 5, null, CancellationToken.None);
        var b = PopulationGenerator.Generate(AnsurData.MaleModel, AnsurData.FemaleModel, 40_000, 0.5, 5, null, CancellationToken.None);
        var c = PopulationGenerator.Generate(AnsurData.MaleModel, AnsurData.FemaleModel, 40_000, 0.5, 6, null, CancellationToken.None);

        Assert.Equal(a.Column("stature"), b.Column("stature"));
        Assert.NotEqual(a.Column("stature"), c.Column("stature"));
    }

    [Fact]
    public void A_cancelled_write_leaves_the_previous_file_and_no_temporary_one()
    {
        var path = BodyFile.PathUnder(_directory);
        var first = PopulationGenerator.Generate(AnsurData.MaleModel, AnsurData.FemaleModel, 1000, 0.5, 1, null, CancellationToken.None);
        BodyFile.Write(first, path, CancellationToken.None);
        var before = File.ReadAllBytes(path);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => BodyFile.Write(first, path, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => PopulationGenerator.Generate(AnsurData.MaleModel, AnsurData.FemaleModel, 1000, 0.5, 2, null, cancelled.Token));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void A_truncated_or_foreign_file_is_refused_when_read()
    {
        var path = BodyFile.PathUnder(_directory);
        BodyFile.Write(PopulationGenerator.Generate(AnsurData.MaleModel, AnsurData.FemaleModel, 100, 0.5, 1, null, CancellationToken.None), path, CancellationToken.None);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^1]);
        Assert.Throws<InvalidDataException>(() => BodyFile.Read(path));
        File.WriteAllBytes(path, "not a body file at all"u8.ToArray());
        Assert.Throws<InvalidDataException>(() => BodyFile.Read(path));
    }

    [Fact]
    public void A_size_that_does_not_fit_in_memory_is_refused_with_what_it_needs()
    {
        Assert.Null(PopulationGenerator.RefusalFor(2_000_000, 94, 8L << 30));
        var refusal = PopulationGenerator.RefusalFor(100_000_000, 94, 8L << 30);
        Assert.NotNull(refusal);
        Assert.Contains("MiB", refusal, StringComparison.Ordinal);
        Assert.NotNull(PopulationGenerator.RefusalFor(0, 94, 8L << 30));
    }
}
