using Millwright.Fuzzing;

namespace Millwright.Sparkplug.Tests;

public sealed class SessionTests
{
    private readonly ManualClock _time = new(SparkplugSamples.Epoch);
    private readonly SparkplugHost _host;
    private readonly SparkplugEdgeNode _edge;

    public SessionTests()
    {
        _host = new SparkplugHost(_time, TimeSpan.FromSeconds(10));
        _edge = new SparkplugEdgeNode("Plant1", "Cell7", _time, bdSeq: 3);
    }

    [Fact]
    public void Births_bring_the_node_and_device_online_and_data_by_alias_resolves_to_typed_values()
    {
        var nbirth = Send(_edge.NodeBirth([new("Supply Voltage", SparkplugDataType.Float, 24f)]));
        var dbirth = Send(_edge.DeviceBirth("CNC-01", [new("Spindle/Speed", SparkplugDataType.Int32, 0), new("Program", SparkplugDataType.String, "O1")]));
        _time.Advance(TimeSpan.FromSeconds(1));
        var ndata = Send(_edge.NodeData([new("Supply Voltage", 23.5f)]));
        var ddata = Send(_edge.DeviceData("CNC-01", [new("Spindle/Speed", -1200, SparkplugSamples.Epoch.AddSeconds(0.5))]));

        Assert.Equal([new SparkplugStatusChange("Plant1", "Cell7", null, true, SparkplugSamples.Epoch)], nbirth.StatusChanges);
        Assert.Equal([new SparkplugStatusChange("Plant1", "Cell7", "CNC-01", true, SparkplugSamples.Epoch)], dbirth.StatusChanges);
        Assert.Contains(nbirth.Values, v => v is { Name: "bdSeq", Value: 3UL });
        Assert.Equal(2, dbirth.Values.Count);
        var voltage = Assert.Single(ndata.Values);
        Assert.Equal(("Supply Voltage", (object?)23.5f, SparkplugSamples.Epoch.AddSeconds(1)), (voltage.Name, voltage.Value, voltage.Timestamp));
        var speed = Assert.Single(ddata.Values);
        Assert.Equal(("CNC-01", "Spindle/Speed", SparkplugDataType.Int32, (object?)-1200), (speed.DeviceId, speed.Name, speed.DataType, speed.Value));
        Assert.Equal(SparkplugSamples.Epoch.AddSeconds(0.5), speed.Timestamp);
        Assert.Equal(["CNC-01"], _host.Find("Plant1", "Cell7")!.OnlineDevices);
    }

    [Fact]
    public void A_seq_gap_requests_a_rebirth_with_an_NCMD_carrying_rebirth_true()
    {
        Send(_edge.NodeBirth([new("a", SparkplugDataType.Int32, 0)]));
        _edge.NodeData([new("a", 1)]); // lost on the way

        var result = Send(_edge.NodeData([new("a", 2)]));

        Assert.Equal(SparkplugSessionOutcome.RebirthNeeded, result.Outcome);
        Assert.Contains("seq 2 where 1 was expected", result.Reason, StringComparison.Ordinal);
        Assert.Empty(result.Values);
        var request = Assert.IsType<SparkplugPublication>(result.RebirthRequest);
        Assert.Equal("spBv1.0/Plant1/NCMD/Cell7", request.TopicName);
        var command = SparkplugDecoder.Decode(request.TopicName, request.Payload);
        Assert.Contains(command.Metrics, m => m is { Name: "Node Control/Rebirth", DataType: SparkplugDataType.Boolean, Value: true });
        Assert.True(_edge.IsRebirthRequest(command));
        Assert.True(_host.Find("Plant1", "Cell7")!.AwaitingRebirth);
    }

    [Fact]
    public void Rebirth_requests_are_not_repeated_within_the_interval_and_a_new_NBIRTH_clears_the_state()
    {
        Send(_edge.NodeBirth([new("a", SparkplugDataType.Int32, 0)]));
        _edge.NodeData([new("a", 1)]);

        Assert.NotNull(Send(_edge.NodeData([new("a", 2)])).RebirthRequest);
        _time.Advance(TimeSpan.FromSeconds(5));
        var second = Send(_edge.NodeData([new("a", 3)]));
        Assert.Equal(SparkplugSessionOutcome.RebirthNeeded, second.Outcome);
        Assert.Null(second.RebirthRequest);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.NotNull(Send(_edge.NodeData([new("a", 4)])).RebirthRequest);

        Send(_edge.NodeBirth([new("a", SparkplugDataType.Int32, 5)]));
        Assert.Equal(SparkplugSessionOutcome.Applied, Send(_edge.NodeData([new("a", 6)])).Outcome);
        Assert.False(_host.Find("Plant1", "Cell7")!.AwaitingRebirth);
    }

    [Fact]
    public void Seq_wraps_from_255_to_0_without_a_rebirth()
    {
        Send(_edge.NodeBirth([new("a", SparkplugDataType.Int32, 0)]));

        var results = Enumerable.Range(1, 600).Select(i => Send(_edge.NodeData([new("a", i)]))).ToList();

        Assert.All(results, r => Assert.Equal(SparkplugSessionOutcome.Applied, r.Outcome));
        Assert.Equal(600, results[^1].Values.Single().Value);
    }

    [Fact]
    public void Data_before_any_birth_requests_a_rebirth()
    {
        var late = new SparkplugEdgeNode("Plant1", "Cell7", _time);
        late.NodeBirth([new("a", SparkplugDataType.Int32, 0)]); // the host was not listening yet

        var result = Send(late.NodeData([new("a", 1)]));

        Assert.Equal(SparkplugSessionOutcome.RebirthNeeded, result.Outcome);
        Assert.NotNull(result.RebirthRequest);
    }

    [Fact]
    public void DDATA_for_a_device_without_DBIRTH_and_an_unknown_alias_request_a_rebirth()
    {
        Send(_edge.NodeBirth([new("a", SparkplugDataType.Int32, 0)]));
        var other = new SparkplugEdgeNode("Plant1", "Cell7", _time, bdSeq: 3);
        other.NodeBirth([new("a", SparkplugDataType.Int32, 0), new("b", SparkplugDataType.Int32, 0)]);
        other.DeviceBirth("CNC-01", [new("x", SparkplugDataType.Int32, 0)]);

        var unknownDevice = Send(other.DeviceData("CNC-01", [new("x", 1)]));
        Send(_edge.NodeBirth([new("a", SparkplugDataType.Int32, 0)]));
        var unknownAlias = _host.Handle(Renumber(other.NodeData([new("b", 1)]), seq: 1));

        Assert.Equal(SparkplugSessionOutcome.RebirthNeeded, unknownDevice.Outcome);
        Assert.Equal(SparkplugSessionOutcome.RebirthNeeded, unknownAlias.Outcome);
        Assert.Contains("not in the birth certificate", unknownAlias.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_value_whose_type_disagrees_with_its_birth_requests_a_rebirth()
    {
        Send(_edge.NodeBirth([new("a", SparkplugDataType.Boolean, false)]));
        var payload = Raw.Payload(1, Raw.Metric(null, 2, null, m => m.StringValue = "yes"));

        var result = _host.Handle("spBv1.0/Plant1/NDATA/Cell7", Google.Protobuf.MessageExtensions.ToByteArray(payload));

        Assert.Equal(SparkplugSessionOutcome.RebirthNeeded, result.Outcome);
    }

    [Fact]
    public void A_DBIRTH_reusing_an_alias_of_the_node_requests_a_rebirth()
    {
        Send(_edge.NodeBirth([]));
        var payload = Raw.Payload(1, Raw.Metric("x", 0, SparkplugDataType.Int32, m => m.IntValue = 1));

        var result = _host.Handle("spBv1.0/Plant1/DBIRTH/Cell7/CNC-01", Google.Protobuf.MessageExtensions.ToByteArray(payload));

        Assert.Equal(SparkplugSessionOutcome.RebirthNeeded, result.Outcome);
    }

    [Fact]
    public void NDEATH_with_the_births_bdSeq_marks_the_node_and_all_its_devices_offline_at_host_time()
    {
        var will = _edge.DeathCertificate();
        Send(_edge.NodeBirth([]));
        Send(_edge.DeviceBirth("CNC-01", []));
        Send(_edge.DeviceBirth("CNC-02", []));
        _time.Advance(TimeSpan.FromMinutes(3));

        var result = Send(will);

        var at = SparkplugSamples.Epoch.AddMinutes(3);
        Assert.Equal(SparkplugSessionOutcome.Applied, result.Outcome);
        Assert.Equal(
            new[] { ("CNC-01", false), ("CNC-02", false), ((string?)null, false) }.Select(x => new SparkplugStatusChange("Plant1", "Cell7", x.Item1, x.Item2, at)),
            result.StatusChanges.OrderBy(c => c.DeviceId is null).ThenBy(c => c.DeviceId, StringComparer.Ordinal));
        Assert.False(_host.Find("Plant1", "Cell7")!.IsOnline);
        Assert.Equal(SparkplugSessionOutcome.Ignored, Send(will).Outcome);
    }

    [Fact]
    public void A_stale_NDEATH_from_an_older_connection_is_ignored()
    {
        var oldWill = _edge.DeathCertificate();
        Send(_edge.NodeBirth([]));
        _edge.StartNewSession(); // reconnect: bdSeq 4, the server publishes the old will late
        Send(_edge.NodeBirth([]));

        var result = Send(oldWill);

        Assert.Equal(SparkplugSessionOutcome.Ignored, result.Outcome);
        Assert.Contains("stale NDEATH", result.Reason, StringComparison.Ordinal);
        Assert.True(_host.Find("Plant1", "Cell7")!.IsOnline);
        Assert.Equal(SparkplugSessionOutcome.Applied, Send(_edge.DeathCertificate()).Outcome);
    }

    [Fact]
    public void DDEATH_marks_only_that_device_offline()
    {
        Send(_edge.NodeBirth([]));
        Send(_edge.DeviceBirth("CNC-01", [new("x", SparkplugDataType.Int32, 0)]));
        Send(_edge.DeviceBirth("CNC-02", []));

        var result = Send(_edge.DeviceDeath("CNC-01"));

        Assert.Equal([new SparkplugStatusChange("Plant1", "Cell7", "CNC-01", false, SparkplugSamples.Epoch)], result.StatusChanges);
        Assert.Equal(["CNC-02"], _host.Find("Plant1", "Cell7")!.OnlineDevices);
        Assert.True(_host.Find("Plant1", "Cell7")!.IsOnline);
    }

    [Fact]
    public void A_new_NBIRTH_marks_the_previous_sessions_devices_offline_until_their_DBIRTH()
    {
        Send(_edge.NodeBirth([]));
        Send(_edge.DeviceBirth("CNC-01", []));

        var rebirth = Send(_edge.NodeBirth([]));

        Assert.Equal([new SparkplugStatusChange("Plant1", "Cell7", "CNC-01", false, SparkplugSamples.Epoch)], rebirth.StatusChanges);
        Assert.Empty(_host.Find("Plant1", "Cell7")!.OnlineDevices);
    }

    private SparkplugSessionResult Send(SparkplugPublication publication) =>
        _host.Handle(publication.TopicName, publication.Payload);

    private static SparkplugMessage Renumber(SparkplugPublication publication, byte seq) =>
        SparkplugDecoder.Decode(publication.TopicName, publication.Payload) with { Seq = seq };
}
