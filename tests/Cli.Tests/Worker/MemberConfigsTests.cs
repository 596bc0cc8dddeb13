using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.Cli.Config;
using HyperSwarm.Cli.Worker;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Cli.Tests.Worker;

public sealed class MemberConfigsTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("hs-member-configs-");
    private readonly string data;
    private readonly CheckpointRoot root;

    public MemberConfigsTests()
    {
        data = folder.CreateSubdirectory("data").FullName;
        root = new CheckpointRoot(Path.Combine(folder.FullName, "checkpoints"));
    }

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Each_member_trains_the_run_config_under_its_own_seed()
    {
        var configs = new MemberConfigs(root, dataPath: null, sharedCheckpoints: true);
        var run = Run($"seed: 11\nmax_steps: 40\ndata:\n  path: {data}\n  batch_size: 32\nmodel:\n  kind: small-cnn\n");

        var a = configs.For(run, Start("m00"));
        var b = configs.For(run, Start("m01"));

        Assert.Equal(MemberSeed.Derive(11, "m00"), a.Seed);
        Assert.Equal(MemberSeed.Derive(11, "m01"), b.Seed);
        Assert.NotEqual(a.Seed, b.Seed);
        Assert.Equal(a with { Seed = 0 }, b with { Seed = 0 }); // everything else is the run's
        Assert.Equal(40, a.MaxSteps);
        Assert.Equal(32, a.Data.BatchSize);
        Assert.Equal("small-cnn", a.Model.Kind);
        Assert.Equal(data, a.Data.Path);
    }

    [Fact]
    public void On_shared_storage_a_member_never_prunes_its_own_checkpoints_the_coordinators_collection_does()
    {
        var configs = new MemberConfigs(root, dataPath: null, sharedCheckpoints: true);
        var run = Run($"data:\n  path: {data}\nreporting:\n  keep_checkpoints: 2\n");

        var config = configs.For(run, Start("m00"));

        Assert.Equal(int.MaxValue, config.Reporting.KeepCheckpoints);
    }

    [Fact]
    public void On_the_workers_own_disk_a_member_keeps_its_newest_checkpoints_as_the_config_says()
    {
        var configs = new MemberConfigs(root, dataPath: null, sharedCheckpoints: false);

        var given = configs.For(Run($"data:\n  path: {data}\nreporting:\n  keep_checkpoints: 2\n"), Start("m00"));
        var defaulted = configs.For(Run($"data:\n  path: {data}\n"), Start("m01"));

        Assert.Equal(2, given.Reporting.KeepCheckpoints);
        Assert.Equal(new ReportingConfig().KeepCheckpoints, defaulted.Reporting.KeepCheckpoints);
        Assert.Equal(3, defaulted.Reporting.KeepCheckpoints);
    }

    [Fact]
    public void The_member_config_is_written_into_its_run_directory_under_the_checkpoint_root()
    {
        var configs = new MemberConfigs(root, dataPath: null, sharedCheckpoints: true);

        var config = configs.For(Run($"data:\n  path: {data}\n"), Start("m03"));

        var directory = new RunDirectory(Path.Combine(root.Path, "m03"));
        Assert.Equal(directory.Path, configs.RunDirectoryOf("m03"));
        Assert.Equal(root.MemberDirectory("m03"), directory.Path); // where the member actor trains
        var written = TrainConfigLoader.Load(directory.ConfigPath, new Dictionary<string, string>(), []);
        Assert.Equal(TrainConfigLoader.ToYaml(config), TrainConfigLoader.ToYaml(written));
    }

    [Fact]
    public void The_worker_data_folder_replaces_the_run_configs()
    {
        var configs = new MemberConfigs(root, dataPath: data, sharedCheckpoints: true);

        var config = configs.For(Run("data:\n  path: /the/coordinators/own/folder\n"), Start("m00"));

        Assert.Equal(data, config.Data.Path);
    }

    [Fact]
    public void A_data_folder_missing_on_this_worker_is_one_sentence_that_suggests_data()
    {
        var configs = new MemberConfigs(root, dataPath: null, sharedCheckpoints: true);

        var e = Assert.Throws<ArgumentException>(() => configs.For(Run("data:\n  path: /no/such/folder\n"), Start("m00")));

        Assert.Equal("data.path /no/such/folder in the run config does not exist on this worker; give the worker --data DIR.", e.Message);
        Assert.False(Directory.Exists(Path.Combine(root.Path, "m00"))); // nothing written for a member that will not start
    }

    [Theory]
    [InlineData("data:\n  batch_sise: 32\n", "data.batch_sise", "the run config line 2")]
    [InlineData("seed: [1\nbudget: 5m\n", "not valid YAML", "the run config line")]
    [InlineData("data:\n  batch_size: lots\n", "data.batch_size must be an integer", "the run config line 2")]
    [InlineData("budget: none\n", "set at least one of budget, epochs or max_steps", "the run config line 1")]
    public void A_run_config_that_cannot_be_used_is_one_sentence_naming_the_line(string yaml, string what, string where)
    {
        var configs = new MemberConfigs(root, dataPath: data, sharedCheckpoints: true);

        var e = Assert.Throws<ArgumentException>(() => configs.For(Run(yaml), Start("m00")));

        Assert.Contains(what, e.Message, StringComparison.Ordinal);
        Assert.Contains(where, e.Message, StringComparison.Ordinal);
        Assert.Single(e.Message.Split('\n'));
        Assert.Matches("[.?]$", e.Message); // a sentence, maybe a suggestion
    }

    [Fact]
    public void A_member_id_that_is_no_folder_name_is_refused()
    {
        var configs = new MemberConfigs(root, dataPath: data, sharedCheckpoints: true);

        Assert.Throws<ArgumentException>(() => configs.For(Run(""), Start("../m00")));
    }

    private static RunConfig Run(string yaml) => new() { RunId = "run-1", ConfigYaml = yaml };

    private static StartMember Start(string memberId) => new() { MemberId = memberId, Epoch = 1 };
}
