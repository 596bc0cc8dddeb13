using System.Reflection;
using System.Runtime.InteropServices;

namespace HyperSwarm.Torch.Interop;

/// <summary>
/// The P/Invoke surface of libhstorch (src/Torch/native/hs_torch.h), split by area across
/// Native.*.cs. Every entry point returns a status that <see cref="Check"/> turns into a
/// <see cref="TorchException"/> on the calling thread, straight after the call.
/// </summary>
internal static unsafe partial class Native
{
    internal const string Lib = "hstorch";

    private const string LibFile = "libhstorch.so";

    static Native()
    {
        NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);

        // Before the first tensor: keep freed host memory mapped (see hs_torch.h). Training
        // re-allocates the same large activations every step; glibc's defaults unmap and
        // fault them back in, up to 3x slower on CPU. HS_GLIBC_MALLOC_DEFAULTS=1 opts out.
        if (Environment.GetEnvironmentVariable("HS_GLIBC_MALLOC_DEFAULTS") != "1")
        {
            Check(hs_keep_freed_host_memory(HostTrimThreshold, out var applied), "hs_keep_freed_host_memory");
            HostAllocatorTuned = applied != 0;
        }
    }

    /// <summary>Free heap kept before glibc returns memory to the kernel: 1 GiB.</summary>
    internal const long HostTrimThreshold = 1L << 30;

    /// <summary>True when glibc was told to keep freed memory (see hs_keep_freed_host_memory).</summary>
    internal static bool HostAllocatorTuned { get; }

    /// <summary>
    /// Throws when <paramref name="rc"/> is not HS_OK. Must run on the thread that made the
    /// call, with no await in between: the error text lives in a thread-local slot.
    /// </summary>
    internal static void Check(int rc, string function)
    {
        if (rc != 0)
        {
            Throw(rc, function);
        }
    }

    private static void Throw(int rc, string function)
    {
        Span<byte> small = stackalloc byte[512];
        long length;
        fixed (byte* p = small)
        {
            hs_last_error(p, small.Length, &length);
        }

        string message;
        if (length < small.Length)
        {
            message = System.Text.Encoding.UTF8.GetString(small[..(int)length]);
        }
        else
        {
            var large = new byte[length + 1];
            fixed (byte* p = large)
            {
                hs_last_error(p, large.Length, &length);
            }

            message = System.Text.Encoding.UTF8.GetString(large, 0, (int)length);
        }

        throw new TorchException(function, message, unsupported: rc == 2);
    }

    // HS_TORCH_LIB (a full path) wins; then the application directory, where the build
    // copies the shim; then this assembly's directory; then the loader's default search.
    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Lib)
        {
            return 0;
        }

        var tried = new List<string>();
        var fromEnv = Environment.GetEnvironmentVariable("HS_TORCH_LIB");
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(fromEnv))
        {
            candidates.Add(fromEnv);
        }

        candidates.Add(Path.Combine(AppContext.BaseDirectory, LibFile));
        var assemblyDir = Path.GetDirectoryName(assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDir))
        {
            candidates.Add(Path.Combine(assemblyDir, LibFile));
        }

        foreach (var path in candidates.Distinct())
        {
            if (!File.Exists(path))
            {
                tried.Add($"{path} (missing)");
                continue;
            }

            // Load (not TryLoad) for an existing file: a missing libtorch dependency must
            // surface with the loader's own message.
            try
            {
                return NativeLibrary.Load(path);
            }
            catch (DllNotFoundException e)
            {
                throw new TorchException("load", $"{path} exists but could not be loaded: {e.Message}");
            }
        }

        if (NativeLibrary.TryLoad(LibFile, assembly, searchPath, out var handle))
        {
            return handle;
        }

        throw new TorchException(
            "load",
            $"{LibFile} was not found (tried {string.Join(", ", tried)}). Build it with `dotnet build` " +
            "(needs libtorch-dev and cmake) or point HS_TORCH_LIB at it.");
    }
}
