using System.CommandLine;
using HyperSwarm.Coordinator.Store;
using HyperSwarm.GpuActors.Training;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Torch;

namespace HyperSwarm.Cli;

/// <summary>
/// Runs the parsed command and is the CLI's one error boundary: a failure prints one
/// sentence and exits non-zero; --verbose adds the stack trace.
/// </summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        var config = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,

            // Ctrl+C and SIGTERM cancel the command, which then stops cleanly: a worker's members
            // finish their step and checkpoint, a training run scores its best model. That takes
            // longer than System.CommandLine's default of 2 s before it gives up on the command.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(60),
        };
        if (args.Length > 0 && parse.Errors.Count > 0 && !Asks(parse, "--help", "-h", "-?"))
        {
            // A mistake in the request, like any other (docs/cli.md): one sentence and exit 2,
            // with where to read how the command is used, not the whole help text.
            await Console.Error.WriteLineAsync($"error: {Sentence(parse.Errors[0].Message)} See: hyperswarm {CommandPath(parse)} --help").ConfigureAwait(false);
            return 2;
        }

        try
        {
            return await parse.InvokeAsync(config).ConfigureAwait(false);
        }
        catch (TypeInitializationException e) when (e.InnerException is TorchException missing)
        {
            // The native library failed to load (first touch of the interop type): say why in
            // one sentence instead of a type-initializer stack trace.
            await Console.Error.WriteLineAsync($"error: {missing.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception e) when (e is TorchException or UserError or IOException or FormatException or InvalidOperationException or StoreException or RpcException or TrainingDivergedException)
        {
            // RpcException's own message is a debug dump (Status(StatusCode=…, DebugException=…)).
            var message = e is RpcException rpc ? rpc.Status.Describe() : e.Message;
            await Console.Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
            if (parse.GetValue(CliOptions.Verbose))
            {
                await Console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return e is UserError ? 2 : 1;
        }
    }

    private static bool Asks(ParseResult parse, params string[] flags) => parse.Tokens.Any(t => flags.Contains(t.Value, StringComparer.Ordinal));

    // The command as typed, without the root's name: "worker", "bench".
    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var command = parse.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (command.Command is not RootCommand) names.Insert(0, command.Command.Name);
        }
        return string.Join(' ', names).Length > 0 ? string.Join(' ', names) : "";
    }

    private static string Sentence(string message)
    {
        var trimmed = message.Trim();
        return trimmed.EndsWith('.') ? trimmed : trimmed + ".";
    }
}
