using HyperSwarm.Protocol.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>
/// The live dashboard (DESIGN.md §4, docs/cli.md "Live dashboard"): one page, <c>/</c>; its data
/// as JSON, <c>/api/snapshot</c>; and a server-sent-events stream, <c>/api/events</c> (a
/// <c>snapshot</c> message, then <c>members</c> every sample and each <c>event</c> as the source
/// publishes it). Its own HTTP/1.1 Kestrel listener, so <c>train</c>, which has no gRPC host,
/// serves the same page as <c>run</c> and <c>coordinator</c>.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly DashboardOptions _options;
    private readonly DashboardHub _hub;
    private readonly CancellationTokenSource _stopping = new();
    private readonly WebApplication _app;
    private Task _hubRun = Task.CompletedTask;
    private int _stopped;

    private DashboardServer(DashboardOptions options)
    {
        _options = options;
        _hub = new DashboardHub(options.Kind, options.Run, options.SampleInterval, options.Time);
        _app = Build();
    }

    /// <summary>The page's address, e.g. <c>http://127.0.0.1:7080/</c> (the bound port, never 0).</summary>
    public Uri Address { get; private set; } = new("http://unstarted.invalid/");

    /// <summary>Binds and starts serving; the page shows <c>starting</c> until <see cref="Attach"/>.</summary>
    /// <exception cref="IOException">The address is taken or cannot be bound.</exception>
    public static async Task<DashboardServer> StartAsync(DashboardOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var server = new DashboardServer(options);
        try
        {
            await KestrelStart.StartAsync(server._app, options.Endpoint.ToString(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            await server._app.DisposeAsync().ConfigureAwait(false);
            server._stopping.Dispose();
            throw;
        }

        var bound = server._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.Address = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        server._hubRun = server._hub.RunAsync(server._stopping.Token);
        return server;
    }

    /// <summary>Serves <paramref name="source"/> from now on (once).</summary>
    public void Attach(IDashboardSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _hub.Attach(source);
    }

    /// <summary>Sends every page a last sample, ends their streams and stops listening.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        _hub.Complete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _hubRun.ConfigureAwait(false);
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private WebApplication Build()
    {
        var options = _options;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(options.LoggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Endpoint, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddRouting();
        var app = builder.Build();
        var access = new DashboardAccess(options.RequiresToken ? options.Token : null);
        app.Use(access.InvokeAsync);
        app.UseRouting();
        app.MapGet("/", Page);
        app.MapGet("/api/snapshot", (HttpContext context) => Results.Text(_hub.FullJson(), "application/json"));
        app.MapGet("/api/events", Events);
        return app;
    }

    private static async Task Page(HttpContext context)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentSecurityPolicy = DashboardPage.ContentSecurityPolicy;
        await context.Response.Body.WriteAsync(DashboardPage.Bytes, context.RequestAborted).ConfigureAwait(false);
    }

    // One stream per open page, until the page goes or the server stops.
    private async Task Events(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var frames = _hub.Connect();
        try
        {
            // A dropped stream is picked up again after a second (the page then gets a fresh snapshot).
            await context.Response.WriteAsync("retry: 1000\n\n", call.Token).ConfigureAwait(false);
            await foreach (var frame in frames.ReadAllAsync(call.Token).ConfigureAwait(false))
            {
                await context.Response.WriteAsync(frame, call.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(call.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (call.IsCancellationRequested)
        {
            // The page went away, or the server stops.
        }
        finally
        {
            _hub.Disconnect(frames);
        }
    }
}
