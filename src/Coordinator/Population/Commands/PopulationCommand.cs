namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// Something the machine asks one worker to do for one member. The coordinator service sends it
/// on that worker's session (coordinator.proto <c>CoordinatorCommand</c>).
/// </summary>
public abstract record PopulationCommand(string MemberId, string WorkerId);
