using HyperSwarm.Cli.Tests.Support;
using HyperSwarm.Coordinator.Store;

namespace HyperSwarm.Cli.Tests.Commands;

// A run keeps the config it started with: `coordinator --config` on a store that holds a run
// with another config is a mistake in the request, said before anything starts.
public sealed class CoordinatorConfigTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("hs-coordinator-config-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public async Task A_config_that_differs_from_the_stored_runs_is_one_sentence_and_exit_2()
    {
        var database = Path.Combine(folder.FullName, "population.db");
        await using (var store = await PopulationStore.OpenAsync($"sqlite:{database}"))
        {
            await store.SetRunMetadataAsync("run-kept", "seed: 1\n");
        }
        var config = Path.Combine(folder.FullName, "other.yaml");
        await File.WriteAllTextAsync(config, "seed: 2\n");

        var (code, _, stderr) = await CliProcess.RunAsync("coordinator", "--store", $"sqlite:{database}", "--config", config,
            "--listen", "127.0.0.1:0", "--metrics-listen", "off");

        Assert.Equal(2, code);
        Assert.Equal($"error: --config {config}: the store already holds run 'run-kept', which keeps the config it started with; drop --config to continue it, or give another --store for a new run.", stderr.Trim());
    }
}
