using HyperSwarm.Protocol.Resilience;

namespace HyperSwarm.Protocol.Tests.Resilience;

public sealed class ReconnectBackoffTests
{
    private static readonly ReconnectOptions Options = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(250),
        MaxDelay = TimeSpan.FromSeconds(10),
        Multiplier = 3,
        Jitter = 0.25,
    };

    [Fact]
    public void The_ceiling_grows_geometrically_up_to_the_cap()
    {
        var backoff = new ReconnectBackoff(Options);

        Assert.Equal([250, 750, 2250, 6750, 10000, 10000], Enumerable.Range(0, 6).Select(n => backoff.Ceiling(n).TotalMilliseconds));
    }

    [Fact]
    public void Retrying_forever_never_overflows_past_the_cap()
    {
        var backoff = new ReconnectBackoff(Options);

        Assert.Equal(Options.MaxDelay, backoff.Ceiling(int.MaxValue));
    }

    [Fact]
    public void The_draw_spans_the_jitter_band()
    {
        var backoff = new ReconnectBackoff(Options);

        Assert.Equal(TimeSpan.FromMilliseconds(750), backoff.Delay(1, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(750 * 0.875), backoff.Delay(1, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => backoff.Delay(1, 1));
    }

    [Fact]
    public void Invalid_settings_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(Options with { InitialDelay = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(Options with { MaxDelay = TimeSpan.FromMilliseconds(1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(Options with { Multiplier = 0.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(Options with { Jitter = 1.5 }));
    }
}
