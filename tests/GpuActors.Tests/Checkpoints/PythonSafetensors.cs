using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

/// <summary>Runs read_safetensors.py (Debian's python3 + torch) and computes the same per-tensor summary in C#.</summary>
internal static class PythonSafetensors
{
    private static string Script => Path.Combine(AppContext.BaseDirectory, "Checkpoints", "read_safetensors.py");

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string verb, string path)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(verb);
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    public static async Task<JsonElement> SummaryAsync(string verb, string path)
    {
        var (code, stdout, stderr) = await RunAsync(verb, path);
        Assert.True(code == 0, $"read_safetensors.py {verb} failed: {stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    /// <summary>Asserts that Python's summary of one tensor matches ours: dtype, shape, exact bytes, and value sum.</summary>
    public static void AssertSame(string name, HostTensor tensor, JsonElement python)
    {
        Assert.Equal(SafetensorsDTypes.Name(tensor.DType), python.GetProperty("dtype").GetString());
        Assert.Equal(tensor.Shape, python.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(tensor.Data)), python.GetProperty("sha256").GetString());
        var sum = Sum(tensor);
        var theirs = python.GetProperty("sum").GetDouble();
        Assert.True(Math.Abs(sum - theirs) <= 1e-12 * Math.Max(1, Math.Abs(sum)), $"{name}: sum {sum} here, {theirs} in Python");
    }

    private static double Sum(HostTensor t) => t.DType switch
    {
        DType.Float32 => t.AsSpan<float>().ToArray().Sum(v => (double)v),
        DType.Float64 => t.AsSpan<double>().ToArray().Sum(),
        DType.Int64 => t.AsSpan<long>().ToArray().Sum(v => (double)v),
        DType.UInt8 => t.AsSpan<byte>().ToArray().Sum(v => (double)v),
        DType.Bool => t.AsSpan<bool>().ToArray().Count(v => v),
        DType.Int32 => t.AsSpan<int>().ToArray().Sum(v => (double)v),
        DType.Float16 => t.AsSpan<Half>().ToArray().Sum(v => (double)v),
        DType.BFloat16 => MemoryMarshal.Cast<byte, ushort>(t.Data).ToArray().Sum(h => (double)BitConverter.UInt32BitsToSingle((uint)h << 16)),
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };
}
