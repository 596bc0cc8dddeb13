using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

/// <summary>Test data: small host tensors of every dtype and a checkpoint built from them.</summary>
internal static class Samples
{
    public static IReadOnlyList<(string Name, HostTensor Tensor)> EveryDType() =>
    [
        ("f32", HostTensor.FromArray<float>([1.5f, -2f, 3.25f, 0f, 1e-3f, 7f], 2, 3)),
        ("f64", HostTensor.FromArray<double>([Math.PI, -1], 2)),
        ("i64", HostTensor.FromArray<long>([long.MaxValue, -5, 0], 3)),
        ("u8", HostTensor.FromArray<byte>([0, 1, 255, 7], 2, 2)),
        ("bool", HostTensor.FromArray<bool>([true, false, true], 3)),
        ("i32", HostTensor.FromArray<int>([int.MinValue, 42], 1, 2)),
        ("f16", HostTensor.FromArray<Half>([(Half)0.5, (Half)(-3)], 2)),
        ("bf16", new HostTensor(DType.BFloat16, [3], [0x80, 0x3F, 0x00, 0xC0, 0x49, 0x40])), // 1.0, -2.0, 3.140625
        ("scalar", HostTensor.FromArray<float>([9f])),
        ("empty", HostTensor.FromArray<float>([], 0, 4)),
    ];

    public static CheckpointContent Content(long step = 100, int bigFloats = 0)
    {
        var content = new CheckpointContent { Step = step, Config = "{\"model\": \"tiny\", \"lr\": 0.1}" };
        content.Metadata["note"] = "written by a test — ünïcode kept";
        foreach (var (name, t) in EveryDType()) content.Add(CheckpointSections.Hyper + name, t);
        if (bigFloats > 0)
        {
            var values = new float[bigFloats];
            for (var i = 0; i < values.Length; i++) values[i] = i * 0.5f;
            content.Add(CheckpointSections.Parameters + "big", HostTensor.FromArray<float>(values, bigFloats));
        }

        return content;
    }
}
