using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

public class SafetensorsDTypesTests
{
    [Theory]
    [InlineData(DType.Float32, "F32")]
    [InlineData(DType.Float64, "F64")]
    [InlineData(DType.Int64, "I64")]
    [InlineData(DType.UInt8, "U8")]
    [InlineData(DType.Bool, "BOOL")]
    [InlineData(DType.Int32, "I32")]
    [InlineData(DType.Float16, "F16")]
    [InlineData(DType.BFloat16, "BF16")]
    public void Every_dtype_has_its_safetensors_name_both_ways(DType dtype, string name)
    {
        Assert.Equal(name, SafetensorsDTypes.Name(dtype));
        Assert.True(SafetensorsDTypes.TryParse(name, out var parsed));
        Assert.Equal(dtype, parsed);
    }

    [Theory]
    [InlineData("f32")]
    [InlineData("F8_E5M2")]
    [InlineData("")]
    public void Unknown_or_miscased_names_are_not_parsed(string name)
    {
        Assert.False(SafetensorsDTypes.TryParse(name, out _));
    }
}
