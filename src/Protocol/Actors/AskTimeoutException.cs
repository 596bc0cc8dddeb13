namespace HyperSwarm.Protocol.Actors;

/// <summary>An ask got no reply in time.</summary>
public sealed class AskTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for an ask to <paramref name="path"/>.</summary>
    public AskTimeoutException(string path, TimeSpan timeout)
        : base($"No reply from {path} within {timeout.TotalMilliseconds:0} ms.")
    {
    }
}
