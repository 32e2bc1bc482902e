using Millwright.Api;

namespace Millwright.Features.Sharing;

/// <summary>
/// Field-level validation of offers and requests: every impossible value (an envelope of zero or of a kilometre,
/// a rate of nothing, a horizon of a year) is refused naming its field, all at once.
/// </summary>
internal static class SharingValidation
{
    public const double MaxEnvelopeMm = 50_000;
    public const double MaxRate = 100_000;
    public const int MaxNames = 50;
    public const int MaxSteps = 20;
    public const int MaxHorizonDays = 60;

    public static OfferTerms Offer(Validator v, OfferInput input)
    {
        var processes = Names(v, "processes", input.Processes, required: true);
        var materials = new List<MaterialDto>();
        if (input.Materials is not { Count: > 0 and <= MaxNames })
        {
            v.Add("materials", $"is required: 1 to {MaxNames} materials, each with a name and a pricePerKg");
        }
        else
        {
            for (var i = 0; i < input.Materials.Count; i++)
            {
                var name = v.Name($"materials[{i}].name", input.Materials[i]?.Name);
                var price = Number(v, $"materials[{i}].pricePerKg", input.Materials[i]?.PricePerKg, 0, 100_000, "a price per kg of 0 to 100,000");
                materials.Add(new MaterialDto(name, price));
            }
        }

        var envelope = Size(v, "envelopeMm", input.EnvelopeMm);
        var tolerance = Number(v, "toleranceMm", input.ToleranceMm, 0.0001, 100, "the finest tolerance held, 0.0001 to 100 mm", exclusiveMin: false);
        var certifications = Names(v, "certifications", input.Certifications, required: false);
        var rate = Number(v, "hourlyRate", input.HourlyRate, 0, MaxRate, $"a rate above 0 and at most {MaxRate:N0} per hour", exclusiveMin: true);
        var minimum = Number(v, "minimumCharge", input.MinimumCharge ?? 0, 0, 10_000_000, "0 to 10,000,000");
        var transport = Number(v, "transportPerKm", input.TransportPerKm ?? 0, 0, 1_000, "0 to 1,000 per km");
        var margin = Number(v, "marginPercent", input.MarginPercent ?? 0, 0, 200, "0 to 200 percent");
        var horizon = input.HorizonDays ?? 14;
        if (horizon is < 1 or > MaxHorizonDays)
        {
            v.Add("horizonDays", $"must be 1 to {MaxHorizonDays} days");
        }

        var reserve = input.ReserveMinutes ?? 30;
        if (reserve is < 0 or > 1440)
        {
            v.Add("reserveMinutes", "must be 0 to 1440 minutes");
        }

        return new OfferTerms(processes, materials, envelope, tolerance, certifications, rate, minimum, transport, margin, 0, 0, horizon, reserve);
    }

    public static RequestTerms Request(Validator v, RequestInput input, long now)
    {
        var title = v.Name("title", input.Title);
        var steps = new List<StepDto>();
        if (input.Steps is not { Count: > 0 and <= MaxSteps })
        {
            v.Add("steps", $"is required: 1 to {MaxSteps} steps, each with a process, setupMinutes and unitSeconds");
        }
        else
        {
            for (var i = 0; i < input.Steps.Count; i++)
            {
                var step = input.Steps[i];
                var process = v.Name($"steps[{i}].process", step?.Process);
                var setup = Number(v, $"steps[{i}].setupMinutes", step?.SetupMinutes ?? 0, 0, 7 * 24 * 60, "0 to a week in minutes");
                var unit = Number(v, $"steps[{i}].unitSeconds", step?.UnitSeconds, 0, 7 * 86_400, "above 0 and at most a week in seconds", exclusiveMin: true);
                steps.Add(new StepDto(process, setup, unit));
            }
        }

        var material = v.Name("material", input.Material);
        var mass = Number(v, "partMassKg", input.PartMassKg ?? 0, 0, 100_000, "0 to 100,000 kg (0: the buyer supplies the material)");
        var quantity = input.Quantity ?? 0;
        if (quantity is < 1 or > 1_000_000)
        {
            v.Add("quantity", "is required and must be 1 to 1,000,000 parts");
        }

        var tolerance = Number(v, "toleranceMm", input.ToleranceMm, 0.0001, 100, "the tightest tolerance needed, 0.0001 to 100 mm");
        var size = Size(v, "partSizeMm", input.PartSizeMm);
        var certifications = Names(v, "certifications", input.Certifications, required: false);
        var due = input.DueAt?.ToUnixTimeMilliseconds() ?? 0;
        if (input.DueAt is null || due <= now || due > now + (366L * 86_400_000))
        {
            v.Add("dueAt", "is required: a time with its offset, in the future and within a year");
        }

        var budget = Number(v, "budget", input.Budget, 0, 1e9, "the most the buyer will pay, above 0", exclusiveMin: true);
        var distance = Number(v, "maxDistanceKm", input.MaxDistanceKm, 0, 20_000, "above 0 and at most 20,000 km", exclusiveMin: true);
        if (!Geo.IsValid(input.Location?.Latitude, input.Location?.Longitude))
        {
            v.Add("location", "is required: latitude -90..90 and longitude -180..180 of the delivery address");
        }

        var response = input.ResponseHours ?? 24;
        if (response is < 1 or > 168)
        {
            v.Add("responseHours", "must be 1 to 168 hours (how long providers have to answer a bid)");
        }

        return new RequestTerms(title, steps, material, mass, quantity, tolerance, size, certifications, due, budget, distance,
            input.Location?.Latitude ?? 0, input.Location?.Longitude ?? 0, response);
    }

    private static List<string> Names(Validator v, string field, IReadOnlyList<string>? values, bool required)
    {
        if (values is null or { Count: 0 })
        {
            if (required)
            {
                v.Add(field, $"is required: 1 to {MaxNames} names");
            }

            return [];
        }

        if (values.Count > MaxNames)
        {
            v.Add(field, $"must hold at most {MaxNames} names");
            return [];
        }

        return values.Select((n, i) => v.Name($"{field}[{i}]", n)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static SizeDto Size(Validator v, string field, SizeMm? size)
    {
        var x = Number(v, $"{field}.x", size?.X, 0, MaxEnvelopeMm, $"above 0 and at most {MaxEnvelopeMm:N0} mm", exclusiveMin: true);
        var y = Number(v, $"{field}.y", size?.Y, 0, MaxEnvelopeMm, $"above 0 and at most {MaxEnvelopeMm:N0} mm", exclusiveMin: true);
        var z = Number(v, $"{field}.z", size?.Z, 0, MaxEnvelopeMm, $"above 0 and at most {MaxEnvelopeMm:N0} mm", exclusiveMin: true);
        return new SizeDto(x, y, z);
    }

    private static double Number(Validator v, string field, double? value, double min, double max, string what, bool exclusiveMin = false)
    {
        if (value is not { } n || !double.IsFinite(n) || n > max || (exclusiveMin ? n <= min : n < min))
        {
            v.Add(field, $"is required and must be {what}");
            return 0;
        }

        return n;
    }
}
