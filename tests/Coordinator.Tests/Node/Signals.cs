namespace HyperSwarm.Coordinator.Tests.Node;

/// <summary>
/// Items that arrive on another thread, and waits for the first one that matches. Waits are
/// bounded (a missing item fails the test with what did arrive, never hangs it).
/// </summary>
internal sealed class Signals<T>(Func<T, string> describe)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly object _gate = new();
    private readonly List<T> _items = [];
    private readonly List<(Func<T, bool> Match, TaskCompletionSource<T> Found)> _waiters = [];

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_gate) return [.. _items];
        }
    }

    public void Add(T item)
    {
        List<TaskCompletionSource<T>> found = [];
        lock (_gate)
        {
            _items.Add(item);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(item)) continue;
                found.Add(_waiters[i].Found);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var f in found) f.TrySetResult(item);
    }

    public async Task<T> WaitForAsync(Func<T, bool> match, string what)
    {
        TaskCompletionSource<T> found = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var existing = _items.FirstOrDefault(match);
            if (existing is not null) return existing;
            _waiters.Add((match, found));
        }
        try
        {
            return await found.Task.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"gave up waiting for {what}; got: {string.Join(" | ", Items.Select(describe))}");
        }
    }
}
