using System.Collections.Concurrent;
using System.Diagnostics;

namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>
/// A long-running <c>hyperswarm</c> process of a cluster test: its output lines are kept and
/// can be awaited (signals, never sleeps); <see cref="Kill"/> is SIGKILL; disposing kills what
/// still runs, so no test leaks a process.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly SemaphoreSlim changed = new(0);

    public ChildProcess(string name, params string[] args)
        : this(name, [], args)
    {
    }

    /// <summary>Runs hyperswarm under <paramref name="wrapper"/> (e.g. <c>ip netns exec NS</c>), which must exec it in place.</summary>
    public ChildProcess(string name, IReadOnlyList<string> wrapper, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
        : this(name, wrapper.Count > 0 ? wrapper[0] : "dotnet", [.. wrapper.Skip(1), .. wrapper.Count > 0 ? new[] { "dotnet" } : [], Path.Combine(AppContext.BaseDirectory, "hyperswarm.dll"), .. args], environment)
    {
    }

    private ChildProcess(string name, string fileName, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        Name = name;
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.Exited += (_, _) => changed.Release();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Any other long-running program of a test (a daemon such as <c>slurmd -D</c>), watched the same way.</summary>
    public static ChildProcess Program(string name, string fileName, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        new(name, fileName, args, environment);

    public string Name { get; }

    public bool HasExited => process.HasExited;

    /// <summary>The OS process id (for /proc readings).</summary>
    public int Id => process.Id;

    public int ExitCode => process.ExitCode;

    /// <summary>Everything it printed so far, for failure messages.</summary>
    public string Output => string.Join('\n', lines);

    /// <summary>The first line matching <paramref name="match"/>, waiting for it up to <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (lines.FirstOrDefault(match) is { } line) return line;
            if (process.HasExited && lines.FirstOrDefault(match) is null)
                throw new TimeoutException($"{Name} exited ({process.ExitCode}) before {what}:\n{Output}");
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"{Name} did not show {what} within {timeout}:\n{Output}");
            await changed.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Waits for the exit, up to <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout}:\n{Output}");
        }

        return process.ExitCode;
    }

    /// <summary>SIGKILL: no chance to checkpoint, drain or say goodbye.</summary>
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
            // Never started or already reaped.
        }

        process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lines.Enqueue(line);
        changed.Release();
    }
}
