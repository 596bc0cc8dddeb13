namespace HyperSwarm.Torch;

/// <summary>
/// An error raised by libtorch (or by the shim's own argument checks), carrying libtorch's
/// message and the native function that failed. The process keeps working after it.
/// </summary>
public sealed class TorchException : Exception
{
    /// <summary>Creates an exception for <paramref name="function"/>.</summary>
    public TorchException(string function, string message, bool unsupported = false)
        : base(message.StartsWith(function, StringComparison.Ordinal) ? message : $"{function}: {message}")
    {
        Function = function;
        Unsupported = unsupported;
    }

    /// <summary>The native entry point (e.g. <c>hs_conv2d</c>) or binding step that failed.</summary>
    public string Function { get; }

    /// <summary>True when the feature is not compiled in (CUDA calls without HS_WITH_CUDA).</summary>
    public bool Unsupported { get; }
}
