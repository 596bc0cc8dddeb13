using HyperSwarm.Protocol.Actors;

namespace HyperSwarm.Protocol.Tests.Actors;

public sealed class SupervisionStrategyTests
{
    [Fact]
    public void Backoff_doubles_from_the_minimum_and_stops_at_the_maximum()
    {
        var strategy = new SupervisionStrategy { MinBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50) };

        Assert.Equal(
            [10, 20, 40, 50, 50],
            Enumerable.Range(1, 5).Select(n => strategy.Backoff(n).TotalMilliseconds));
        Assert.Equal(TimeSpan.FromMilliseconds(50), strategy.Backoff(1000));
    }

    [Fact]
    public void Default_restarts_every_failure()
    {
        Assert.Equal(SupervisionDirective.Restart, SupervisionStrategy.Default.Decider(new InvalidOperationException()));
        Assert.Equal(3, SupervisionStrategy.Default.MaxFailures);
    }
}
