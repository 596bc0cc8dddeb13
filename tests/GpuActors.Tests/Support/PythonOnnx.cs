using System.Diagnostics;

namespace HyperSwarm.GpuActors.Tests.Support;

/// <summary>Debian's python3-onnx, run on an exported file: the checker with full shape inference, or any script.</summary>
internal static class PythonOnnx
{
    /// <summary>Checks the file and prints the output's dims, the opset and the IR version.</summary>
    public const string CheckScript = """
        import onnx, sys
        m = onnx.load(sys.argv[1])
        onnx.checker.check_model(m, full_check=True)
        inferred = onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
        out = inferred.graph.output[0].type.tensor_type.shape.dim
        print(",".join(d.dim_param or str(d.dim_value) for d in out), m.opset_import[0].version, m.ir_version)
        """;

    /// <summary>Runs <paramref name="script"/> with <paramref name="argument"/> as sys.argv[1].</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string script, string argument)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
