namespace HyperSwarm.Cli;

/// <summary>A mistake in what the user asked for (unknown benchmark, bad value): exit code 2.</summary>
internal sealed class UserError(string message) : Exception(message);
