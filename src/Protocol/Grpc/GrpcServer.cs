using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// A gRPC server on Kestrel: HTTP/2 only, cleartext with prior knowledge or TLS with
/// optional client certificates (GRPC.md §1.7), serving the methods in its
/// <see cref="ServiceRoutes"/>.
/// </summary>
public sealed class GrpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Builds the server; nothing listens until <see cref="StartAsync"/>.</summary>
    public GrpcServer(ServiceRoutes routes, GrpcServerOptions options)
    {
        Options = options;
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(options.LoggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => Configure(kestrel, options));
        _app = builder.Build();
        var dispatcher = new GrpcDispatcher(
            routes, options, options.LoggerFactory.CreateLogger<GrpcServer>(), _stopping.Token);
        _app.Run(dispatcher.HandleAsync);
    }

    /// <summary>The options the server was built with.</summary>
    public GrpcServerOptions Options { get; }

    /// <summary>The address clients dial, e.g. <c>http://127.0.0.1:41234</c>; set once started.</summary>
    public Uri Address { get; private set; } = new("http://unstarted.invalid");

    /// <summary>The port actually bound (useful when the endpoint asked for port 0).</summary>
    public int Port => Address.Port;

    /// <summary>Binds and starts serving.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        string bound = _app.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Address = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>
    /// Stops: calls in flight are cancelled and end with UNAVAILABLE (GRPC.md §1.4), then
    /// Kestrel closes the connections.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static void Configure(KestrelServerOptions kestrel, GrpcServerOptions options)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
        kestrel.Listen(options.Endpoint, listen =>
        {
            // h2c has no upgrade in Kestrel: HTTP/2 only, prior knowledge (GRPC.md §1.7 step 1).
            listen.Protocols = HttpProtocols.Http2;
            if (options.Certificate is { } certificate)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate;
                    https.ClientCertificateMode = options.ClientCertificateMode;
                    if (options.ClientCertificateValidation is { } validate)
                    {
                        https.ClientCertificateValidation = (cert, chain, errors) => validate(https, cert, chain, errors);
                    }
                });
            }
        });
    }
}
