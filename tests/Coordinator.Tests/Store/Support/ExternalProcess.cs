using System.Diagnostics;

namespace HyperSwarm.Coordinator.Tests.Store.Support;

/// <summary>Runs a command to completion and fails with its output when it exits non-zero.</summary>
public static class ExternalProcess
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Describe(file, start)} did not finish within {timeout.TotalSeconds:0} s.");
        }
        var output = (await stdout) + (await stderr);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Describe(file, start)} exited with {process.ExitCode}: {output.Trim()}");
        return output;
    }

    private static string Describe(string file, ProcessStartInfo start) => $"'{file} {string.Join(' ', start.ArgumentList)}'";
}
