using HyperSwarm.Cli.Config;

namespace HyperSwarm.Cli.Tests.Config;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("15m", 15 * 60)]
    [InlineData("90s", 90)]
    [InlineData("1h30m", 90 * 60)]
    [InlineData("2h", 2 * 3600)]
    [InlineData("1.5h", 90 * 60)]
    [InlineData("1h 30m 15s", 3600 + 30 * 60 + 15)]
    [InlineData(" 15M ", 15 * 60)]
    [InlineData("0s", 0)]
    [InlineData("-5m", -5 * 60)]
    public void Parses_numbers_with_units(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse(text));

    [Fact]
    public void Parses_milliseconds_apart_from_minutes()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), DurationText.Parse("500ms"));
        Assert.Equal(TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(5), DurationText.Parse("1m5ms"));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    public void No_limit_is_null(string text) => Assert.Null(DurationText.Parse(text));

    [Fact]
    public void A_bare_number_is_refused_with_the_units_to_choose_from()
    {
        var e = Assert.Throws<FormatException>(() => DurationText.Parse("45"));
        Assert.Equal("'45' has no unit, write for example 45s or 45m", e.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("15x")]
    [InlineData("1h30")]
    [InlineData("30m1h")]
    [InlineData("1h1h")]
    [InlineData("h")]
    [InlineData("-")]
    [InlineData("1.5.5h")]
    [InlineData("1,5h")]
    public void Other_text_is_refused_naming_it(string text)
    {
        var e = Assert.Throws<FormatException>(() => DurationText.Parse(text));
        Assert.Contains($"'{text}' is not a duration", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99999999999999999999h")]
    [InlineData("300000000h")]
    public void Durations_beyond_TimeSpan_are_refused(string text)
    {
        var e = Assert.Throws<FormatException>(() => DurationText.Parse(text));
        Assert.Contains("longer than any run", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(15 * 60, "15m")]
    [InlineData(90 * 60, "1h30m")]
    [InlineData(2 * 3600, "2h")]
    [InlineData(25 * 3600 + 60, "25h1m")]
    [InlineData(90, "90s")]
    [InlineData(3630, "3630s")]
    [InlineData(0, "0s")]
    [InlineData(-15 * 60, "-15m")]
    public void Formats_whole_minutes_in_hours_and_minutes_and_the_rest_in_seconds(int seconds, string text) =>
        Assert.Equal(text, DurationText.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Formats_fractions_of_a_second_as_decimal_seconds()
    {
        Assert.Equal("0.5s", DurationText.Format(TimeSpan.FromMilliseconds(500)));
        Assert.Equal("0.0000001s", DurationText.Format(TimeSpan.FromTicks(1)));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(TimeSpan.TicksPerSecond * 90)]
    [InlineData(TimeSpan.TicksPerHour + 7)]
    [InlineData(TimeSpan.TicksPerDay * 3 + TimeSpan.TicksPerMinute * 5)]
    [InlineData(long.MaxValue)]
    [InlineData(-TimeSpan.TicksPerMinute)]
    public void Format_reads_back_exactly(long ticks)
    {
        var value = TimeSpan.FromTicks(ticks);
        Assert.Equal(value, DurationText.Parse(DurationText.Format(value)));
    }
}
