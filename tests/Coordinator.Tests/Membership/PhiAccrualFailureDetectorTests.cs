using HyperSwarm.Coordinator.Membership;

namespace HyperSwarm.Coordinator.Tests.Membership;

public sealed class PhiAccrualFailureDetectorTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly PhiAccrualOptions Defaults = new();

    [Fact]
    public void Phi_is_zero_before_the_first_heartbeat()
    {
        var detector = new PhiAccrualFailureDetector(Defaults, Interval);

        Assert.Equal(0, detector.Phi(TimeSpan.FromHours(1)));
        Assert.True(detector.IsAvailable(TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Regular_heartbeats_keep_phi_low()
    {
        var detector = new PhiAccrualFailureDetector(Defaults, Interval);
        TimeSpan t = TimeSpan.Zero;

        for (int i = 0; i < 100; i++)
        {
            detector.Heartbeat(t);
            t += Interval;
            // Just as the next heartbeat is due, suspicion is negligible.
            Assert.True(detector.Phi(t) < 0.01, $"φ = {detector.Phi(t)} at heartbeat {i}");
        }

        Assert.Equal(1000, detector.MeanIntervalMs, precision: 6);
    }

    [Fact]
    public void A_pause_raises_phi_monotonically_past_the_threshold()
    {
        PhiAccrualFailureDetector detector = Regular(count: 50);
        TimeSpan last = detector.LastArrival!.Value;

        double previous = 0;
        TimeSpan? crossed = null;
        for (int ms = 0; ms <= 15_000; ms += 50)
        {
            double phi = detector.Phi(last + TimeSpan.FromMilliseconds(ms));
            Assert.True(phi >= previous, $"φ fell from {previous} to {phi} at {ms} ms");
            if (previous > 1e-6)
            {
                Assert.True(phi > previous, $"φ stalled at {phi} at {ms} ms");
            }

            if (crossed is null && phi >= Defaults.Threshold)
            {
                crossed = TimeSpan.FromMilliseconds(ms);
            }

            previous = phi;
        }

        // mean 1 s + acceptable pause 3 s + ≈5.2 σ (σ at its 100 ms floor) for φ = 8.
        Assert.NotNull(crossed);
        Assert.InRange(crossed.Value.TotalMilliseconds, 4_450, 4_600);
        Assert.True(detector.Phi(last + TimeSpan.FromMinutes(10)) < double.PositiveInfinity);
    }

    [Fact]
    public void Jittery_heartbeats_are_tolerated_but_silence_is_still_detected()
    {
        var random = new Random(7);
        var detector = new PhiAccrualFailureDetector(Defaults, Interval);
        TimeSpan t = TimeSpan.Zero;
        detector.Heartbeat(t);

        for (int i = 0; i < 200; i++)
        {
            // Intervals anywhere in [0.5 s, 1.5 s], and now and then a 2.5 s stall.
            double gapMs = i % 37 == 36 ? 2_500 : 500 + (random.NextDouble() * 1_000);
            t += TimeSpan.FromMilliseconds(gapMs);
            Assert.True(detector.IsAvailable(t), $"false suspicion (φ = {detector.Phi(t)}) after a {gapMs:F0} ms gap");
            detector.Heartbeat(t);
        }

        Assert.True(detector.StandardDeviationMs > Defaults.MinStandardDeviation.TotalMilliseconds);
        Assert.False(detector.IsAvailable(t + TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_jittery_history_suspects_a_given_gap_less_than_a_regular_one()
    {
        PhiAccrualFailureDetector regular = Regular(count: 100);
        var jittery = new PhiAccrualFailureDetector(Defaults, Interval);
        var random = new Random(11);
        TimeSpan t = TimeSpan.Zero;
        for (int i = 0; i < 100; i++)
        {
            jittery.Heartbeat(t);
            t += TimeSpan.FromMilliseconds(600 + (random.NextDouble() * 800));
        }

        jittery.Heartbeat(t);
        TimeSpan gap = TimeSpan.FromMilliseconds(4_500);

        Assert.True(jittery.Phi(t + gap) < regular.Phi(regular.LastArrival!.Value + gap));
    }

    [Fact]
    public void The_first_heartbeat_bootstraps_from_the_expected_interval()
    {
        var detector = new PhiAccrualFailureDetector(Defaults, TimeSpan.FromSeconds(2));

        detector.Heartbeat(TimeSpan.FromSeconds(100));

        Assert.Equal(2_000, detector.MeanIntervalMs, precision: 6);
        Assert.True(detector.Phi(TimeSpan.FromSeconds(102)) < 0.01);
        Assert.False(detector.IsAvailable(TimeSpan.FromSeconds(110)));
    }

    [Fact]
    public void Perfectly_regular_heartbeats_use_the_minimum_standard_deviation()
    {
        PhiAccrualFailureDetector detector = Regular(count: 20);

        Assert.Equal(100, detector.StandardDeviationMs, precision: 6);
        double justLate = detector.Phi(detector.LastArrival!.Value + TimeSpan.FromMilliseconds(4_001));
        Assert.True(double.IsFinite(justLate) && justLate < 1);
    }

    [Fact]
    public void The_window_forgets_old_intervals()
    {
        var detector = new PhiAccrualFailureDetector(Defaults with { WindowSize = 10 }, Interval);
        TimeSpan t = TimeSpan.Zero;
        detector.Heartbeat(t);
        for (int i = 0; i < 30; i++)
        {
            t += Interval;
            detector.Heartbeat(t);
        }

        for (int i = 0; i < 10; i++)
        {
            t += TimeSpan.FromSeconds(5);
            detector.Heartbeat(t);
        }

        Assert.Equal(5_000, detector.MeanIntervalMs, precision: 6);
        Assert.True(detector.IsAvailable(t + TimeSpan.FromSeconds(7)));
    }

    [Fact]
    public void A_repeated_or_out_of_order_heartbeat_teaches_nothing()
    {
        PhiAccrualFailureDetector detector = Regular(count: 10);
        TimeSpan last = detector.LastArrival!.Value;

        detector.Heartbeat(last);
        detector.Heartbeat(last - TimeSpan.FromMilliseconds(300));

        Assert.Equal(1_000, detector.MeanIntervalMs, precision: 6);
        Assert.Equal(last, detector.LastArrival);
    }

    [Theory]
    [InlineData(0, 200, 100, 0)]
    [InlineData(double.PositiveInfinity, 200, 100, 0)]
    [InlineData(8, 0, 100, 0)]
    [InlineData(8, 200, 0, 0)]
    [InlineData(8, 200, 100, -1)]
    public void Invalid_options_are_rejected(double threshold, int window, int minStdDevMs, int pauseMs)
    {
        var options = new PhiAccrualOptions
        {
            Threshold = threshold,
            WindowSize = window,
            MinStandardDeviation = TimeSpan.FromMilliseconds(minStdDevMs),
            AcceptablePause = TimeSpan.FromMilliseconds(pauseMs),
        };

        Assert.Throws<ArgumentOutOfRangeException>(() => new PhiAccrualFailureDetector(options, Interval));
    }

    private static PhiAccrualFailureDetector Regular(int count)
    {
        var detector = new PhiAccrualFailureDetector(Defaults, Interval);
        for (int i = 0; i < count; i++)
        {
            detector.Heartbeat(Interval * i);
        }

        return detector;
    }
}
