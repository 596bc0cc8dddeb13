using System.Text;
using System.Text.Json;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Training;

// A diverging run must still write its metric lines: an overflowed gradient gives an infinite
// AGD step size with a finite loss, and JSON has no infinity (a GPU run once died on it).
public sealed class MetricsNumberTests
{
    [Theory]
    [InlineData(double.PositiveInfinity, "null")]
    [InlineData(double.NegativeInfinity, "null")]
    [InlineData(double.NaN, "null")]
    [InlineData(0.25, "0.25")]
    public void A_non_finite_number_is_written_as_null(double value, string expected)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            TrainingRun.Number(w, "agd_step_size", value);
            w.WriteEndObject();
        }

        Assert.Equal($"{{\"agd_step_size\":{expected}}}", Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
