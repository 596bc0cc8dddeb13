using System.CommandLine;

namespace HyperSwarm.Cli;

/// <summary>Options shared by every command.</summary>
internal static class CliOptions
{
    /// <summary>Show stack traces with errors.</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show full error details (stack traces).",
        Recursive = true,
    };
}
