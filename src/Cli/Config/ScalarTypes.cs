using System.Globalization;

namespace HyperSwarm.Cli.Config;

/// <summary>The value kinds <see cref="TrainConfig"/>'s settings use.</summary>
internal static class ScalarTypes
{
    /// <summary>A whole number in <see cref="int"/> range.</summary>
    public static readonly ScalarType<int> Int = new(
        text => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Mismatch("an integer", text),
        v => v.ToString(CultureInfo.InvariantCulture));

    /// <summary>A whole number in <see cref="long"/> range.</summary>
    public static readonly ScalarType<long> Long = new(
        text => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Mismatch("an integer", text),
        v => v.ToString(CultureInfo.InvariantCulture));

    /// <summary>A finite decimal number (<c>0.15</c>, <c>1e-3</c>).</summary>
    public static readonly ScalarType<double> Number = new(
        // NaN and infinities are refused here because some Validate() checks (x ≥ 0) let NaN through.
        text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : throw Mismatch("a number", text),
        v => v.ToString("R", CultureInfo.InvariantCulture));

    /// <summary><c>true</c> or <c>false</c> (YAML 1.1's <c>yes</c>/<c>no</c>/<c>on</c>/<c>off</c> too).</summary>
    public static readonly ScalarType<bool> Bool = new(
        text => text?.Trim().ToUpperInvariant() switch
        {
            "TRUE" or "YES" or "ON" => true,
            "FALSE" or "NO" or "OFF" => false,
            _ => throw Mismatch("true or false", text),
        },
        v => v ? "true" : "false");

    /// <summary>Any text; only YAML's null is refused.</summary>
    public static readonly ScalarType<string> Text = new(
        text => text ?? throw Mismatch("text", text),
        v => v);

    /// <summary>A wall-clock duration such as <c>15m</c> or <c>1h30m</c>, or none.</summary>
    public static readonly ScalarType<TimeSpan?> Duration = new(
        text =>
        {
            if (text is null) return null;
            try
            {
                return DurationText.Parse(text);
            }
            catch (FormatException e)
            {
                throw new FormatException($"is not a duration: {e.Message}", e);
            }
        },
        v => v is { } span ? DurationText.Format(span) : null);

    /// <summary><paramref name="type"/>, or null written as <c>null</c>, <c>none</c> or nothing at all.</summary>
    public static ScalarType<T?> OrNull<T>(ScalarType<T> type)
        where T : struct =>
        new(
            text => IsNull(text) ? null : type.Parse(text),
            v => v is { } value ? type.Format(value) : null);

    /// <summary>How a setting's value is quoted in an error message.</summary>
    public static string Show(string? text) => text is null ? "null" : $"'{text}'";

    /// <summary>
    /// The texts that mean "no value" in an environment variable or a flag, where there is no
    /// YAML null; the same words YAML uses, plus <c>none</c>, which reads better for limits.
    /// </summary>
    private static bool IsNull(string? text) =>
        text is null
        || text.Trim() is "" or "~" or "null" or "Null" or "NULL" or "none" or "None" or "NONE";

    private static FormatException Mismatch(string expected, string? text) => new($"must be {expected}, got {Show(text)}");
}
