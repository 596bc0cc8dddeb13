using System.Buffers.Binary;

namespace HyperSwarm.GpuActors.Tests.Training;

/// <summary>
/// A small learnable MNIST-style dataset written as IDX files into a temp folder: ten classes,
/// each a random 28×28 prototype, every image its prototype plus pixel noise. Learnable in tens
/// of steps, so whole training runs fit in a unit test.
/// </summary>
internal sealed class SyntheticImages : IDisposable
{
    public SyntheticImages(int train = 1200, int test = 300, int seed = 5)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("hs-synthetic-").FullName;
        var rng = new Random(seed);
        var prototypes = Enumerable.Range(0, 10).Select(_ => Enumerable.Range(0, 784).Select(_ => rng.Next(256)).ToArray()).ToArray();
        Write("train", train, prototypes, rng);
        Write("t10k", test, prototypes, rng);
    }

    /// <summary>The dataset folder.</summary>
    public string Directory { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private void Write(string split, int count, int[][] prototypes, Random rng)
    {
        var images = new byte[16 + count * 784];
        var labels = new byte[8 + count];
        Header(images, 0x00000803, [count, 28, 28]);
        Header(labels, 0x00000801, [count]);
        for (var i = 0; i < count; i++)
        {
            var label = i % 10;
            labels[8 + i] = (byte)label;
            for (var p = 0; p < 784; p++)
            {
                images[16 + i * 784 + p] = (byte)Math.Clamp(prototypes[label][p] + rng.Next(-90, 91), 0, 255);
            }
        }

        File.WriteAllBytes(Path.Combine(Directory, $"{split}-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(Directory, $"{split}-labels-idx1-ubyte"), labels);
    }

    private static void Header(byte[] file, int magic, int[] dims)
    {
        BinaryPrimitives.WriteInt32BigEndian(file, magic);
        for (var d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4 + 4 * d), dims[d]);
    }
}
