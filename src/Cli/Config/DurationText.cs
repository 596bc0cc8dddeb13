using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HyperSwarm.Cli.Config;

/// <summary>
/// Human durations as people write them in config files and flags: <c>15m</c>, <c>90s</c>,
/// <c>1h30m</c>, <c>2h</c>, <c>1.5h</c>, <c>500ms</c>; <c>none</c> or <c>null</c> for no limit.
/// </summary>
internal static partial class DurationText
{
    private static readonly (string Unit, long Ticks)[] Units =
    [
        ("h", TimeSpan.TicksPerHour),
        ("m", TimeSpan.TicksPerMinute),
        ("s", TimeSpan.TicksPerSecond),
        ("ms", TimeSpan.TicksPerMillisecond),
    ];

    /// <summary>
    /// Reads <paramref name="text"/>: numbers with units, largest unit first, each unit at most
    /// once; <c>none</c>, <c>null</c> or an empty text gives null.
    /// </summary>
    /// <exception cref="FormatException">The text is not a duration; the message says why in one clause.</exception>
    public static TimeSpan? Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || IsNoLimit(trimmed)) return null;

        // A bare number is rejected rather than guessed: "45" could mean seconds or minutes,
        // and a budget off by a factor of 60 wastes a run.
        if (decimal.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException($"'{trimmed}' has no unit, write for example {trimmed}s or {trimmed}m");
        }

        var match = DurationPattern().Match(trimmed);
        if (!match.Success) throw new FormatException($"'{trimmed}' is not a duration such as 15m, 90s, 1h30m or none");

        var negative = match.Groups["sign"].Success;
        decimal ticks = 0;
        foreach (var (unit, unitTicks) in Units)
        {
            var group = match.Groups[unit];
            if (!group.Success) continue;
            if (!decimal.TryParse(group.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                || amount > (decimal)TimeSpan.MaxValue.Ticks / unitTicks)
            {
                throw new FormatException($"'{trimmed}' is longer than any run can last");
            }

            ticks += amount * unitTicks;
        }

        ticks = decimal.Round(ticks);
        if (ticks > TimeSpan.MaxValue.Ticks) throw new FormatException($"'{trimmed}' is longer than any run can last");
        var span = TimeSpan.FromTicks((long)ticks);
        return negative ? span.Negate() : span;
    }

    /// <summary>
    /// Writes <paramref name="value"/> so that <see cref="Parse"/> reads it back exactly: whole
    /// minutes in hours and minutes (<c>15m</c>, <c>1h30m</c>, <c>2h</c>), anything finer in
    /// seconds (<c>90s</c>, <c>0.5s</c>) so no text mixes three units.
    /// </summary>
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero) return "-" + Format(value == TimeSpan.MinValue ? TimeSpan.MaxValue : value.Negate());
        if (value == TimeSpan.Zero) return "0s";

        if (value.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            var seconds = (decimal)value.Ticks / TimeSpan.TicksPerSecond;
            return seconds.ToString(CultureInfo.InvariantCulture) + "s";
        }

        var text = new StringBuilder();
        var hours = value.Ticks / TimeSpan.TicksPerHour;
        var minutes = value.Ticks % TimeSpan.TicksPerHour / TimeSpan.TicksPerMinute;
        if (hours > 0) text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        if (minutes > 0) text.Append(CultureInfo.InvariantCulture, $"{minutes}m");
        return text.ToString();
    }

    /// <summary>Whether <paramref name="text"/> spells "no duration" (<c>none</c>, <c>null</c>, <c>~</c>).</summary>
    private static bool IsNoLimit(string text) =>
        text.Equals("none", StringComparison.OrdinalIgnoreCase)
        || text.Equals("null", StringComparison.OrdinalIgnoreCase)
        || text == "~";

    // Each unit at most once, largest first; "m" must not swallow the "m" of "ms".
    [GeneratedRegex(@"^(?<sign>-)?(?=\d)(?:(?<h>\d+(?:\.\d+)?)\s*h\s*)?(?:(?<m>\d+(?:\.\d+)?)\s*m(?!s)\s*)?(?:(?<s>\d+(?:\.\d+)?)\s*s\s*)?(?:(?<ms>\d+(?:\.\d+)?)\s*ms)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
