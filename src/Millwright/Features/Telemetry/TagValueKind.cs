namespace Millwright.Features.Telemetry;

internal enum TagValueKind
{
    Number,
    Boolean,
    Text,
}
