using System.Diagnostics;

namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>
/// The Slurm batch script's own checks, run with bash as Slurm would run it (its variables set by
/// hand, no cluster needed): a mistake ends the job before anything starts, in one sentence, with
/// exit code 2.
/// </summary>
public sealed class SlurmScriptTests : IDisposable
{
    private static readonly string Root = DependencyArrowTests.RepoRoot();
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("hs-sbatch-");

    public void Dispose() => folder.Delete(recursive: true);

    [Theory]
    [InlineData("run-name", "the run name 'my run' (the job name, or HYPERSWARM_RUN) must be letters, digits, '.', '_' or '-'.")]
    [InlineData("no-app", "/hyperswarm is not an executable; publish the app there (dotnet publish src/Cli -c Release -o ")]
    [InlineData("no-shim", "/libhstorch.so does not exist; put libhstorch.so beside the app or set HS_TORCH_LIB.")]
    [InlineData("no-config", "/missing.yaml does not exist; set HYPERSWARM_CONFIG.")]
    public async Task A_mistake_in_the_settings_is_one_sentence_and_exit_code_2_before_anything_starts(string mistake, string sentence)
    {
        var home = Directory.CreateDirectory(Path.Combine(folder.FullName, "app")).FullName;
        if (mistake != "no-app") File.Copy("/bin/true", Path.Combine(home, "hyperswarm"));
        if (mistake != "no-shim") File.WriteAllText(Path.Combine(home, "libhstorch.so"), "");
        var environment = new Dictionary<string, string>
        {
            ["SLURM_JOB_NAME"] = mistake == "run-name" ? "my run" : "run-a",
            ["SLURM_JOB_ID"] = "7",
            ["SLURM_JOB_NUM_NODES"] = "1",
            ["SLURM_SUBMIT_DIR"] = Root,
            ["HYPERSWARM_HOME"] = home,
            ["HYPERSWARM_RUNS"] = Path.Combine(folder.FullName, "runs"),
        };
        if (mistake == "no-config") environment["HYPERSWARM_CONFIG"] = Path.Combine(folder.FullName, "missing.yaml");

        var (code, stdout, stderr) = await RunAsync(environment);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("hyperswarm: ", line, StringComparison.Ordinal);
        Assert.Contains(sentence, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder.FullName, "runs")), "nothing is made before the checks pass");
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Root };
        info.ArgumentList.Add(Path.Combine(Root, "config", "cluster", "slurm", "hyperswarm.sbatch"));
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
