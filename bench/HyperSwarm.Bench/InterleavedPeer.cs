using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace HyperSwarm.Bench;

/// <summary>
/// A peer process kept alive in serve mode (<c>--serve</c>): each <c>run N</c> line on its
/// stdin times N steps and answers one JSON line. Lets a benchmark alternate short rounds of
/// ours and theirs, so the large, slow swings in speed of a shared machine hit both sides
/// alike and cancel in the per-round ratio.
/// </summary>
public sealed class InterleavedPeer : IAsyncDisposable
{
    private readonly Process process;

    private InterleavedPeer(Process process, JsonElement hello)
    {
        this.process = process;
        Hello = hello;
    }

    /// <summary>The peer's first line (versions, threads).</summary>
    public JsonElement Hello { get; }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> plus <c>--serve</c> and waits for its ready line.</summary>
    public static async Task<InterleavedPeer> StartAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken,
        bool addServeFlag = true, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        foreach (var arg in arguments) info.ArgumentList.Add(arg);
        if (addServeFlag) info.ArgumentList.Add("--serve");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var hello = await ReadJsonAsync(process, cancellationToken).ConfigureAwait(false);
        return new InterleavedPeer(process, hello);
    }

    /// <summary>Times <paramref name="steps"/> steps in the peer; returns its images/s.</summary>
    public async Task<double> RunAsync(int steps, CancellationToken cancellationToken)
    {
        await process.StandardInput.WriteLineAsync($"run {steps.ToString(CultureInfo.InvariantCulture)}".AsMemory(), cancellationToken).ConfigureAwait(false);
        await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        var answer = await ReadJsonAsync(process, cancellationToken).ConfigureAwait(false);
        return answer.GetProperty("images_per_s").GetDouble();
    }

    /// <summary>Closes the peer's stdin and waits for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        process.StandardInput.Close();
        await process.WaitForExitAsync().ConfigureAwait(false);
        process.Dispose();
    }

    private static async Task<JsonElement> ReadJsonAsync(Process process, CancellationToken cancellationToken)
    {
        var line = await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"peer {process.StartInfo.FileName} exited (code {(process.HasExited ? process.ExitCode : -1)}) before answering");
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
