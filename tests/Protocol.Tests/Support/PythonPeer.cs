using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace HyperSwarm.Protocol.Tests.Support;

/// <summary>
/// A Debian python3-grpcio process from tests/interop. It announces readiness with a
/// "PORT n" line; later lines can be awaited. Disposal closes its stdin and kills it by PID.
/// </summary>
public sealed class PythonPeer : IAsyncDisposable
{
    /// <summary>Debian's interpreter: a python3 earlier on PATH does not see python3-grpcio (GRPC.md §1.10).</summary>
    public const string Python = "/usr/bin/python3";

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private PythonPeer(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _lines.Writer.TryWrite("stderr: " + e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; private set; }

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "interop", name);

    /// <summary>Starts a long-running peer and waits for its "PORT n" line.</summary>
    public static async Task<PythonPeer> StartAsync(string script, params string[] args)
    {
        var peer = new PythonPeer(Process.Start(Info(["-u", Script(script), .. args]))!);
        string line = await peer.WaitForLineAsync("PORT ", TimeSpan.FromSeconds(30));
        peer.Port = int.Parse(line["PORT ".Length..], CultureInfo.InvariantCulture);
        return peer;
    }

    /// <summary>Runs a peer to completion; returns its exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string script, params string[] args) =>
        RunAsync(Info(["-u", Script(script), .. args]), $"{script} {string.Join(' ', args)}");

    /// <summary>Runs <c>python3 -c <paramref name="code"/></c> to completion.</summary>
    public static Task<(int ExitCode, string Output)> RunCodeAsync(string code) => RunAsync(Info(["-c", code]), "python3 -c");

    /// <summary>Waits for a line that starts with <paramref name="prefix"/>.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var seen = new List<string>();
        try
        {
            await foreach (string line in _lines.Reader.ReadAllAsync(cancel.Token))
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }

                seen.Add(line);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No '{prefix}' line within {timeout}; the peer printed:\n{string.Join('\n', seen)}");
        }

        throw new InvalidOperationException($"The peer exited before printing '{prefix}':\n{string.Join('\n', seen)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo info, string what)
    {
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not finish in 60 s.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static ProcessStartInfo Info(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The scripts import wire.py from their own folder.
            WorkingDirectory = Path.Combine(AppContext.BaseDirectory, "interop"),
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
