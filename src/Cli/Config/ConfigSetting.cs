namespace HyperSwarm.Cli.Config;

/// <summary>
/// One assignment read from a source, before it is checked: every source (file, environment,
/// flags) is reduced to these, so one code path applies them all and reports errors alike.
/// </summary>
/// <param name="Name">The dotted snake_case name as written, e.g. <c>data.batch_size</c>.</param>
/// <param name="Text">The value's text; null is YAML's null.</param>
/// <param name="Source">Where it was written.</param>
internal sealed record ConfigSetting(string Name, string? Text, ConfigSource Source);
