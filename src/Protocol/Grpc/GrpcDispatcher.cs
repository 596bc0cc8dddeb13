using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// The Kestrel request delegate that turns an HTTP/2 request into a gRPC call: checks the
/// request (GRPC.md §1.7 steps 2–3), authenticates, routes, runs the handler under its
/// deadline and always ends with a status. It is the one place where an arbitrary
/// exception becomes UNKNOWN (GRPC.md §1.4, STYLE.md §3.4 rule 7).
/// </summary>
internal sealed partial class GrpcDispatcher(
    ServiceRoutes routes, GrpcServerOptions options, ILogger logger, CancellationToken serverStopping)
{
    public async Task HandleAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (!ReservedHeaders.IsGrpcContentType(http.Request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        using var call = new ServerCall(http, options, serverStopping);
        GrpcStatus status = await DispatchAsync(http, call);
        await call.FinishAsync(status);
    }

    private async Task<GrpcStatus> DispatchAsync(HttpContext http, ServerCall call)
    {
        try
        {
            ServerMethod method = Route(http);
            Task? deadline = call.Begin();
            Task handler = method.InvokeAsync(call);
            if (deadline is not null && await Task.WhenAny(handler, deadline) != handler)
            {
                await call.ExpireAsync();
                // The handler's token is cancelled; its outcome no longer reaches the client.
                await handler.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                return new GrpcStatus(GrpcStatusCode.DeadlineExceeded, "Deadline Exceeded");
            }

            await handler;
            return GrpcStatus.Ok;
        }
        catch (Exception e) when (call.DeadlineExpired)
        {
            LogEnded(logger, call.Context.Method, "deadline exceeded", e.GetType().Name);
            return new GrpcStatus(GrpcStatusCode.DeadlineExceeded, "Deadline Exceeded");
        }
        catch (Exception e) when (call.ClientAborted)
        {
            // Cancellation by the client is normal (GRPC.md §1.10 row 8): not an error.
            LogEnded(logger, call.Context.Method, "cancelled by the client", e.GetType().Name);
            return new GrpcStatus(GrpcStatusCode.Cancelled, "Cancelled");
        }
        catch (RpcException e)
        {
            return e.Status;
        }
        catch (Exception e) when (serverStopping.IsCancellationRequested)
        {
            LogEnded(logger, call.Context.Method, "server shutting down", e.GetType().Name);
            return new GrpcStatus(GrpcStatusCode.Unavailable, "Server shutting down");
        }
        catch (Exception e)
        {
            // Log the exception, never send it: no stack trace on the wire (row 16).
            LogHandlerFailed(logger, e, call.Context.Method);
            return new GrpcStatus(GrpcStatusCode.Unknown, "Exception was thrown by handler.");
        }
    }

    private ServerMethod Route(HttpContext http)
    {
        if (options.Token is { } token && !token.Matches(http.Request.Headers[ClusterToken.MetadataKey]))
        {
            throw new RpcException(GrpcStatusCode.Unauthenticated, "Missing or wrong cluster token.");
        }

        string encoding = http.Request.Headers[ReservedHeaders.Encoding].ToString();
        if (encoding.Length > 0 && encoding != "identity")
        {
            throw new RpcException(GrpcStatusCode.Unimplemented, $"Unsupported grpc-encoding '{encoding}'.");
        }

        string path = http.Request.Path.Value ?? "";
        return routes.TryFind(path, out ServerMethod method)
            ? method
            : throw new RpcException(GrpcStatusCode.Unimplemented, $"Method not found: {path}");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} ended: {Reason} ({Exception})")]
    private static partial void LogEnded(ILogger logger, string method, string reason, string exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} handler threw")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string method);
}
