namespace HyperSwarm.Bench.Compression;

/// <summary>One measured export: its test accuracy (0–1), non-zero parameters, file bytes and ONNX Runtime latency per image (batch 1, one thread).</summary>
public sealed record CompressResult(string Model, string Arm, CompressVariant Variant, double Accuracy, long Parameters, long Bytes, double LatencyMicroseconds, long FineTuneSteps);
