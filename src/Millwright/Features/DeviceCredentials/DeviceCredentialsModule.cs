namespace Millwright.Features.DeviceCredentials;

/// <summary>Device credentials: the authenticator every transport logs devices in with, and the credentials API.</summary>
internal static class DeviceCredentialsModule
{
    public static IServiceCollection AddDeviceCredentials(this IServiceCollection services) =>
        services.AddSingleton<DeviceAuthenticator>();
}
