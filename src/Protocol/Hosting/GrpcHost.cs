using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Protocol.Hosting;

/// <summary>
/// One node's gRPC server: Grpc.AspNetCore on Kestrel, HTTP/2 only (cleartext with prior
/// knowledge, or TLS with optional client certificates), the cluster token as ASP.NET Core
/// authentication, the standard gRPC health service (open to probes) and server reflection,
/// plus whatever services and endpoints the owner adds before <see cref="StartAsync"/>.
/// </summary>
public sealed class GrpcHost : IAsyncDisposable
{
    private readonly List<Action<IServiceCollection>> _services = [];
    private readonly List<Action<WebApplication>> _endpoints = [];
    private readonly List<KeyValuePair<string, string?>> _configuration = [];
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private int _stopped;

    /// <summary>A host that listens once started.</summary>
    public GrpcHost(GrpcHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The options the host was built with.</summary>
    public GrpcHostOptions Options { get; }

    /// <summary>
    /// Cancelled when the host starts to stop, before Kestrel closes connections: long-lived
    /// streams watch it and end with UNAVAILABLE, so their clients reconnect elsewhere.
    /// </summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>The gRPC address clients dial, e.g. <c>http://127.0.0.1:41234</c>; set once started.</summary>
    public Uri Address { get; private set; } = new("http://unstarted.invalid");

    /// <summary>The HTTP/1.1 address of <see cref="GrpcHostOptions.HttpEndpoint"/>; null when there is none.</summary>
    public Uri? HttpAddress { get; private set; }

    /// <summary>The services of the running host (null before <see cref="StartAsync"/>).</summary>
    public IServiceProvider? Services => _app?.Services;

    /// <summary>Serves <paramref name="service"/>, a generated <c>…Base</c> subclass, as one instance for every call.</summary>
    public GrpcHost AddService<TService>(TService service)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(service);
        EnsureNotStarted();
        _services.Add(s => s.AddSingleton(service));
        _endpoints.Add(app => app.MapGrpcService<TService>());
        return this;
    }

    /// <summary>Adds registrations (telemetry, for example) to the host's container.</summary>
    public GrpcHost ConfigureServices(Action<IServiceCollection> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        EnsureNotStarted();
        _services.Add(configure);
        return this;
    }

    /// <summary>
    /// Adds settings to the host's configuration, which libraries hosted in it read (the OTLP
    /// exporter reads its <c>OTEL_*</c> variables there): only what is given, never the process
    /// environment behind the caller's back.
    /// </summary>
    public GrpcHost AddConfiguration(IEnumerable<KeyValuePair<string, string?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        EnsureNotStarted();
        _configuration.AddRange(values);
        return this;
    }

    /// <summary>Maps more endpoints (a scrape endpoint, for example) once the pipeline is built.</summary>
    public GrpcHost MapEndpoints(Action<WebApplication> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        EnsureNotStarted();
        _endpoints.Add(map);
        return this;
    }

    /// <summary>Builds the pipeline, binds and starts serving.</summary>
    /// <exception cref="IOException">The address is taken or cannot be bound.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        EnsureNotStarted();
        _app = Build();
        await KestrelStart.StartAsync(_app, Options.Endpoint.ToString(), cancellationToken).ConfigureAwait(false);
        var addresses = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .Select(a => new Uri(a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal))).ToList();
        // Kestrel lists the endpoints in the order they were configured: gRPC first.
        Address = addresses[0];
        if (Options.HttpEndpoint is not null) HttpAddress = addresses[1];
    }

    /// <summary>
    /// Stops: <see cref="Stopping"/> fires (streams end with UNAVAILABLE), then Kestrel waits up
    /// to <see cref="GrpcHostOptions.ShutdownTimeout"/> for calls in flight and closes.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_app is not null) await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_app is not null) await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private WebApplication Build()
    {
        var options = Options;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection(_configuration);
        builder.Services.AddSingleton(options.LoggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, options));
        builder.Services.AddRouting();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
            grpc.MaxSendMessageSize = options.MaxSendMessageSize;
            // A handler's exception text stays in the log, never on the wire (GRPC.md §1.7 step 8).
            grpc.EnableDetailedErrors = false;
        });
        // With no check registered the health service answers UNKNOWN; this one says SERVING
        // until the host starts to stop, then NOT_SERVING, so probes stop sending work first.
        builder.Services.AddGrpcHealthChecks().AddCheck("grpc-host", () => _stopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("the host is stopping")
            : HealthCheckResult.Healthy());
        builder.Services.AddGrpcReflection();
        if (options.Token is { } token)
        {
            builder.Services.AddSingleton(token);
            builder.Services.AddAuthentication(ClusterTokenAuthentication.SchemeName)
                .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ClusterTokenAuthentication>(ClusterTokenAuthentication.SchemeName, null);
            // Every endpoint needs the token unless it says otherwise (the health service does).
            builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(
                new AuthorizationPolicyBuilder(ClusterTokenAuthentication.SchemeName).RequireAuthenticatedUser().Build());
        }

        foreach (var configure in _services) configure(builder.Services);
        var app = builder.Build();
        app.UseRouting();
        if (options.Token is not null)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        // Open to Kubernetes' gRPC probes, which cannot send the token; it tells nothing but "serving".
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapGrpcReflectionService();
        foreach (var map in _endpoints) map(app);
        return app;
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, GrpcHostOptions options)
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
        if (options.HttpEndpoint is { } http)
        {
            kestrel.Listen(http, listen => listen.Protocols = HttpProtocols.Http1);
        }
    }

    private void EnsureNotStarted()
    {
        if (_app is not null) throw new InvalidOperationException("The host has started; add services and endpoints before StartAsync.");
    }
}
