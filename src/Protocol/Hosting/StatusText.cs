using Grpc.Core;

namespace HyperSwarm.Protocol.Hosting;

/// <summary>
/// A call's status as people read it in logs and errors: <c>Unavailable: the coordinator is
/// stopping</c>. <see cref="Status.ToString"/> carries the client's debug exception and its
/// stack, which is for <c>--verbose</c>, not for a one-sentence error.
/// </summary>
public static class StatusText
{
    /// <summary>The code, then the detail when there is one.</summary>
    public static string Describe(this Status status) =>
        string.IsNullOrEmpty(status.Detail) ? status.StatusCode.ToString() : $"{status.StatusCode}: {status.Detail}";
}
