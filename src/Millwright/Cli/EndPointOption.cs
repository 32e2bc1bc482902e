using System.CommandLine;
using System.Net;
using Millwright.Hosting;

namespace Millwright.Cli;

/// <summary>A host:port option, checked when the command line is parsed.</summary>
internal static class EndPointOption
{
    public static Option<string> Create(string name, string description, string defaultValue)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r =>
        {
            if (ServeOptions.TryParseEndPoint(r.GetValueOrDefault<string>() ?? "", out _) is { } error)
            {
                r.AddError($"{name}: {error}");
            }
        });
        return option;
    }

    public static IPEndPoint Read(ParseResult result, Option<string> option)
    {
        ServeOptions.TryParseEndPoint(result.GetValue(option)!, out var endPoint);
        return endPoint;
    }
}
