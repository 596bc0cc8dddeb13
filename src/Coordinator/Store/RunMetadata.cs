namespace HyperSwarm.Coordinator.Store;

/// <summary>What identifies a run: its id and the resolved config it was started with.</summary>
/// <param name="RunId">The run's id; also the key of leader election (docs/store.md).</param>
/// <param name="ConfigYaml">The resolved config, as printed at start.</param>
/// <param name="CreatedAt">When the metadata was first stored (UTC, microsecond precision).</param>
public sealed record RunMetadata(string RunId, string ConfigYaml, DateTimeOffset CreatedAt);
