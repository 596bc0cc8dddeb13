using HyperSwarm.Protocol.Hosting;
using Microsoft.AspNetCore.Http;

namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>
/// Who may read the dashboard (DESIGN.md §5): anyone on loopback; off loopback only a request
/// with the cluster token, as <c>Authorization: Bearer …</c> or <c>?token=…</c> (the page passes
/// its own query on, since a browser's EventSource cannot send headers). Others get 401.
/// </summary>
internal sealed class DashboardAccess(ClusterToken? requiredToken)
{
    public bool Allows(HttpRequest request) =>
        requiredToken is null
        || requiredToken.IsPresentedBy(request.Headers.Authorization.Count == 1 ? request.Headers.Authorization[0] : null,
            request.Query.TryGetValue(DashboardOptions.TokenQueryParameter, out var query) && query.Count == 1 ? query[0] : null);

    /// <summary>Middleware: 401 with <c>WWW-Authenticate: Bearer</c> before any endpoint runs.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (Allows(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await context.Response.WriteAsync("This dashboard needs the cluster token: send Authorization: Bearer <token> or add ?token=<token> to the URL.\n").ConfigureAwait(false);
    }
}
