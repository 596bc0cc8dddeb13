namespace HyperSwarm.Cli.Config;

/// <summary>Which YAML node a setting accepts besides a plain value.</summary>
internal enum ConfigKeyShape
{
    /// <summary>One value.</summary>
    Scalar,

    /// <summary>A list, in YAML a sequence or a comma-separated value.</summary>
    List,

    /// <summary>Named values, in YAML a mapping whose entries become <c>KEY.NAME</c> settings.</summary>
    Map,
}
