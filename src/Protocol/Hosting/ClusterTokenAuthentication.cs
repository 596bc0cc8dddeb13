using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyperSwarm.Protocol.Hosting;

/// <summary>
/// The cluster token as an ASP.NET Core authentication scheme: a request whose
/// <c>authorization</c> header is <c>Bearer &lt;token&gt;</c> is a cluster node. The host's
/// fallback authorization policy requires one, so a gRPC call without it (or with a wrong one) is
/// answered by <see cref="HandleChallengeAsync"/> with a trailers-only UNAUTHENTICATED before the
/// request body is read or any handler runs.
/// </summary>
internal sealed class ClusterTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ClusterToken token)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ClusterToken";

    private const string Refusal = "this call lacks the cluster's token (authorization: Bearer …); give the node the token the coordinator was started with.";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ClusterToken.MetadataKey, out var values) || values.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (values.Count != 1 || !token.Matches(values[0]))
        {
            return Task.FromResult(AuthenticateResult.Fail("wrong cluster token"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "cluster-node")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    // A gRPC client reads a status, not an HTTP 401: trailers-only response, grpc-status 16
    // (GRPC.md §1.3). Plain HTTP callers get the usual 401.
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Bearer";
            return Task.CompletedTask;
        }

        Response.StatusCode = StatusCodes.Status200OK;
        Response.ContentType = "application/grpc";
        Response.Headers["grpc-status"] = "16";
        Response.Headers["grpc-message"] = Uri.EscapeDataString(Refusal);
        return Task.CompletedTask;
    }
}
