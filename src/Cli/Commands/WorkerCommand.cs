using HyperSwarm.GpuActors.Checkpoints;
using System.CommandLine;
using HyperSwarm.Cli.Network;
using HyperSwarm.Cli.Config;
using HyperSwarm.Cli.Display;
using HyperSwarm.Cli.Worker;
using HyperSwarm.Coordinator.Telemetry;
using HyperSwarm.GpuActors.Worker;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace HyperSwarm.Cli.Commands;

/// <summary>
/// <c>hyperswarm worker --join ADDR</c>: one GPU (or CPU) node of a cluster. Joins the
/// coordinator, trains the members it is given, one per device slot, and runs until the
/// coordinator drains it or the process is told to stop (Ctrl+C, SIGTERM); either way every
/// member finishes its step and checkpoints first. An unreachable coordinator is retried with
/// backoff, for ever unless <c>--join-timeout</c> says otherwise.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create() => Create(new Flags());

    /// <summary>
    /// The checked request behind a command line's worker arguments (<c>--join … --devices …</c>),
    /// as the command would run it.
    /// </summary>
    /// <exception cref="UserError">An argument is missing, unknown or unusable.</exception>
    internal static WorkerRequest Read(params string[] args)
    {
        var flags = new Flags();
        var parse = Create(flags).Parse(args);
        if (parse.Errors.Count > 0) throw new UserError(parse.Errors[0].Message);
        return Read(parse, flags);
    }

    private static Command Create(Flags flags)
    {
        var command = new Command("worker", "Join a coordinator and train the population members it assigns to this machine.");
        foreach (var option in flags.All) command.Options.Add(option);
        command.SetAction((parse, cancellationToken) =>
            RunAsync(Read(parse, flags), AnsiConsole.Console, parse.GetValue(CliOptions.Verbose), cancellationToken));
        return command;
    }

    private static WorkerRequest Read(ParseResult parse, Flags flags)
    {
        var listen = NodeAddress.ParseListen("--listen", parse.GetValue(flags.Listen)!);
        var shared = parse.GetValue(flags.Shared);
        var advertise = parse.GetValue(flags.Advertise) is { } given ? NodeAddress.ParseAdvertised("--advertise", given) : null;
        if (advertise is null && NodeAddress.IsWildcard(listen))
        {
            // Every interface is no address to give others; the host's name with the port is.
            if (listen.Port != 0) advertise = $"{System.Net.Dns.GetHostName()}:{listen.Port}";
            else if (!shared) throw new UserError("--listen on every interface needs a fixed port (*:7001) or --advertise HOST:PORT, so other workers can fetch checkpoints.");
        }

        var clusterListen = parse.GetValue(flags.ClusterListen) is { } cluster
            ? NodeAddress.ParseListen("--cluster-listen", cluster)
            : new System.Net.IPEndPoint(listen.Address, 0);
        return new WorkerRequest
        {
            ClusterListen = clusterListen,
            ClusterSecurity = ClusterCertificateFile.Load(parse.GetValue(flags.ClusterCertificate), parse.GetValue(flags.ClusterPeers)),
            // Other nodes reach this one's Akka.Remote at the host it advertises for checkpoints.
            ClusterHost = advertise?[..advertise.LastIndexOf(':')].Trim('[', ']'),
            Coordinator = NodeAddress.ParsePeer("--join", parse.GetValue(flags.Join)!),
            WorkerId = WorkerId(parse.GetValue(flags.Id) ?? Environment.MachineName),
            Devices = DeviceList(parse.GetValue(flags.Devices)!),
            Capacity = AtLeastOne("--capacity", parse.GetValue(flags.Capacity)),
            Listen = listen,
            Advertise = advertise,
            CheckpointRoot = parse.GetValue(flags.Checkpoints)!,
            SharedCheckpoints = shared,
            TokenFile = parse.GetValue(flags.TokenFile),
            Threads = AtLeastOne("--threads", parse.GetValue(flags.Threads)),
            DataPath = DataFolder(parse.GetValue(flags.Data)),
            JoinTimeout = Duration("--join-timeout", parse.GetValue(flags.JoinTimeout)),
            Failpoints = FailpointsFrom(Environment.GetEnvironmentVariable(NanFailpoints.Variable)),
        };
    }

    private static NanFailpoints FailpointsFrom(string? text)
    {
        try
        {
            return NanFailpoints.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UserError(e.Message);
        }
    }

    private const string ServiceName = "hyperswarm-worker";

    /// <summary>Runs the worker until it is drained or <paramref name="cancellationToken"/> fires; 0 after a clean stop.</summary>
    internal static async Task<int> RunAsync(WorkerRequest request, IAnsiConsole console, bool verbose, CancellationToken cancellationToken)
    {
        var display = new WorkerDisplay(console, request.WorkerId, request.Coordinator);
        using var loggers = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning) // Kestrel's own chatter
            .AddFilter("Grpc", LogLevel.Warning) // every failed call is already one line of ours
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical) // a failed start is the command's own error
            .AddProvider(new DisplayLoggerProvider(display.Notice, verbose)));
        var token = ClusterTokenFile.Load(request.TokenFile, loggers.CreateLogger("HyperSwarm.Cli.Worker"));
        var configs = new MemberConfigs(OpenCheckpoints(request.CheckpointRoot), request.DataPath, request.SharedCheckpoints);
        var watch = new JoinWatch();
        var environment = TelemetryEnvironment.Read(ServiceName);
        var options = request.ToOptions(configs.For, token, loggers) with
        {
            // OTLP export of the worker's gRPC client and server spans when OTEL_* asks for it.
            ConfigureHost = host => TelemetrySetup.AddTo(host, environment, prometheus: false, ServiceName),
            OnJoined = response =>
            {
                watch.OnJoined(response);
                display.Joined(response);
            },
            OnUnreachable = (error, retryIn) =>
            {
                watch.OnUnreachable(error, retryIn);
                display.Unreachable(error, retryIn);
            },
            OnMemberEvent = display.OnMemberEvent,
        };

        return await display.ShowAsync(async () =>
        {
            // Said only once the node is disposed: its event loop has then shown every member's end.
            display.Notice(await RunNodeAsync(request, options, watch, cancellationToken).ConfigureAwait(false));
            return 0;
        }).ConfigureAwait(false);
    }

    // Runs the node to its end; returns how it ended, or throws the one sentence why it failed.
    private static async Task<string> RunNodeAsync(WorkerRequest request, WorkerNodeOptions options, JoinWatch watch, CancellationToken cancellationToken)
    {
        await using var node = new WorkerNode(options);
        try
        {
            await node.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new IOException($"--listen {request.Listen}: {Lowercase(e.Message)}", e);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = node.RunAsync(stop.Token);
        if (request.JoinTimeout is { } timeout && !await watch.WaitAsync(run, timeout, TimeProvider.System, cancellationToken).ConfigureAwait(false))
        {
            // The reason is the last failure within the timeout, read before stopping the run:
            // an attempt cut short by the stop would otherwise report itself as "Cancelled".
            var reason = watch.LastFailure?.Status.Describe() ?? "no answer yet";
            await stop.CancelAsync().ConfigureAwait(false);
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw new IOException($"could not join the coordinator at {request.Coordinator.GetLeftPart(UriPartial.Authority)} within {DurationText.Format(timeout)} ({reason}); check that it runs and that --join names it.");
        }

        try
        {
            await run.ConfigureAwait(false);
            return "drained by the coordinator: every member stopped with a checkpoint.";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return "stopped: every member stopped with a checkpoint.";
        }
        catch (RpcException e)
        {
            throw Refused(request.Coordinator, e);
        }
    }

    // The statuses the node does not retry (ReconnectPolicy.IsRetryable), in the user's words.
    private static Exception Refused(Uri url, RpcException e)
    {
        var coordinator = url.GetLeftPart(UriPartial.Authority);
        return e.StatusCode switch
        {
            StatusCode.Unauthenticated or StatusCode.PermissionDenied =>
                new UserError($"the coordinator at {coordinator} refused this worker ({e.Status.Describe()}); give it the cluster's token with --token-file or {ClusterToken.EnvironmentVariable}."),
            StatusCode.InvalidArgument => new UserError($"the coordinator at {coordinator} refused the join ({e.Status.Describe()})."),
            _ => new IOException($"{coordinator} does not answer as a HyperSwarm coordinator ({e.Status.Describe()})."),
        };
    }

    private static CheckpointRoot OpenCheckpoints(string path)
    {
        try
        {
            return new CheckpointRoot(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"--checkpoints {path} cannot be used as a folder: {Lowercase(e.Message)}");
        }
    }

    private static string Lowercase(string message) =>
        message.Length == 0 ? message : char.ToLowerInvariant(message[0]) + message[1..];

    private static IReadOnlyList<string> DeviceList(string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries);
        if (names.Any(n => n.Length == 0)) throw new UserError($"--devices takes names separated by commas, such as cpu or cuda:0,cuda:1, got '{text}'.");
        var devices = new List<string>();
        foreach (var name in names)
        {
            string device;
            try
            {
                device = Torch.Device.Parse(name).ToString();
            }
            catch (FormatException e)
            {
                throw new UserError($"--devices: {e.Message}");
            }

            if (devices.Contains(device)) throw new UserError($"--devices names {device} twice; use --capacity for several members per device.");
            devices.Add(device);
        }

        return devices;
    }

    private static string WorkerId(string id)
    {
        // Worker ids show up in logs, metrics and the store: plain names, as member ids are.
        if (!CheckpointRoot.IsValidMemberId(id)) throw new UserError($"--id must be 1–128 letters, digits, '-', '_' or '.' not starting with '.', got '{id}'.");
        return id;
    }

    private static int? AtLeastOne(string flag, int? value) =>
        value is < 1 ? throw new UserError($"{flag} must be at least 1, got {value}.") : value;

    private static string? DataFolder(string? path) =>
        path is null || Directory.Exists(path) ? path : throw new UserError($"--data {path} does not exist.");

    private static TimeSpan? Duration(string flag, string? text)
    {
        if (text is null) return null;
        try
        {
            return DurationText.Parse(text) is { } value && value > TimeSpan.Zero
                ? value
                : throw new UserError($"{flag} needs a positive duration such as 30s, got '{text}'.");
        }
        catch (FormatException e)
        {
            throw new UserError($"{flag}: {e.Message}.");
        }
    }

    // One set per command instance: an option belongs to the command it was added to.
    private sealed class Flags
    {
        public readonly Option<string> Join = new("--join") { Description = "The coordinator: host:port or http://host:port.", Required = true };
        public readonly Option<string> Devices = new("--devices") { Description = "Comma-separated devices, each a member slot: cpu, or cuda:0,cuda:1.", DefaultValueFactory = _ => "cpu" };
        public readonly Option<int?> Capacity = new("--capacity") { Description = "Member slots offered (default: one per device)." };
        public readonly Option<string> Listen = new("--listen") { Description = "Where the Worker service (checkpoint streaming) binds: PORT, HOST:PORT, or *:PORT for every interface.", DefaultValueFactory = _ => "127.0.0.1:0" };
        public readonly Option<string?> ClusterListen = new("--cluster-listen") { Description = "Where this node's Akka.Remote (its place in the cluster) binds: PORT, HOST:PORT or *:PORT (default: --listen's host and a free port)." };
        public readonly Option<string?> ClusterCertificate = new("--cluster-certificate") { Description = "Certificate with its private key (PEM, or PKCS#12 .pfx/.p12) for Akka.Remote's mutual TLS, instead of the key derived from the cluster token." };
        public readonly Option<string?> ClusterPeers = new("--cluster-peers") { Description = "Comma-separated SHA-1 thumbprints of the certificates to accept (default: any that chains to a trusted root)." };
        public readonly Option<string?> Advertise = new("--advertise") { Description = "host:port other workers fetch checkpoints from (default: the bound address, or this host's name with *:PORT)." };
        public readonly Option<string> Checkpoints = new("--checkpoints") { Description = "Folder of the members' run directories and checkpoints.", DefaultValueFactory = _ => "checkpoints" };
        public readonly Option<bool> Shared = new("--shared-checkpoints") { Description = "--checkpoints is the same shared folder on every worker: checkpoints are read in place, not streamed." };
        public readonly Option<string?> TokenFile = new("--token-file") { Description = $"File holding the cluster token (default: ${ClusterToken.EnvironmentVariable}, else none)." };
        public readonly Option<int?> Threads = new("--threads") { Description = "libtorch threads per member (default: the cores shared among the slots)." };
        public readonly Option<string?> Id = new("--id") { Description = "This worker's name in the cluster (default: the host name)." };
        public readonly Option<string?> Data = new("--data") { Description = "This machine's dataset folder, overriding the run config's data.path." };
        public readonly Option<string?> JoinTimeout = new("--join-timeout") { Description = "Give up when the first join has not succeeded within this long, e.g. 30s (default: keep trying)." };

        public Option[] All => [Join, Devices, Capacity, Listen, ClusterListen, ClusterCertificate, ClusterPeers, Advertise, Checkpoints, Shared, TokenFile, Threads, Id, Data, JoinTimeout];
    }
}
