using System.Text.Json;
using Millwright.Features.Alarms;
using Millwright.Features.States;

namespace Millwright.Features.Live;

/// <summary>The feed's event messages: a machine's state changed, an alarm went through a transition.</summary>
internal static class LiveEventMessages
{
    /// <summary>Sent when a connection fell so far behind that state and alarm events were dropped: read them over REST.</summary>
    public static readonly byte[] EventsLost = LiveMessages.Write(w => w.WriteString("eventsLost", "state and alarm events were dropped; read /api/v1/states and /api/v1/alarms"));

    /// <summary><c>{"state": {"machine": 12, "state": "down", "since": ms, "reason": "E-STOP"}}</c></summary>
    public static byte[] State(CurrentState state) => LiveMessages.Write(w =>
    {
        w.WritePropertyName("state");
        WriteState(w, state);
    });

    public static void WriteState(Utf8JsonWriter w, CurrentState state)
    {
        w.WriteStartObject();
        w.WriteNumber("machine", state.MachineId);
        w.WriteString("state", state.State);
        w.WriteNumber("since", state.Since.ToUnixTimeMilliseconds());
        if (state.Reason is not null)
        {
            w.WriteString("reason", state.Reason);
        }

        w.WriteEndObject();
    }

    /// <summary><c>{"alarm": {"id": 7, "machine": 12, "kind": "raised", "state": "active", "severity": "high", ...}}</c></summary>
    public static byte[] Alarm(AlarmEventMessage e) => LiveMessages.Write(w =>
    {
        w.WriteStartObject("alarm");
        w.WriteNumber("id", e.AlarmId);
        w.WriteNumber("machine", e.MachineId);
        w.WriteString("machineName", e.MachineName);
        w.WriteNumber("rule", e.RuleId);
        w.WriteString("ruleName", e.RuleName);
        w.WriteString("tag", e.Tag);
        w.WriteString("kind", e.Kind);
        w.WriteString("state", e.State);
        w.WriteString("severity", e.Severity);
        w.WriteString("message", e.Message);
        w.WriteString("value", e.Value);
        w.WriteString("actor", e.Actor);
        w.WriteString("comment", e.Comment);
        w.WriteNumber("at", e.At.ToUnixTimeMilliseconds());
        w.WriteBoolean("suppressed", e.Suppressed);
        w.WriteEndObject();
    });
}
