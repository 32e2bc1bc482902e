using System.Net;

namespace Millwright.Hosting;

/// <summary>The TLS listener: its address and the PEM certificate and key it presents.</summary>
internal sealed record MqttTlsOptions(IPEndPoint EndPoint, string CertificatePemPath, string KeyPemPath);
