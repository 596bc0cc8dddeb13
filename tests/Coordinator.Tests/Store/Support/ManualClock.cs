namespace HyperSwarm.Coordinator.Tests.Store.Support;

/// <summary>A clock that moves only when told, starting off a microsecond boundary on purpose.</summary>
public sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = new DateTimeOffset(2025, 3, 14, 15, 9, 26, TimeSpan.Zero).AddTicks(5_358_979);

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;

    /// <summary>What the store records for <see cref="Now"/>: the same instant cut to microseconds.</summary>
    public DateTimeOffset NowInMicroseconds => Now.AddTicks(-(Now.UtcTicks % 10));
}
