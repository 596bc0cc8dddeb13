using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.Cli.Config;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Cli.Worker;

/// <summary>
/// The training config of each member a coordinator starts on this worker
/// (<see cref="WorkerNodeOptions.MemberConfig"/>): the run's config, sent as YAML in
/// <see cref="RunConfig.ConfigYaml"/> and read as <c>hyperswarm train</c> reads a file, then made
/// the member's own: its seed (<see cref="MemberSeed"/>) and, when the worker was given
/// <c>--data</c>, this machine's dataset folder. The result is written as <c>config.yaml</c> into
/// the member's run directory under the checkpoint root, next to its checkpoints.
/// </summary>
internal sealed class MemberConfigs(CheckpointRoot root, string? dataPath, bool sharedCheckpoints)
{
    /// <summary>How error messages name the run's config text.</summary>
    public const string SourceName = "the run config";

    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly object gate = new();
    private string? parsedYaml;
    private TrainConfig? parsed;

    /// <summary>
    /// The config member <paramref name="start"/> trains with. Throws
    /// <see cref="ArgumentException"/> with one sentence when the run's config cannot be used
    /// here (the worker then leaves the member unstarted and goes on).
    /// </summary>
    public TrainConfig For(RunConfig run, StartMember start)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(start);
        var config = Parse(run.ConfigYaml);
        config = config with { Seed = MemberSeed.Derive(config.Seed, start.MemberId) };
        if (dataPath is not null) config = config with { Data = config.Data with { Path = dataPath } };

        // On shared storage a member's checkpoints belong to the population: the coordinator may
        // resume or exploit from any it has registered and keeps their lineage, so the trainer's
        // own pruning would delete files it still points at; collecting them is the coordinator's
        // GC (on by default, as in `hyperswarm run`). On this worker's own disk no coordinator
        // sees them, so the trainer keeps its newest reporting.keep_checkpoints (3), as
        // `hyperswarm train` does: a resume or exploit source is a member's newest registered one.
        if (sharedCheckpoints) config = config with { Reporting = config.Reporting with { KeepCheckpoints = int.MaxValue } };
        if (!Directory.Exists(config.Data.Path))
        {
            throw new ArgumentException(dataPath is null
                ? $"data.path {config.Data.Path} in {SourceName} does not exist on this worker; give the worker --data DIR."
                : $"--data {config.Data.Path} does not exist.");
        }

        var directory = new RunDirectory(RunDirectoryOf(start.MemberId));
        File.WriteAllText(directory.ConfigPath, TrainConfigLoader.ToYaml(config));
        return config;
    }

    /// <summary>Where member <paramref name="memberId"/> trains (the folder its actor uses).</summary>
    public string RunDirectoryOf(string memberId) => root.MemberDirectory(memberId);

    // One run's members share one config text: it is read once, not per member. The worker
    // node's boundary takes ArgumentException, so the CLI's UserError becomes one here.
    private TrainConfig Parse(string yaml)
    {
        lock (gate)
        {
            if (parsed is not null && parsedYaml == yaml) return parsed;
            try
            {
                parsed = TrainConfigLoader.LoadText(yaml, SourceName, NoEnvironment, []);
            }
            catch (UserError e)
            {
                throw new ArgumentException(e.Message, e);
            }

            parsedYaml = yaml;
            return parsed;
        }
    }
}
