namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// The worker could not carry out decision <paramref name="Decision"/> (an exchange or exploit) for
/// <paramref name="MemberId"/> under <paramref name="Epoch"/>; the member trains on as it was.
/// </summary>
public sealed record ChangeFailed(DateTimeOffset Now, string WorkerId, string MemberId, long Epoch, long Decision, string Reason) : PopulationInput(Now);
