using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using HyperSwarm.Cli.Network;
using HyperSwarm.Cli.Config;
using HyperSwarm.Cli.Dashboard;
using HyperSwarm.Cli.Run;
using HyperSwarm.Cli.Worker;
using HyperSwarm.Coordinator.Dashboard;
using HyperSwarm.Coordinator.Node;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.Coordinator.Store;
using HyperSwarm.Coordinator.Telemetry;
using Grpc.Core;
using HyperSwarm.Protocol.Cluster;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace HyperSwarm.Cli.Commands;

/// <summary>
/// <c>hyperswarm coordinator --listen ADDR --store URI [--config FILE] [--population N]</c>:
/// runs the coordinator of a cluster run until the run completes or Ctrl+C. A store that already
/// holds a run continues it (its id and config come from the store); workers join with
/// <c>hyperswarm worker --join ADDR</c>. Shows a live member table on a terminal, one line per
/// population event when redirected.
/// </summary>
internal static class CoordinatorCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "HOST:PORT to serve on (loopback unless told otherwise).", DefaultValueFactory = _ => "127.0.0.1:7070" };
        var store = new Option<string>("--store") { Description = "sqlite:PATH or postgres://user:pass@host:port/db.", DefaultValueFactory = _ => "sqlite:population.db" };
        var config = new Option<string?>("--config") { Description = "Run configuration (YAML) handed to every worker; default config/fashion-mnist.yaml if present." };
        var population = new Option<int>("--population") { Description = "Number of members.", DefaultValueFactory = _ => 4 };
        var runId = new Option<string?>("--run-id") { Description = "Id of a new run (default: run-<UTC time>); a store's own run keeps its id." };
        var readySteps = new Option<long>("--ready-steps") { Description = "Steps a member trains under new hyperparameters before it may be replaced.", DefaultValueFactory = _ => 1000 };
        var totalSteps = new Option<long?>("--total-steps") { Description = "Steps after which a member is finished (default: the config's max_steps, else 10000)." };
        var selectEvery = new Option<string>("--select-every") { Description = "How often the population is ranked, e.g. 30s.", DefaultValueFactory = _ => "10s" };
        var tokenFile = new Option<string?>("--token-file") { Description = "File holding the cluster token (default: HYPERSWARM_CLUSTER_TOKEN; none on loopback)." };
        var collect = new Option<bool>("--collect-checkpoints") { Description = "Delete checkpoints nothing needs any more (workers write them where this machine sees them)." };
        var clusterListen = new Option<string?>("--cluster-listen") { Description = "Where Akka.Remote (the cluster's seed) binds: PORT, HOST:PORT or *:PORT (default: --listen's host and a free port; workers learn it when they join)." };
        var clusterCertificate = new Option<string?>("--cluster-certificate") { Description = "Certificate with its private key (PEM, or PKCS#12 .pfx/.p12) for Akka.Remote's mutual TLS, instead of the key derived from the cluster token." };
        var clusterPeers = new Option<string?>("--cluster-peers") { Description = "Comma-separated SHA-1 thumbprints of the certificates to accept (default: any that chains to a trusted root)." };
        var metricsListen = new Option<string>("--metrics-listen") { Description = "HOST:PORT of the Prometheus scrape endpoint (/metrics, HTTP/1.1), or off.", DefaultValueFactory = _ => "127.0.0.1:9464" };
        var dashboard = DashboardFlag.Create();

        var command = new Command("coordinator", "Run the coordinator of a cluster run: workers join it, it runs population-based training.");
        foreach (var option in new Option[] { listen, clusterListen, clusterCertificate, clusterPeers, store, config, population, runId, readySteps, totalSteps, selectEvery, tokenFile, collect, metricsListen, dashboard }) command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var endpoint = NodeAddress.ParseListen("--listen", parse.GetValue(listen)!);
            var clusterEndpoint = parse.GetValue(clusterListen) is { } cluster ? NodeAddress.ParseListen("--cluster-listen", cluster) : new IPEndPoint(endpoint.Address, 0);
            var clusterSecurity = ClusterCertificateFile.Load(parse.GetValue(clusterCertificate), parse.GetValue(clusterPeers)) ?? ClusterSecurity.Open;
            var dashboardChoice = DashboardFlag.Parse(parse.GetValue(dashboard));
            var metrics = MetricsEndpoint(parse.GetValue(metricsListen)!, given: parse.GetResult(metricsListen) is { Implicit: false });
            var environment = TelemetryEnvironment.Read(ServiceName);
            var interval = DurationText.Parse(parse.GetValue(selectEvery)!) ?? throw new UserError("--select-every needs a duration such as 30s.");
            var size = parse.GetValue(population);
            if (size < 1) throw new UserError($"--population must be at least 1, got {size}.");
            var token = ClusterTokenFile.Load(parse.GetValue(tokenFile), NullLogger.Instance);
            await using var opened = await PopulationStore.OpenAsync(parse.GetValue(store)!, cancellationToken: cancellationToken).ConfigureAwait(false);
            var existing = await opened.GetRunMetadataAsync(cancellationToken).ConfigureAwait(false);
            string yaml;
            long? maxSteps = null;
            // The config's budget is the run's, kept by the coordinator (members never stop by the clock).
            TimeSpan? budget = null;
            // A new run searches what its members tune, with the trainer's own ranges (as `run`
            // does); a continued run keeps the population options stored with it.
            System.Collections.Immutable.ImmutableArray<HyperparameterRange> space = [];
            if (existing is not null && parse.GetValue(config) is null)
            {
                yaml = existing.ConfigYaml;
            }
            else
            {
                var path = TrainConfigLoader.ResolvePath(parse.GetValue(config));
                var train = TrainConfigLoader.Load(path, TrainConfigLoader.ReadEnvironment(), []);
                yaml = TrainConfigLoader.ToYaml(train);
                // A run keeps the config it started with (its members were built from it): a
                // different file is a mistake, said before anything starts.
                if (existing is not null && yaml != existing.ConfigYaml)
                    throw new UserError($"--config {path}: the store already holds run '{existing.RunId}', which keeps the config it started with; drop --config to continue it, or give another --store for a new run.");
                maxSteps = train.MaxSteps;
                budget = train.Budget;
                space = SearchSpace.For(train);
            }
            var options = new CoordinatorNodeOptions
            {
                Store = opened,
                RunId = existing?.RunId ?? parse.GetValue(runId) ?? $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}",
                ConfigYaml = yaml,
                Population = new PopulationOptions
                {
                    Size = size,
                    ReadySteps = parse.GetValue(readySteps),
                    TotalSteps = parse.GetValue(totalSteps) ?? maxSteps ?? 10_000,
                    Budget = budget,
                    Space = space,
                },
                Server = new GrpcHostOptions { Endpoint = endpoint, Token = token, HttpEndpoint = metrics },
                Cluster = new ClusterNodeOptions { Roles = [ClusterBootstrap.CoordinatorRole], Endpoint = clusterEndpoint, Security = clusterSecurity },
                ConfigureHost = host => TelemetrySetup.AddTo(host, environment, prometheus: metrics is not null, ServiceName),
                SelectionInterval = interval,
                CollectCheckpoints = parse.GetValue(collect),
            };
            return await RunAsync(options, dashboardChoice, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(CoordinatorNodeOptions options, DashboardChoice? dashboardChoice, CancellationToken invocation)
    {
        var console = AnsiConsole.Console;
        // Ctrl+C and SIGTERM stop the run cleanly here: the web host inside the node would
        // otherwise take the signal for itself and stop only its server.
        using var terminate = CancellationTokenSource.CreateLinkedTokenSource(invocation);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var termination = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var cancellationToken = terminate.Token;
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            terminate.Cancel();
        }

        try
        {
            options.Population.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UserError(e.Message);
        }
        // A standby coordinator waits here until the leader of this run is gone (PostgreSQL only).
        await using var leadership = options.Store is ILeaderElection election
            ? await AcquireAsync(console, election, options.RunId, cancellationToken).ConfigureAwait(false)
            : null;
        await using var node = await CoordinatorNode.StartAsync(options, cancellationToken).ConfigureAwait(false);
        console.MarkupLine($"[bold]run[/] {Markup.Escape(node.RunId)} · coordinator on {Markup.Escape(node.Address.ToString())} · {options.Population.Size} members");
        console.MarkupLine($"workers join with: hyperswarm worker --join {Markup.Escape(node.Address.Authority)} · cluster seed {Markup.Escape(node.ClusterSeed)}");
        if (node.HttpAddress is { } http) console.MarkupLine($"metrics: {Markup.Escape(new Uri(http, TelemetrySetup.ScrapePath).ToString())}");
        await using var dashboard = await DashboardLauncher.StartAsync(dashboardChoice, DashboardSnapshot.PopulationKind, node.RunId,
            () => options.Server.Token, console, Console.Out, cancellationToken).ConfigureAwait(false);
        dashboard?.Attach(new PopulationDashboardSource(node));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var showing = Show(console, node, options.Server.Token, stop.Token);
        RunOutcome? outcome = null;
        try
        {
            outcome = await node.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.MarkupLine("[yellow]stopping: restart with the same --store to continue the run[/]");
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await showing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await node.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        if (outcome is not null)
        {
            StatusCommand.Print(console, node.Population.State.ToProto(node.RunId));
            console.MarkupLine(outcome.BestMemberId is null
                ? "[yellow]the run completed without a member with a finite loss[/]"
                : $"[bold]best member[/] {Markup.Escape(outcome.BestMemberId)}: validation loss {outcome.ValidationLoss.ToString("G4", CultureInfo.InvariantCulture)}, accuracy {outcome.ValidationAccuracy.ToString("P2", CultureInfo.InvariantCulture)}, checkpoint {Markup.Escape(outcome.Checkpoint?.Path ?? "none")}");
        }
        return 0;
    }

    private const string ServiceName = "hyperswarm-coordinator";

    // The default port is a convenience: taken (another coordinator on this machine, another
    // exporter), the run goes on without /metrics and says so. A port the user named must bind.
    private static IPEndPoint? MetricsEndpoint(string text, bool given)
    {
        if (text == "off") return null;
        var endpoint = NodeAddress.ParseListen("--metrics-listen", text);
        if (given || endpoint.Port == 0) return endpoint;
        try
        {
            using var probe = new TcpListener(endpoint);
            probe.Start();
            return endpoint;
        }
        catch (SocketException)
        {
            AnsiConsole.MarkupLine($"[yellow]metrics: {Markup.Escape(text)} is in use, so this coordinator serves no /metrics; choose a port with --metrics-listen[/]");
            return null;
        }
    }


    private static async Task<ILeadershipLease> AcquireAsync(IAnsiConsole console, ILeaderElection election, string runId, CancellationToken cancellationToken)
    {
        if (await election.TryAcquireLeadershipAsync(runId, cancellationToken).ConfigureAwait(false) is { } lease) return lease;
        console.MarkupLine($"[yellow]another coordinator leads run {Markup.Escape(runId)}: standing by[/]");
        return await election.WaitForLeadershipAsync(runId, cancellationToken).ConfigureAwait(false);
    }

    // A terminal gets the member table, redrawn every second (reports change it without events);
    // a redirected output gets one plain line per population event, over the node's own WatchEvents.
    private static async Task Show(IAnsiConsole console, CoordinatorNode node, ClusterToken? token, CancellationToken cancellationToken)
    {
        if (console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi)
        {
            await console.Live(StatusCommand.Table(node.Population.State.ToProto(node.RunId))).StartAsync(async live =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
                while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                {
                    live.UpdateTarget(StatusCommand.Table(node.Population.State.ToProto(node.RunId)));
                    live.Refresh();
                }
            }).ConfigureAwait(false);
            return;
        }
        using var channel = ClusterChannel.Open(node.Address, new ClusterChannelOptions { Token = token });
        using var call = new Protocol.V1.Coordinator.CoordinatorClient(channel).WatchEvents(new WatchEventsRequest(), cancellationToken: cancellationToken);
        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var e = call.ResponseStream.Current;
            var at = DateTimeOffset.FromUnixTimeMilliseconds(e.UnixMs).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
            // Plain Console, not Spectre: a redirected line must not be wrapped at 80 columns.
            await Console.Out.WriteLineAsync($"{at} #{e.Sequence} {e.Kind} {e.MemberId} {e.WorkerId}: {e.Reason}".Replace("  ", " ", StringComparison.Ordinal)).ConfigureAwait(false);
        }
    }
}
