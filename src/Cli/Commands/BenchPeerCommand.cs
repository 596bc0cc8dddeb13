using System.CommandLine;
using HyperSwarm.Bench;

namespace HyperSwarm.Cli.Commands;

/// <summary>
/// Hidden <c>hyperswarm bench-peer NAME --threads N</c>: serves one of HyperSwarm's step rigs
/// over stdin/stdout, so benchmarks can measure our side in fresh processes like their peers.
/// </summary>
internal static class BenchPeerCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = $"Rig to serve: {string.Join(", ", BenchPeers.Names)}." };
        var threads = new Option<int>("--threads") { Description = "libtorch threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var device = new Option<string>("--device") { Description = "Device: cpu or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var command = new Command("bench-peer", "Serve a benchmark step rig on stdin/stdout (used by `hyperswarm bench`).") { Hidden = true };
        command.Arguments.Add(name);
        command.Options.Add(threads);
        command.Options.Add(device);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await BenchPeers.ServeAsync(parse.GetValue(name)!, parse.GetValue(threads), HyperSwarm.GpuActors.Training.TrainingDevice.Resolve(parse.GetValue(device)!), Console.In, Console.Out, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
