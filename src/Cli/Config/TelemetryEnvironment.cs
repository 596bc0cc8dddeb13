using HyperSwarm.Coordinator.Telemetry;

namespace HyperSwarm.Cli.Config;

/// <summary>The process's <c>OTEL_*</c> variables for a node's telemetry, checked before anything starts.</summary>
internal static class TelemetryEnvironment
{
    /// <summary>The process environment, once <see cref="OtlpSettings"/> accepts it.</summary>
    /// <exception cref="UserError">A variable holds a value that cannot be used (one sentence naming it).</exception>
    public static IReadOnlyDictionary<string, string?> Read(string serviceName)
    {
        var environment = TelemetrySetup.ProcessEnvironment();
        try
        {
            OtlpSettings.FromEnvironment(environment, serviceName);
        }
        catch (TelemetryConfigurationException e)
        {
            throw new UserError(e.Message);
        }

        return environment;
    }
}
