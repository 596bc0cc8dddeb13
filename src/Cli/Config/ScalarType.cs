namespace HyperSwarm.Cli.Config;

/// <summary>
/// One kind of setting value (integer, number, duration, ...) and its text form, the same in a
/// YAML file, an environment variable and a <c>--set</c> flag.
/// </summary>
/// <param name="Parse">
/// Reads a value; null text is YAML's null. Throws <see cref="FormatException"/> whose message
/// continues the setting's name ("must be an integer, got 'abc'") so every source reports alike.
/// </param>
/// <param name="Format">Writes a value; null stands for YAML's null.</param>
internal sealed record ScalarType<T>(Func<string?, T> Parse, Func<T, string?> Format);
