namespace HyperSwarm.Bench;

/// <summary>
/// glibc settings equal to what libhstorch applies in-process (hs_keep_freed_host_memory), for
/// running a Python peer "with the same allocator": separates what the binding costs from what
/// the allocator setting gains.
/// </summary>
public static class PeerAllocator
{
    /// <summary>Environment for a peer process that keeps freed memory like HyperSwarm does.</summary>
    public static IReadOnlyDictionary<string, string> SameAsHyperSwarm { get; } = new Dictionary<string, string>
    {
        ["MALLOC_MMAP_MAX_"] = "0",
        ["MALLOC_TRIM_THRESHOLD_"] = "1073741824",
        ["MALLOC_TOP_PAD_"] = "67108864",
    };
}
