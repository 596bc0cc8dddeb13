using System.Diagnostics;
using System.Globalization;

namespace HyperSwarm.Bench.Grpc;

/// <summary>
/// bench/peers/grpc_peer.py run by Debian's python3: a server that prints "PORT n" and lives
/// until its stdin closes, or a client run that prints "RESULT count seconds".
/// </summary>
internal sealed class GrpcPeerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private GrpcPeerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<GrpcPeerProcess> StartServerAsync(string python, CancellationToken cancellationToken)
    {
        var process = Process.Start(Info(python, "server"))!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("PORT ", StringComparison.Ordinal))
            {
                return new GrpcPeerProcess(process, int.Parse(line[5..], CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException($"grpc_peer.py exited: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
    }

    /// <summary>Runs one client measurement; returns operations per second.</summary>
    public static async Task<double> MeasureAsync(string python, CancellationToken cancellationToken, params string[] args)
    {
        using var process = Process.Start(Info(python, args))!;
        process.StandardInput.Close();
        string output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        string? result = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"grpc_peer.py {string.Join(' ', args)} failed: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
        string[] parts = result.Split(' ');
        return double.Parse(parts[1], CultureInfo.InvariantCulture) / double.Parse(parts[2], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static ProcessStartInfo Info(string python, params string[] args)
    {
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-u");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "peers", "grpc_peer.py"));
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }
}
