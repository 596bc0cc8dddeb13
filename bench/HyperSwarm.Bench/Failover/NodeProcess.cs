using System.Collections.Concurrent;
using System.Diagnostics;

namespace HyperSwarm.Bench.Failover;

/// <summary>
/// One <c>hyperswarm</c> node of the failover cluster, started as this very program: its output
/// lines are kept, timestamped, and can be awaited; <see cref="Kill"/> is SIGKILL.
/// </summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<(long At, string Line)> lines = new();
    private readonly SemaphoreSlim changed = new(0);

    public NodeProcess(string name, IEnumerable<string> arguments)
    {
        Name = name;
        var (fileName, args) = PeerProcess.Self(arguments);
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.Exited += (_, _) => changed.Release();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    /// <summary>The last lines it printed, for an error message.</summary>
    public string Tail => string.Join('\n', lines.Select(l => l.Line).TakeLast(30));

    /// <summary>When (Stopwatch ticks) the first line after <paramref name="since"/> matching <paramref name="match"/> came, waiting up to <paramref name="timeout"/>.</summary>
    public async Task<long> WaitForLineAsync(Func<string, bool> match, long since, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            foreach (var (at, line) in lines)
            {
                if (at >= since && match(line)) return at;
            }

            if (process.HasExited) throw new InvalidOperationException($"{Name} exited ({process.ExitCode}) before {what}:\n{Tail}");
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero) throw new TimeoutException($"{Name} did not show {what} within {timeout}:\n{Tail}");
            await changed.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
    }

    /// <summary>Every line printed since <paramref name="since"/>.</summary>
    public IEnumerable<string> LinesSince(long since) => lines.Where(l => l.At >= since).Select(l => l.Line);

    /// <summary>SIGKILL: no checkpoint, no goodbye.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }

        process.Dispose();
        changed.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lines.Enqueue((Stopwatch.GetTimestamp(), line));
        changed.Release();
    }
}
