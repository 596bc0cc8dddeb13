namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>
/// The dashboard's one page (<c>dashboard.html</c>, embedded): inline CSS and script, curves
/// drawn as inline SVG, nothing fetched but this server's own <c>api/</c>, so it works with no
/// network (its Content-Security-Policy says so to the browser too).
/// </summary>
internal static class DashboardPage
{
    /// <summary>Allows inline script and style and connections back to this origin only.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:";

    private static readonly Lazy<byte[]> Html = new(() =>
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream("HyperSwarm.Coordinator.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("dashboard.html is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>The page, UTF-8.</summary>
    public static ReadOnlyMemory<byte> Bytes => Html.Value;
}
