using System.Diagnostics;
using System.Text.Json;

namespace HyperSwarm.Bench;

/// <summary>Runs a peer program to completion and reads the JSON object on its last stdout line; locates peers.</summary>
public static class PeerProcess
{
    /// <summary>The path of a peer program or script shipped in bench/peers (copied next to the harness).</summary>
    public static string PeerPath(string name) => Path.Combine(AppContext.BaseDirectory, "peers", name);

    /// <summary>
    /// How to start this very program again with <paramref name="arguments"/>: the executable,
    /// and under <c>dotnet hyperswarm.dll</c> the entry assembly as the first argument.
    /// </summary>
    public static (string FileName, List<string> Arguments) Self(IEnumerable<string> arguments)
    {
        var exe = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program is running");
        var args = new List<string>();
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet")
        {
            args.Add(System.Reflection.Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("no entry assembly"));
        }

        args.AddRange(arguments);
        return (exe, args);
    }

    /// <summary>Runs <paramref name="fileName"/>; a non-zero exit throws with the peer's stderr.</summary>
    public static async Task<JsonElement> RunJsonAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in arguments) info.ArgumentList.Add(arg);

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"peer {Path.GetFileName(fileName)} exited with {process.ExitCode}: {LastLine(errors)}");
        }

        var last = LastLine(output);
        try
        {
            return JsonDocument.Parse(last).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"peer {Path.GetFileName(fileName)} did not end with a JSON line (got '{last}')", e);
        }
    }

    /// <summary>Runs a command and throws with its output when it fails (for build steps).</summary>
    public static async Task RunCheckedAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in arguments) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var text = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} {string.Join(' ', info.ArgumentList)} failed: {text.Trim()}");
        }
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
}
