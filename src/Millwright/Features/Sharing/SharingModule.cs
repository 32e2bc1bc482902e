using Millwright.Features.Production;

namespace Millwright.Features.Sharing;

/// <summary>Sharing's services: its bookings are the production planner's reservations, and a completed shared order makes its invoice-ready records (docs/sharing.md, "Execution").</summary>
internal static class SharingModule
{
    public static IServiceCollection AddSharing(this IServiceCollection services) =>
        services.AddSingleton<IMachineReservations, SharedBookings>().AddSingleton<IOrderCompletions, SharedInvoices>().AddSingleton<QuoteRates>();
}
