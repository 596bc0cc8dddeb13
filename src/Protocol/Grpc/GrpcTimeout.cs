using System.Globalization;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// The <c>grpc-timeout</c> header: at most 8 ASCII digits and one unit letter
/// (GRPC.md §1.1). Junk parses as "no deadline"; it never throws.
/// </summary>
public static class GrpcTimeout
{
    /// <summary>The largest value the 8-digit field can carry.</summary>
    public const long MaxValue = 99_999_999;

    // Units from the finest to the coarsest, so Format picks the finest that fits
    // in 8 digits and loses the least precision. Nanoseconds (100 per tick) are finer
    // than a tick and handled on their own.
    private static readonly (char Unit, long Ticks)[] Units =
    [
        ('u', TimeSpan.TicksPerMicrosecond),
        ('m', TimeSpan.TicksPerMillisecond),
        ('S', TimeSpan.TicksPerSecond),
        ('M', TimeSpan.TicksPerMinute),
        ('H', TimeSpan.TicksPerHour),
    ];

    /// <summary>Parses a header value; false (no deadline) for anything malformed.</summary>
    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        ReadOnlySpan<char> digits = value.AsSpan(0, value.Length - 1);
        foreach (char c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        long amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * TimeSpan.TicksPerMicrosecond,
            'n' => (amount + 99) / 100,
            _ => null,
        };
        if (ticks is null)
        {
            return false;
        }

        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }

    /// <summary>
    /// Formats a timeout, rounding up and picking the smallest unit that fits in
    /// 8 digits, as grpc-dotnet does. A timeout at or below zero becomes <c>1n</c>.
    /// </summary>
    public static string Format(TimeSpan timeout)
    {
        long ticks = Math.Max(timeout.Ticks, 0);
        if (ticks == 0)
        {
            return "1n";
        }

        if (ticks <= MaxValue / 100)
        {
            return Text(ticks * 100, 'n');
        }

        foreach ((char unit, long unitTicks) in Units)
        {
            long amount = (ticks + unitTicks - 1) / unitTicks;
            if (amount <= MaxValue)
            {
                return Text(amount, unit);
            }
        }

        return Text(MaxValue, 'H');
    }

    private static string Text(long amount, char unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{amount}{unit}");
}
