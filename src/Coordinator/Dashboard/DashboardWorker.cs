namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>
/// One worker's health on the dashboard: its state, slots and members, and when one of its
/// members last reported (a worker that is up but silent shows here first).
/// </summary>
public sealed record DashboardWorker(string Id, string State, string? Address, IReadOnlyList<string> Devices, int Members, DateTimeOffset? LastReport);
