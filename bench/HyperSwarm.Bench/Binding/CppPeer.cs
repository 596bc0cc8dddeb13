using System.Globalization;
using System.Text.Json;

namespace HyperSwarm.Bench.Binding;

/// <summary>
/// The C++ op-overhead peer (bench/peers/cpp): built once with CMake against the same
/// libtorch into a cache directory, then run.
/// </summary>
internal static class CppPeer
{
    public static async Task<JsonElement> RunAsync(int threads, int iters, CancellationToken cancellationToken)
    {
        var source = PeerProcess.PeerPath("cpp");
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var build = Path.Combine(cache, "hyperswarm", "bench-peers", "cpp");
        if (!File.Exists(Path.Combine(build, "CMakeCache.txt")))
        {
            await PeerProcess.RunCheckedAsync("cmake", ["-S", source, "-B", build, "-DCMAKE_BUILD_TYPE=Release"], cancellationToken).ConfigureAwait(false);
        }

        await PeerProcess.RunCheckedAsync("cmake", ["--build", build, "--parallel", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        return await PeerProcess.RunJsonAsync(Path.Combine(build, "op_overhead"),
            ["--threads", threads.ToString(CultureInfo.InvariantCulture), "--iters", iters.ToString(CultureInfo.InvariantCulture)],
            cancellationToken).ConfigureAwait(false);
    }
}
