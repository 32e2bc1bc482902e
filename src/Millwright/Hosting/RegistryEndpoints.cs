using Millwright.Api;
using Millwright.Features.Areas;
using Millwright.Features.Lines;
using Millwright.Features.Machines;
using Millwright.Features.MachineTypes;
using Millwright.Features.Sites;
using Millwright.Features.Tenants;
using Millwright.Features.Alarms;
using Millwright.Security;

namespace Millwright.Hosting;

/// <summary>
/// The registry's entities share one CRUD mapper (<see cref="CrudEndpoints"/>); no single feature owns the
/// list, so it lives beside the composition root.
/// </summary>
internal static class RegistryEndpoints
{
    public static IEndpointRouteBuilder MapRegistry(this IEndpointRouteBuilder app)
    {
        app.MapCrud("tenants", "Tenants", Tenants.Operations, Policies.PlatformAdmin, Policies.PlatformAdmin);
        app.MapCrud("sites", "Sites", Sites.Operations);
        app.MapCrud("areas", "Areas", Areas.Operations);
        app.MapCrud("lines", "Lines", Lines.Operations);
        app.MapCrud("machine-types", "Machine types", MachineTypes.Operations);
        // A machine moved to another type or line changes which alarm rules watch it.
        app.MapCrud("machines", "Machines", Machines.Operations).ReloadsAlarmRules(onlyWatched: true);
        return app;
    }
}
