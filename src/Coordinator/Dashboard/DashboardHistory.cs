namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>
/// The curves behind the dashboard: one point per member each time a sample finds it at another
/// step (the page appends by the same rule as new samples arrive). A page opened mid-run gets
/// them whole. Bounded: past <see cref="MaxPointsPerMember"/> every other point is dropped, so
/// a long run keeps its shape at half the resolution rather than only its tail.
/// </summary>
internal sealed class DashboardHistory(int maxPointsPerMember = 512)
{
    private readonly Dictionary<string, List<DashboardPoint>> _points = new(StringComparer.Ordinal);

    public int MaxPointsPerMember => maxPointsPerMember;

    /// <summary>Adds a point for every member of <paramref name="snapshot"/> whose step moved.</summary>
    public void Record(DashboardSnapshot snapshot, DateTimeOffset at)
    {
        foreach (var member in snapshot.Members)
        {
            if (!_points.TryGetValue(member.Id, out var points)) _points[member.Id] = points = [];
            // Step 0 before any report is no point of a curve.
            if (member.TrainLoss is null && member.ValidationLoss is null) continue;
            if (points.Count > 0 && points[^1].Step == member.Step) continue;
            points.Add(new DashboardPoint(member.Step, at, member.TrainLoss, member.ValidationLoss, member.ValidationAccuracy, member.Hyperparameters));
            if (points.Count > maxPointsPerMember) Halve(points);
        }
    }

    /// <summary>A copy, member by member.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<DashboardPoint>> Copy() =>
        _points.ToDictionary(p => p.Key, p => (IReadOnlyList<DashboardPoint>)[.. p.Value], StringComparer.Ordinal);

    // Keeps the even positions and always the newest point.
    private static void Halve(List<DashboardPoint> points)
    {
        var last = points[^1];
        var kept = points.Where((_, i) => i % 2 == 0).ToList();
        if (kept[^1] != last) kept.Add(last);
        points.Clear();
        points.AddRange(kept);
    }
}
