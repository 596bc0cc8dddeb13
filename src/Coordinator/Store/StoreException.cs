namespace HyperSwarm.Coordinator.Store;

/// <summary>
/// The one error type the store raises: a bad store URI, an unreadable or corrupt database, an
/// unreachable server, or a request the stored state refuses. The message is one sentence
/// that names the file or server, fit to print as is.
/// </summary>
public class StoreException : Exception
{
    /// <summary>Creates the error with its one-sentence message.</summary>
    public StoreException(string message) : base(message) { }

    /// <summary>Creates the error with its one-sentence message and the driver's error beneath.</summary>
    public StoreException(string message, Exception innerException) : base(message, innerException) { }
}
