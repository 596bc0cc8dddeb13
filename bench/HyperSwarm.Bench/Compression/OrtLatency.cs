using System.Diagnostics;
using HyperSwarm.GpuActors.Onnx;

namespace HyperSwarm.Bench.Compression;

/// <summary>
/// ONNX Runtime latency per image at batch 1 on one thread, as a small device would run it.
/// Files compared with each other are timed interleaved, round by round, so a busy machine slows
/// them alike; the figure is the median over every timed image.
/// </summary>
public static class OrtLatency
{
    /// <summary>Median microseconds per image of each file over <paramref name="rounds"/> rounds of <paramref name="perRound"/> images.</summary>
    public static double[] Measure(IReadOnlyList<string> files, float[] images, int imageSize, int rounds = 5, int perRound = 60)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(images);
        var sessions = files.Select(f => OnnxClassifier.Load(f, threads: 1)).ToList();
        try
        {
            var count = images.Length / imageSize;
            var times = files.Select(_ => new List<double>()).ToList();
            foreach (var s in sessions)
            {
                for (var w = 0; w < 10; w++) s.Logits(images[..imageSize], 1); // warm-up: allocations, kernel choice
            }

            for (var r = 0; r < rounds; r++)
            {
                for (var f = 0; f < sessions.Count; f++)
                {
                    for (var i = 0; i < perRound; i++)
                    {
                        var start = (r * perRound + i) % count * imageSize;
                        var one = images[start..(start + imageSize)];
                        var clock = Stopwatch.StartNew();
                        sessions[f].Logits(one, 1);
                        times[f].Add(clock.Elapsed.TotalMicroseconds);
                    }
                }
            }

            return [.. times.Select(Median)];
        }
        finally
        {
            foreach (var s in sessions) s.Dispose();
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }
}
