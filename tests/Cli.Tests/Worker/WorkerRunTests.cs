using System.Net;
using System.Net.Sockets;
using HyperSwarm.Cli.Commands;
using HyperSwarm.Cli.Config;
using HyperSwarm.Cli.Worker;
using HyperSwarm.GpuActors.Tests.Training;
using HyperSwarm.GpuActors.Tests.Worker;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Protocol.V1;
using Spectre.Console;
using CoordinatorCommand = HyperSwarm.Protocol.V1.CoordinatorCommand;

namespace HyperSwarm.Cli.Tests.Worker;

// The worker command running in this process against a fake coordinator on loopback gRPC: it
// trains what it is told with the member configs it derives, prints one line per report when
// redirected, and stops cleanly (members checkpointed, exit code 0) when drained or cancelled.
public sealed class WorkerRunTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly SyntheticImages data = new();
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("hs-worker-run-");
    private readonly StringWriter output = new();
    private FakeCoordinator? coordinator;

    private string Root => Path.Combine(folder.FullName, "checkpoints");

    public async Task InitializeAsync()
    {
        coordinator = await FakeCoordinator.StartAsync();
        coordinator.Run = new RunConfig { RunId = "run-7", ConfigYaml = TrainConfigLoader.ToYaml(Endless(data.Directory)) };
    }

    public async Task DisposeAsync()
    {
        await coordinator!.DisposeAsync();
        data.Dispose();
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Trains_the_member_it_is_given_prints_its_reports_and_exits_0_when_drained()
    {
        var running = RunAsync(CancellationToken.None);
        var session = await coordinator!.NextSessionAsync();

        session.Send(new CoordinatorCommand { Start = new StartMember { MemberId = "m00", Epoch = 1 } });
        var report = await session.NextReportAsync("m00");
        session.Send(new CoordinatorCommand { Drain = new Drain { Reason = "test over" } });
        var code = await running.WaitAsync(Patience);

        Assert.Equal(0, code);
        var text = output.ToString();
        Assert.Contains($" m00 step {report.Step} loss ", text, StringComparison.Ordinal);
        Assert.Contains(" img/s drop.input=", text, StringComparison.Ordinal); // the tuned hyperparameters close the line
        Assert.Contains("drained by the coordinator: every member stopped with a checkpoint.", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("Member m00 ended (stopped)", StringComparison.Ordinal) is > 0 and var ended
            && ended < text.IndexOf("drained by the coordinator", StringComparison.Ordinal)); // the last word comes last

        var written = TrainConfigLoader.Load(Path.Combine(Root, "m00", "config.yaml"), new Dictionary<string, string>(), []);
        Assert.Equal(MemberSeed.Derive(3, "m00"), written.Seed);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Root, "m00", "checkpoints"))); // written at the stop
    }

    [Fact]
    public async Task Cancelling_stops_every_member_with_a_checkpoint_and_exits_0()
    {
        using var stop = new CancellationTokenSource();
        var running = RunAsync(stop.Token);
        var session = await coordinator!.NextSessionAsync();
        session.Send(new CoordinatorCommand { Start = new StartMember { MemberId = "m01", Epoch = 1 } });
        await session.NextReportAsync("m01");

        await stop.CancelAsync();
        var code = await running.WaitAsync(Patience);

        Assert.Equal(0, code);
        Assert.Contains("stopped: every member stopped with a checkpoint.", output.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Root, "m01", "checkpoints")));
    }

    [Fact]
    public async Task A_run_config_the_worker_cannot_use_leaves_the_member_unstarted_and_says_why()
    {
        coordinator!.Run = new RunConfig { RunId = "run-8", ConfigYaml = "data:\n  batch_sise: 32\n" };
        var running = RunAsync(CancellationToken.None);
        var session = await coordinator.NextSessionAsync();

        session.Send(new CoordinatorCommand { Start = new StartMember { MemberId = "m02", Epoch = 1 } });
        session.Send(new CoordinatorCommand { Drain = new Drain() }); // commands run in order: the start has been refused by then
        var code = await running.WaitAsync(Patience);

        Assert.Equal(0, code);
        var text = output.ToString();
        Assert.Contains("error: Command 1: the run's config gives member m02 no usable training config; not started: ", text, StringComparison.Ordinal);
        Assert.Contains("data.batch_sise", text, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Root, "m02", "checkpoints")));
    }

    [Fact]
    public async Task A_listen_port_in_use_is_one_sentence_naming_the_flag()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var e = await Assert.ThrowsAsync<IOException>(() => RunAsync(CancellationToken.None, "--listen", $"127.0.0.1:{port}"));

        Assert.StartsWith($"--listen 127.0.0.1:{port}: failed to bind to address", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, coordinator!.JoinAttempts); // it never joined without its service
    }

    [Fact]
    public async Task A_checkpoint_folder_that_is_a_file_is_one_sentence_naming_the_flag()
    {
        File.WriteAllText(Root, "not a folder");

        var e = await Assert.ThrowsAsync<UserError>(() => RunAsync(CancellationToken.None));

        Assert.StartsWith($"--checkpoints {Root} cannot be used as a folder: ", e.Message, StringComparison.Ordinal);
    }

    private Task<int> RunAsync(CancellationToken cancellationToken, params string[] more)
    {
        var request = WorkerCommand.Read(["--join", coordinator!.Address.ToString(), "--checkpoints", Root, "--id", "w1", "--threads", "1", .. more]);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            Interactive = InteractionSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        return WorkerCommand.RunAsync(request, console, verbose: false, cancellationToken);
    }

    // A tiny self-tuning member that trains until it is stopped, reporting every 5 steps.
    private static TrainConfig Endless(string dataPath) => TinyRuns.Config(dataPath, maxSteps: 1_000_000) with
    {
        Reporting = new ReportingConfig { LogEverySteps = 5, CheckpointEverySteps = 100_000 },
    };
}
