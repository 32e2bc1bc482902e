using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Millwright.Mqtt.Tests;

/// <summary>Renders a packet with all its fields, nested property bags included, for whole-packet equality.</summary>
internal static class PacketDump
{
    public static string Dump(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case string s:
                sb.Append('"').Append(s).Append('"');
                break;
            case ReadOnlyMemory<byte> m:
                sb.Append("0x").Append(Convert.ToHexString(m.Span));
                break;
            case Enum or bool or byte or ushort or uint or int:
                sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case IEnumerable items:
                sb.Append('[');
                foreach (var item in items)
                {
                    Write(sb, item);
                    sb.Append(',');
                }

                sb.Append(']');
                break;
            default:
                var type = value.GetType();
                if (type.IsValueType || type.GetMethod("<Clone>$") is not null)
                {
                    // Records and record structs print their members already.
                    sb.Append(value);
                    break;
                }

                sb.Append(type.Name).Append('{');
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    sb.Append(property.Name).Append('=');
                    Write(sb, property.GetValue(value));
                    sb.Append(';');
                }

                sb.Append('}');
                break;
        }
    }
}
