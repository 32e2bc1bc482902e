using System.Text;
using Millwright.Api;
using Millwright.Features.OpcUa;
using Millwright.Fuzzing;
using Millwright.Tests.OpcUa;

namespace Millwright.Tests.Fuzzing;

/// <summary>
/// An uploaded CA is a tenant's bytes: mutated DER (sent as base64) and mutated PEM text may only become a CA
/// certificate or a 400 naming the field, never another exception.
/// </summary>
public sealed class TrustedCaFuzzTests
{
    [Fact]
    public void Mutated_CA_certificates_only_parse_or_are_refused_naming_the_field()
    {
        using var ca = TestAuthorities.Authority("CN=Fuzz Plant CA, O=Acme");
        var engine = new MutationEngine([ca.RawData, Encoding.UTF8.GetBytes(TestAuthorities.Pem(ca))], randomSeed: 20261207, fields: []);
        var (parsed, refused) = (0, 0);
        for (var i = 0; i < 5_000; i++)
        {
            var (_, input) = engine.Next();
            foreach (var text in new[] { Convert.ToBase64String(input), Encoding.UTF8.GetString(input) })
            {
                try
                {
                    using var certificate = OpcUaTrustedCas.Parse(text, DateTimeOffset.UtcNow);
                    parsed++;
                }
                catch (ApiProblem problem)
                {
                    Assert.Equal(400, problem.Status);
                    Assert.StartsWith("certificate: ", problem.Message, StringComparison.Ordinal);
                    refused++;
                }
            }
        }

        Assert.True(parsed > 0 && refused > 0, $"{parsed} parsed, {refused} refused");
    }
}
