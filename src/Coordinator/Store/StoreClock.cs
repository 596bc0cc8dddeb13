namespace HyperSwarm.Coordinator.Store;

// The store's timestamps. PostgreSQL keeps microseconds, .NET ticks are 100 ns: truncating
// here makes both stores hand back exactly the instant they were given.
internal static class StoreClock
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static DateTimeOffset Now(TimeProvider time)
    {
        var utc = time.GetUtcNow().UtcTicks;
        return new DateTimeOffset(utc - utc % TicksPerMicrosecond, TimeSpan.Zero);
    }
}
