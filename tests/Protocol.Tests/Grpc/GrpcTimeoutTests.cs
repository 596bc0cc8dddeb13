using HyperSwarm.Protocol.Grpc;

namespace HyperSwarm.Protocol.Tests.Grpc;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("2H", 2 * TimeSpan.TicksPerHour)]
    [InlineData("3M", 3 * TimeSpan.TicksPerMinute)]
    [InlineData("4S", 4 * TimeSpan.TicksPerSecond)]
    [InlineData("200m", 200 * TimeSpan.TicksPerMillisecond)]
    [InlineData("1500u", 15_000)]
    [InlineData("1000n", 10)]
    [InlineData("99999999S", 99_999_999 * TimeSpan.TicksPerSecond)]
    [InlineData("0m", 0)]
    public void Every_unit_parses(string text, long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(text, out TimeSpan timeout));
        Assert.Equal(ticks, timeout.Ticks);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("5")]
    [InlineData("123456789S")]
    [InlineData("1x")]
    [InlineData("-1S")]
    [InlineData("1.5S")]
    [InlineData(" 1S")]
    [InlineData("１S")]
    public void Junk_means_no_deadline(string? text)
    {
        Assert.False(GrpcTimeout.TryParse(text, out _));
    }

    [Theory]
    [InlineData(50, "50000000n")]
    [InlineData(5000, "5000000u")]
    [InlineData(600_000, "600000m")]
    [InlineData(200_000_000, "200000S")]
    public void Format_picks_the_finest_unit_that_fits_in_eight_digits(long milliseconds, string expected)
    {
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void Format_rounds_up_and_never_says_zero()
    {
        Assert.Equal("1n", GrpcTimeout.Format(TimeSpan.Zero));
        Assert.Equal("1n", GrpcTimeout.Format(TimeSpan.FromSeconds(-3)));
        Assert.Equal("100000S", GrpcTimeout.Format(TimeSpan.FromSeconds(99_999.9999)));
    }

    [Fact]
    public void Format_then_parse_never_shortens_the_timeout()
    {
        var random = new Random(4);
        for (int i = 0; i < 10_000; i++)
        {
            var timeout = TimeSpan.FromTicks(random.NextInt64(1, TimeSpan.TicksPerDay * 365));

            Assert.True(GrpcTimeout.TryParse(GrpcTimeout.Format(timeout), out TimeSpan parsed));
            Assert.True(parsed >= timeout, $"{timeout} became {parsed}");
        }
    }
}
