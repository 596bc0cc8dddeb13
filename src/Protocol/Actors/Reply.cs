namespace HyperSwarm.Protocol.Actors;

/// <summary>Where an actor sends the answer to an ask; carried inside the request message.</summary>
public sealed class Reply<T>
{
    private readonly TaskCompletionSource<T> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal Task<T> Task => _answer.Task;

    /// <summary>Answers the asker; later answers are ignored.</summary>
    public void Send(T value) => _answer.TrySetResult(value);

    /// <summary>Fails the ask with <paramref name="error"/>.</summary>
    public void Fail(Exception error) => _answer.TrySetException(error);
}
