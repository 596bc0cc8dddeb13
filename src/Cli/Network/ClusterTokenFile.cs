using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Cli.Network;

/// <summary>The cluster token a node presents: from <c>--token-file</c>, else from <c>HYPERSWARM_CLUSTER_TOKEN</c>, else none.</summary>
internal static class ClusterTokenFile
{
    /// <summary>Reads the token; a file anyone else can read is allowed but logged as a warning.</summary>
    /// <exception cref="UserError">The file is missing or unreadable, or the token is malformed.</exception>
    public static ClusterToken? Load(string? path, ILogger logger)
    {
        try
        {
            return path is null ? ClusterToken.Resolve(null) : ClusterToken.FromFile(path, logger);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UserError($"--token-file {path} does not exist.");
        }
        catch (UnauthorizedAccessException)
        {
            throw new UserError($"--token-file {path} cannot be read: permission denied.");
        }
        catch (ArgumentException e)
        {
            var source = path is null ? $"environment variable {ClusterToken.EnvironmentVariable}" : $"--token-file {path}";
            throw new UserError($"the cluster token in {source} is unusable: {Lowercase(e.Message.Split(" (Parameter", 2)[0])}");
        }
    }

    private static string Lowercase(string message) =>
        message.Length == 0 ? message : char.ToLowerInvariant(message[0]) + message[1..];
}
